"""TOTP second factor and one-time recovery codes: checks that each code is used only once."""
import hashlib
import hmac
import re
import secrets
import time

import pyotp
from flask import current_app

from app.accounts.models import User, UserRecoveryCode
from app.core.timeutil import utcnow
from app.extensions import db
from app.security.sealing import unseal

RECOVERY_CODE_COUNT = 10
# 32 symbols without look-alikes (0/o, 1/l): 12 of them are 60 random bits, enough for a plain
# SHA-256 to protect them at rest the way API tokens are protected.
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
_TOTP_RE = re.compile(r"\d{6}")


def new_totp_secret():
    """Return a fresh random base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(user, secret):
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username,
                                               issuer_name=current_app.config["TOTP_ISSUER"])


def normalize_code(code):
    """Return a typed code without spaces or dashes, lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def accept_totp(user, code, secret=None):
    """Accept a 6-digit code one step either side of now, once: record its time step, or return False."""
    code = normalize_code(code)
    if not _TOTP_RE.fullmatch(code):
        return False
    totp = pyotp.TOTP(secret or unseal(user.totp_secret_sealed))
    current = int(time.time()) // totp.interval
    for counter in (current - 1, current, current + 1):
        if user.totp_last_counter is not None and counter <= user.totp_last_counter:
            continue  # this step or an older one was already used
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return _claim_counter(user, counter)
    return False


def _claim_counter(user, counter):
    # one conditional UPDATE, so two requests racing with the same code cannot both win
    claimed = db.session.execute(
        db.update(User).where(User.id == user.id,
                              db.or_(User.totp_last_counter.is_(None), User.totp_last_counter < counter))
        .values(totp_last_counter=counter).execution_options(synchronize_session=False)).rowcount == 1
    if claimed:
        db.session.expire(user, ["totp_last_counter"])
    return claimed


def issue_recovery_codes(user):
    """Replace the user's recovery codes with new ones; return them (the only time they exist in clear)."""
    db.session.execute(db.delete(UserRecoveryCode).where(UserRecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        db.session.add(UserRecoveryCode(user_id=user.id, code_hash=_recovery_hash(user, raw)))
    db.session.flush()
    return codes


def use_recovery_code(user, code):
    """Mark one unused recovery code as used; return False when none matches."""
    code = normalize_code(code)
    if len(code) != 12:
        return False
    result = db.session.execute(
        db.update(UserRecoveryCode)
        .where(UserRecoveryCode.user_id == user.id, UserRecoveryCode.used_at.is_(None),
               UserRecoveryCode.code_hash == _recovery_hash(user, code))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount == 1


def unused_recovery_codes(user):
    """Return how many of the user's recovery codes are still unused."""
    return db.session.scalar(db.select(db.func.count(UserRecoveryCode.id)).where(
        UserRecoveryCode.user_id == user.id, UserRecoveryCode.used_at.is_(None)))


def clear_two_factor(user):
    """Forget the user's secret, last time step and recovery codes."""
    user.totp_secret_sealed = None
    user.totp_enabled_at = None
    user.totp_last_counter = None
    db.session.execute(db.delete(UserRecoveryCode).where(UserRecoveryCode.user_id == user.id))


def _recovery_hash(user, normalized):
    # the user id in the input keeps one code's hash from matching another user's row
    return hashlib.sha256(f"{user.id}:{normalized}".encode()).hexdigest()
