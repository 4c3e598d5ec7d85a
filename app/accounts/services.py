"""Account writes: create users, sign-in steps with lockout, two-factor enrolment, admin actions."""
import enum
import logging

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts import twofactor
from app.accounts.models import AccountEvent, User
from app.accounts.models import AccountEventKind as Kind
from app.accounts.passwords import check_password_policy
from app.core.timeutil import utcnow
from app.extensions import db
from app.security.access import PAO_ROLES, POLICE_ROLES, Role
from app.security.sealing import seal
from app.security.sessions import end_user_sessions

log = logging.getLogger(__name__)

# Compared against when the username is unknown, so both failures cost the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A user account request that cannot be carried out."""


class SignInStep(str, enum.Enum):
    """What a sign-in attempt leads to."""

    DONE = "done"          # all factors checked: sign the user in
    VERIFY = "verify"      # password right, the user must give a TOTP or recovery code
    SETUP = "setup"        # password right, the role needs two-factor and the user has not enrolled
    LOCKED = "locked"      # the account is locked; only an administrator can lift it
    FAILED = "failed"      # wrong credentials (never says which part)


def create_user(*, username, role, password, display_name=None, pao=None, station=None,
                preferred_language="th", email=None):
    """Create a user; police roles need a station, PAO roles a PAO, the password must pass the policy."""
    role = Role(role)
    username = username.strip().lower()
    if not username:
        raise AccountError("username is required")
    if db.session.scalar(db.select(User).where(User.username == username)):
        raise AccountError(f"username {username!r} is taken")
    if role in POLICE_ROLES and station is None:
        raise AccountError(f"role {role.value} needs a station")
    if role in PAO_ROLES and pao is None:
        raise AccountError(f"role {role.value} needs a PAO")
    check_password_policy(password, username)
    user = User(username=username, role=role, display_name=display_name or username, pao=pao,
                station=station, preferred_language=preferred_language, email=email, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    log.info("user created: %s (%s)", username, role.value)
    return user


def check_credentials(username, password, *, ip=None):
    """Check the password and return (step, user): what the sign-in needs next."""
    user = db.session.scalar(db.select(User).where(User.username == (username or "").strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        record_event(None, Kind.SIGN_IN_FAILED, ip=ip)
        return SignInStep.FAILED, None
    if not user.check_password(password or "") or not user.is_active:
        # a locked account answers a wrong password like any other: the lock shows only to the owner
        if user.is_active and not user.is_locked:
            register_failure(user, Kind.SIGN_IN_FAILED, ip=ip)
        else:
            record_event(user, Kind.SIGN_IN_FAILED, ip=ip)
        return SignInStep.FAILED, None
    if user.is_locked:
        record_event(user, Kind.REFUSED_LOCKED, ip=ip)
        return SignInStep.LOCKED, user
    if not user.needs_two_factor:
        return SignInStep.DONE, user
    return (SignInStep.VERIFY if user.two_factor_enrolled else SignInStep.SETUP), user


def verify_second_factor(user, code, *, ip=None):
    """Check a TOTP or recovery code of a pending sign-in; failures count toward the lockout."""
    if user.is_locked or not user.is_active:
        return SignInStep.LOCKED
    if twofactor.accept_totp(user, code):
        return SignInStep.DONE
    if twofactor.use_recovery_code(user, code):
        record_event(user, Kind.RECOVERY_CODE_USED, ip=ip)
        return SignInStep.DONE
    return SignInStep.LOCKED if register_failure(user, Kind.SECOND_FACTOR_FAILED, ip=ip) else SignInStep.FAILED


def register_failure(user, kind, *, ip=None):
    """Count one failed sign-in; lock the account at LOCKOUT_THRESHOLD in a row. Return True when locked."""
    # an SQL increment, so parallel guesses cannot overwrite each other's count
    user.failed_logins = User.failed_logins + 1
    record_event(user, kind, ip=ip)
    db.session.flush()
    if user.failed_logins >= current_app.config["LOCKOUT_THRESHOLD"] and not user.is_locked:
        user.locked_at = utcnow()
        record_event(user, Kind.LOCKED, ip=ip)
        end_user_sessions(user.id)
        log.warning("account locked after %d failed sign-ins: %s", user.failed_logins, user.username)
    return user.is_locked


def complete_sign_in(user, *, ip=None):
    """Record a fully checked sign-in and reset the failure count."""
    user.failed_logins = 0
    user.last_login_at = utcnow()
    record_event(user, Kind.SIGNED_IN, ip=ip)


def enrol_two_factor(user, secret, code, *, ip=None):
    """Turn on two-factor with this secret once a current code proves the app has it; return recovery codes."""
    if user.two_factor_enrolled or user.is_locked:
        raise AccountError("two-factor sign-in cannot be set up for this account now")
    user.totp_last_counter = None
    if not twofactor.accept_totp(user, code, secret=secret):
        raise AccountError("wrong two-factor code")
    user.totp_secret_sealed = seal(secret)
    user.totp_enabled_at = utcnow()
    record_event(user, Kind.TWO_FACTOR_ENROLLED, ip=ip)
    log.info("two-factor enrolled: %s", user.username)
    return twofactor.issue_recovery_codes(user)


def renew_recovery_codes(user, code, *, ip=None):
    """Replace the recovery codes after a current TOTP code; return the new ones."""
    if not user.two_factor_enrolled or not twofactor.accept_totp(user, code):
        raise AccountError("wrong two-factor code")
    record_event(user, Kind.RECOVERY_CODES_RENEWED, ip=ip)
    return twofactor.issue_recovery_codes(user)


def unlock_user(actor, user, *, ip=None):
    """Lift a lockout and reset the failure count."""
    user.locked_at = None
    user.failed_logins = 0
    record_event(user, Kind.UNLOCKED, actor=actor, ip=ip)
    log.info("account unlocked: %s by %s", user.username, _name(actor))


def reset_two_factor(actor, user, *, ip=None):
    """Remove the user's second factor; their next sign-in enrols a new one."""
    twofactor.clear_two_factor(user)
    end_user_sessions(user.id)
    record_event(user, Kind.TWO_FACTOR_RESET, actor=actor, ip=ip)
    log.info("two-factor reset: %s by %s", user.username, _name(actor))


def change_password(user, current_password, new_password, *, ip=None, keep_session=None):
    """Change a user's password after checking the current one and the policy; end their other sessions."""
    if not user.check_password(current_password):
        raise AccountError("current password is wrong")
    check_password_policy(new_password, user.username)
    user.set_password(new_password)
    end_user_sessions(user.id, keep_token=keep_session)
    record_event(user, Kind.PASSWORD_CHANGED, actor=user, ip=ip)
    log.info("password changed: %s", user.username)


def disable_user(actor, user, *, ip=None):
    """Disable an account: it cannot sign in, and every session of it ends now."""
    if actor is not None and actor.id == user.id:
        raise AccountError("you cannot disable your own account")
    user.active = False
    ended = end_user_sessions(user.id)
    record_event(user, Kind.DISABLED, actor=actor, ip=ip)
    log.info("account disabled: %s by %s (%d sessions ended)", user.username, _name(actor), ended)


def enable_user(actor, user, *, ip=None):
    """Let a disabled account sign in again."""
    user.active = True
    record_event(user, Kind.ENABLED, actor=actor, ip=ip)
    log.info("account enabled: %s by %s", user.username, _name(actor))


def end_sessions(actor, user, *, ip=None):
    """End every session of an account (a lost phone, a departure); return how many ended."""
    ended = end_user_sessions(user.id)
    record_event(user, Kind.SESSIONS_ENDED, actor=actor, ip=ip)
    log.info("sessions ended: %s by %s (%d)", user.username, _name(actor), ended)
    return ended


def _name(actor):
    return actor.username if actor else "cli"


def record_event(user, kind, *, actor=None, ip=None):
    """Append one account security event."""
    db.session.add(AccountEvent(user_id=user.id if user else None, actor_id=actor.id if actor else None,
                                kind=kind, ip=(ip or "")[:45] or None))


def recent_events(user, limit=30):
    """Return the user's latest account events, newest first."""
    return db.session.scalars(db.select(AccountEvent).where(AccountEvent.user_id == user.id)
                              .order_by(AccountEvent.created_at.desc(), AccountEvent.id.desc())
                              .limit(limit)).all()
