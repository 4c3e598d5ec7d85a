"""Account writes: create users, authenticate, change passwords."""
import logging

from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import POLICE_ROLES, Role, User
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

# Compared against when the username is unknown, so both failures cost the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A user account request that cannot be carried out."""


def create_user(*, username, role, password, display_name=None, pao=None, station=None,
                preferred_language="th", email=None):
    """Create a user; police roles need a station, PAO roles a PAO."""
    role = Role(role)
    username = username.strip().lower()
    if not username:
        raise AccountError("username is required")
    if db.session.scalar(db.select(User).where(User.username == username)):
        raise AccountError(f"username {username!r} is taken")
    if role in POLICE_ROLES and station is None:
        raise AccountError(f"role {role.value} needs a station")
    if role in (Role.COUNCIL_MEMBER, Role.PAO_COORDINATOR) and pao is None:
        raise AccountError(f"role {role.value} needs a PAO")
    user = User(username=username, role=role, display_name=display_name or username, pao=pao,
                station=station, preferred_language=preferred_language, email=email, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    log.info("user created: %s (%s)", username, role.value)
    return user


def authenticate(username, password):
    """Return the active user with these credentials, or None (without saying which part was wrong)."""
    user = db.session.scalar(db.select(User).where(User.username == (username or "").strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.check_password(password or "") or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def change_password(user, current_password, new_password):
    """Change a user's password after checking the current one."""
    if not user.check_password(current_password):
        raise AccountError("current password is wrong")
    user.set_password(new_password)
    log.info("password changed: %s", user.username)
