"""Fernet sealing of residents' personal data and original photos at rest."""
import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def sealing_key_from_secret(secret):
    """Derive a Fernet key from SECRET_KEY, for dev and test only (production requires SEALING_KEY)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"ruamkan sealing v1").derive(secret.encode("utf-8"))
    return base64.urlsafe_b64encode(raw)


def configured_keys():
    """Return the sealing keys, primary first: SEALING_KEY's comma-separated keys, else one from SECRET_KEY."""
    configured = current_app.config.get("SEALING_KEY")
    if not configured:
        return [sealing_key_from_secret(current_app.config["SECRET_KEY"])]
    return [k.strip().encode("ascii") for k in configured.split(",") if k.strip()]


def _fernet():
    # Several keys allow rotation (see OPERATIONS.md): the first seals, any of them unseals.
    return MultiFernet([Fernet(k) for k in configured_keys()])


def seal_bytes(data):
    """Return data encrypted with the sealing key."""
    return _fernet().encrypt(data)


def unseal_bytes(token):
    """Return the plaintext of a sealed token (raises cryptography.fernet.InvalidToken)."""
    return _fernet().decrypt(token)


def seal(text):
    """Return text sealed as a Fernet token string, or None for empty text."""
    if not text:
        return None
    return seal_bytes(text.encode("utf-8")).decode("ascii")


def unseal(token):
    """Return the text of a sealed token string, or None for None."""
    if token is None:
        return None
    return unseal_bytes(token.encode("ascii")).decode("utf-8")
