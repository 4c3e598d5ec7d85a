"""The half-finished sign-in kept in the session between the password and the second factor."""
import time

from cryptography.fernet import InvalidToken
from flask import session

from app.accounts.models import User
from app.extensions import db
from app.security.sealing import seal, unseal

_PENDING = "signin_pending"
_SETUP_SECRET = "signin_setup_secret"
# The password proves little for long: the code must follow within minutes. Enrolment gets longer
# because it may mean installing an authenticator app first.
VERIFY_SECONDS = 5 * 60
SETUP_SECONDS = 15 * 60


def start_pending(user, *, remember, next_url):
    """Remember that this user's password was right, for a short while only."""
    session.pop(_SETUP_SECRET, None)
    session[_PENDING] = {"user_id": user.id, "at": int(time.time()), "remember": bool(remember),
                         "next": next_url}


def pending_sign_in():
    """Return (user, marker) of a pending sign-in that has not expired, or (None, None)."""
    marker = session.get(_PENDING)
    if not isinstance(marker, dict):
        return None, None
    user = db.session.get(User, marker.get("user_id") or 0)
    ttl = SETUP_SECONDS if user is not None and not user.two_factor_enrolled else VERIFY_SECONDS
    if user is None or time.time() - marker.get("at", 0) > ttl:
        clear_pending()
        return None, None
    return user, marker


def clear_pending():
    """Forget any half-finished sign-in."""
    session.pop(_PENDING, None)
    session.pop(_SETUP_SECRET, None)


def setup_secret(user, new_secret):
    """Return the secret being enrolled for this user, making one with new_secret() the first time.

    It lives sealed in the session (the cookie is signed, not encrypted) until a code confirms it,
    so reloading the page shows the same QR code and nothing is written before enrolment succeeds.
    """
    kept = session.get(_SETUP_SECRET)
    if isinstance(kept, dict) and kept.get("user_id") == user.id:
        try:
            return unseal(kept["sealed"])
        except InvalidToken:  # sealed under a key that has since been rotated away
            pass
    secret = new_secret()
    session[_SETUP_SECRET] = {"user_id": user.id, "sealed": seal(secret)}
    return secret
