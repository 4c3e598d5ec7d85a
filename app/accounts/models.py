"""User accounts and roles, two-factor recovery codes and account security events."""

from flask import current_app
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.enums import enum_column
from app.core.timeutil import utcnow
from app.extensions import db
from app.security.access import PAO_ROLES, POLICE_ROLES, Role  # noqa: F401  (Role is the users' column type)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), nullable=False, unique=True)
    display_name = db.Column(db.String(120), nullable=False)
    role = enum_column(Role, nullable=False)
    pao_id = db.Column(db.Integer, db.ForeignKey("paos.id"), index=True)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"), index=True)
    password_hash = db.Column(db.String(256), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    preferred_language = db.Column(db.String(2), nullable=False, default="th")
    email = db.Column(db.String(254))
    phone = db.Column(db.String(32))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime)
    # How this user gets notifications: email, line or none (see app/delivery).
    notify_channel = db.Column(db.String(8), nullable=False, default="email", server_default="email")
    line_user_id = db.Column(db.String(64))
    # Two-factor sign-in (TOTP): the secret is sealed like residents' data; the last accepted
    # time step is kept so the same code cannot be used twice.
    totp_secret_sealed = db.Column(db.Text)
    totp_enabled_at = db.Column(db.DateTime)
    totp_last_counter = db.Column(db.BigInteger)
    # Lockout: failed sign-ins in a row (password or second factor); an admin lifts a lock.
    failed_logins = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    locked_at = db.Column(db.DateTime)

    pao = db.relationship("Pao", foreign_keys=[pao_id])
    station = db.relationship("Station", foreign_keys=[station_id])

    @property
    def is_active(self):
        return bool(self.active)

    @property
    def is_police(self):
        return self.role in POLICE_ROLES

    @property
    def needs_two_factor(self):
        return self.role.value in current_app.config["TWO_FACTOR_ROLES"]

    @property
    def two_factor_enrolled(self):
        return self.totp_enabled_at is not None

    @property
    def is_locked(self):
        return self.locked_at is not None

    # The token of the server-side session this request is signed in with (set by app/accounts/auth.py).
    session_token = None

    def get_id(self):
        """Return what Flask-Login keeps in the cookie: the session's token, never the user id."""
        return self.session_token

    # UserMixin compares users by get_id(), which here is a session token (None for users loaded as data);
    # one object per row in a database session makes identity the right comparison.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def set_password(self, password):
        """Store a salted hash of the password."""
        self.password_hash = generate_password_hash(
            password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))

    def check_password(self, password):
        """Return True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.username} {self.role.value}>"


class UserRecoveryCode(db.Model):
    """A one-time recovery code for two-factor sign-in; only its hash is stored."""

    __tablename__ = "user_recovery_codes"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    code_hash = db.Column(db.String(64), nullable=False)
    used_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class AccountEventKind:
    """What account_events.kind can say (kept as plain strings so adding one needs no migration)."""

    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SECOND_FACTOR_FAILED = "second_factor_failed"
    LOCKED = "locked"
    REFUSED_LOCKED = "refused_locked"
    UNLOCKED = "unlocked"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled"
    TWO_FACTOR_RESET = "two_factor_reset"
    RECOVERY_CODE_USED = "recovery_code_used"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    PASSWORD_CHANGED = "password_changed"
    SIGNED_OUT = "signed_out"
    SESSION_ENDED = "session_ended"
    SESSIONS_ENDED = "sessions_ended"
    DISABLED = "disabled"
    ENABLED = "enabled"


class AccountEvent(db.Model):
    """One security-relevant thing that happened to an account, with who did it and from where."""

    __tablename__ = "account_events"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    kind = db.Column(db.String(32), nullable=False)
    ip = db.Column(db.String(45))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    actor = db.relationship("User", foreign_keys=[actor_id])


class Invitation(db.Model):
    """A one-time link that lets one person create their own account (the admin never knows a password).

    Only a hash of the link's token is stored; the link is shown once, to whoever made it.
    """

    __tablename__ = "invitations"

    id = db.Column(db.Integer, primary_key=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    role = enum_column(Role, nullable=False)
    pao_id = db.Column(db.Integer, db.ForeignKey("paos.id"), index=True)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"), index=True)
    display_name = db.Column(db.String(120), nullable=False)
    email = db.Column(db.String(254))
    phone = db.Column(db.String(32))
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))

    pao = db.relationship("Pao", foreign_keys=[pao_id])
    station = db.relationship("Station", foreign_keys=[station_id])
    user = db.relationship("User", foreign_keys=[user_id])

    def state(self, now):
        """Return 'used', 'expired' or 'open'."""
        if self.used_at is not None:
            return "used"
        return "expired" if now >= self.expires_at else "open"
