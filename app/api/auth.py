"""Who is calling: a Bearer token on /api/v1, an api_key on /open311/v2; never the browser's session."""
from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from app.api.errors import ApiError, Open311Error
from app.api.models import TokenKind
from app.api.open311_intake import derived_key
from app.api.tokens import find_token, touch_token
from app.extensions import db, login_manager

PUBLIC_ENDPOINTS = frozenset({"api.openapi_document"})


def bearer_secret():
    """Return the token of an `Authorization: Bearer` header, or None."""
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip() or None


def rate_limit_key():
    """Key of the API rate limit: a valid token's prefix, else the client address.

    Only a token that exists counts: keyed by any well-formed prefix, made-up tokens would each
    get a fresh budget.
    """
    bearer = bearer_secret()
    secret = bearer or request.values.get("api_key")
    token = find_token(secret, TokenKind.TOKEN if bearer else TokenKind.APIKEY) if secret else None
    return f"token:{token.prefix}" if token else f"ip:{get_remote_address()}"


def api_rate_limit():
    """Return the per-token limit, e.g. '120 per minute' (read per request, so tests can lower it)."""
    return current_app.config.get("API_RATE_LIMIT", "120 per minute")


def forget_session_user():
    """Make the request anonymous until a token says otherwise: a session cookie must never count here."""
    g._login_user = login_manager.anonymous_user()
    g.api_user = g.api_token = None


def clear_request_user(_exc=None):
    """Drop this request's caller from `g` (tests reuse one app context for many requests)."""
    for name in ("_login_user", "api_user", "api_token"):
        g.pop(name, None)


def authenticate_api_request():
    """Require a valid Bearer token on every /api/v1 endpoint except the OpenAPI document."""
    forget_session_user()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    secret = bearer_secret()
    token = find_token(secret, TokenKind.TOKEN) if secret else None
    if token is None:
        challenge = 'Bearer realm="ruamkan"' + (', error="invalid_token"' if secret else "")
        raise ApiError("unauthorized", headers={"WWW-Authenticate": challenge})
    _act_as(token)


def open311_user(required=False):
    """Return the user of the request's api_key; None without one (public answers) unless required."""
    secret = request.values.get("api_key")
    if not secret:
        if required:
            raise Open311Error(403, "An api_key is required to submit service requests.")
        return None
    token = find_token(secret, TokenKind.APIKEY)
    if token is None:
        raise Open311Error(403, "This api_key is not valid or was revoked.")
    _act_as(token)
    return token.user


def _act_as(token):
    if touch_token(token):
        db.session.commit()
    g.api_token, g.api_user = token, token.user
    g._login_user = token.user


def api_user():
    """Return the user the request's token acts as."""
    return g.api_user


def api_token():
    """Return the token of the request."""
    return g.api_token


def apikey_submitter():
    """Return the active user whose Open311 api_key the request carries, or None (for the submission limit)."""
    secret = request.values.get("api_key")
    token = find_token(secret, TokenKind.APIKEY) if secret else None
    return token.user if token is not None and token.user.is_active else None


def api_idempotency_key():
    """Return the JSON API's Idempotency-Key header."""
    return request.headers.get("Idempotency-Key", "").strip() or None


def open311_idempotency_key():
    """Return Open311's Idempotency-Key header, else the key derived from the request itself."""
    return api_idempotency_key() or derived_key(request.values)
