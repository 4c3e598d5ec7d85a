"""Server-side sign-in sessions: the cookie carries a random id, the database says whether it still counts.

A copied cookie is worth nothing once its row is gone: signing out, a new password, a second-factor
reset, a lock or a disabled account delete the rows, and every server sees that at once because they
share the database. Only a SHA-256 of the id is stored, so a database dump cannot be replayed as a
cookie. A session ends when it has been idle for `SESSION_IDLE_MINUTES` or is older than
`SESSION_HOURS`; a council member's "keep me signed in" session lasts `SESSION_REMEMBER_DAYS` instead.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from app.core.timeutil import utcnow
from app.extensions import db

# last_seen is written at most this often, so browsing costs one read per request, not one write.
TOUCH_EVERY = timedelta(seconds=60)


class UserSession(db.Model):
    """One signed-in device of a user."""

    __tablename__ = "user_sessions"

    id = db.Column(db.Integer, primary_key=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    remember = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # the earlier of the idle and the absolute end under the settings when last seen; purges use it
    expires_at = db.Column(db.DateTime, nullable=False, index=True)
    user_agent = db.Column(db.String(256))
    ip = db.Column(db.String(45))

    def limits(self):
        """Return (idle, lifetime) under the current settings."""
        config = current_app.config
        if self.remember:
            days = timedelta(days=config["SESSION_REMEMBER_DAYS"])
            return days, days
        return timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(hours=config["SESSION_HOURS"])

    def ends_at(self):
        """Return when this session ends unless it is used again."""
        idle, lifetime = self.limits()
        return min(self.last_seen_at + idle, self.created_at + lifetime)


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user_id, *, remember=False, user_agent=None, ip=None):
    """Create a session for the user and return its token (the only place it exists in clear)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(token_hash=_hash(token), user_id=user_id, remember=bool(remember), created_at=now,
                      last_seen_at=now, user_agent=(user_agent or "")[:256] or None, ip=(ip or "")[:45] or None)
    row.expires_at = row.ends_at()
    db.session.add(row)
    purge_expired(now)
    db.session.flush()
    return token


def find_session(token, user_model, *options):
    """Return (live session, its user) for this token, read in one statement, or None (an expired session
    is deleted on the way). user_model: the user class (its package owns it); options: its loader options."""
    if not isinstance(token, str) or not token:
        return None
    found = db.session.execute(
        db.select(UserSession, user_model).join(user_model, user_model.id == UserSession.user_id)
        .where(UserSession.token_hash == _hash(token)).options(*options)).first()
    if found is None:
        return None
    row, user = found
    if utcnow() >= row.ends_at():
        db.session.delete(row)
        db.session.commit()
        return None
    return row, user


def touch_session(row, *, ip=None):
    """Record that the session was used now; return True when the row changed (the caller commits)."""
    now = utcnow()
    if now - row.last_seen_at < TOUCH_EVERY:
        return False
    row.last_seen_at = now
    row.ip = (ip or "")[:45] or row.ip
    row.expires_at = row.ends_at()
    return True


def end_session(token):
    """End the session of this token (signing out); the caller commits."""
    if token:
        db.session.execute(db.delete(UserSession).where(UserSession.token_hash == _hash(token)))


def end_user_sessions(user_id, *, keep_token=None):
    """End every session of a user, except the one of keep_token; return how many ended (caller commits)."""
    query = db.delete(UserSession).where(UserSession.user_id == user_id)
    if keep_token:
        query = query.where(UserSession.token_hash != _hash(keep_token))
    return db.session.execute(query.execution_options(synchronize_session=False)).rowcount


def end_session_of_user(user_id, session_id):
    """End one session of this user by its id; return True when there was one (caller commits)."""
    query = db.delete(UserSession).where(UserSession.user_id == user_id, UserSession.id == session_id)
    return db.session.execute(query.execution_options(synchronize_session=False)).rowcount == 1


def user_sessions(user_id):
    """Return the user's live sessions, most recently used first."""
    now = utcnow()
    rows = db.session.scalars(db.select(UserSession).where(UserSession.user_id == user_id)
                              .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())).all()
    return [row for row in rows if now < row.ends_at()]


def is_current(row, token):
    """Return True when row is the session of this token."""
    return bool(token) and row.token_hash == _hash(token)


def purge_expired(now=None):
    """Delete sessions whose recorded end has passed (the caller commits)."""
    db.session.execute(db.delete(UserSession).where(UserSession.expires_at <= (now or utcnow()))
                       .execution_options(synchronize_session=False))
