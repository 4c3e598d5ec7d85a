"""Writes and look-ups of API tokens: create (the secret is returned once), revoke, authenticate."""
import hashlib
import logging
import re
import secrets
from datetime import timedelta

from app.api.models import ApiToken, TokenKind
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

# rkt_ for Bearer tokens, rkk_ for Open311 API keys: a leaked key cannot be used as the other kind.
_MARK = {TokenKind.TOKEN: "rkt", TokenKind.APIKEY: "rkk"}
_PATTERN = re.compile(r"^rk[tk]_([0-9a-f]{8})_[A-Za-z0-9_-]{20,80}$")
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is a hint, not an audit log: write it at most this often


class TokenError(ValueError):
    """A token request that cannot be carried out."""


def hash_token(secret):
    """Return the hex SHA-256 of a token, which is all the database keeps."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_prefix(secret):
    """Return the public prefix of a well-formed token, or None."""
    match = _PATTERN.match(secret or "")
    return match.group(1) if match else None


def create_token(user, *, kind=TokenKind.TOKEN, label=""):
    """Create a token for the user; return (row, secret). The secret is never stored or shown again."""
    kind = TokenKind(kind)
    if user is None or not user.is_active:
        raise TokenError("only an active user can have tokens")
    label = " ".join((label or "").split())[:80]
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        if db.session.scalar(db.select(ApiToken.id).where(ApiToken.prefix == prefix)) is None:
            break
    else:  # five collisions among 4 billion prefixes means something else is wrong
        raise TokenError("could not choose a unique prefix")
    secret = f"{_MARK[kind]}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, kind=kind, label=label, prefix=prefix, token_hash=hash_token(secret),
                     created_at=utcnow())
    db.session.add(token)
    db.session.flush()
    log.info("%s %s created for %s", kind.value, prefix, user.username)
    return token, secret


def revoke_token(token, *, actor):
    """Revoke a token of the actor (admins may revoke anyone's); revoking twice changes nothing."""
    if actor.id != token.user_id and actor.role.value != "admin":
        raise TokenError("this token belongs to someone else")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        log.info("%s %s revoked by %s", token.kind.value, token.prefix, actor.username)
    return token


def find_token(secret, kind):
    """Return the active token of this kind with this secret, or None."""
    if token_prefix(secret) is None or not secret.startswith(_MARK[TokenKind(kind)] + "_"):
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.kind != TokenKind(kind) or not token.is_active:
        return None
    return token


def touch_token(token, now=None):
    """Record that the token was used, at most once a minute; return True when it wrote."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    db.session.execute(db.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return True


def user_tokens(user):
    """Return the user's tokens and keys, newest first (revoked ones too, for the record)."""
    return db.session.scalars(db.select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()


def find_user_token(user, token_id):
    """Return one token of the user by id, or None."""
    return db.session.scalar(db.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
