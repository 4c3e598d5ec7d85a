"""The report-submission limit: one budget per user, shared by the form, the JSON API and Open311.

It is keyed by the user (the signed-in member, or the owner of the API token or Open311 api_key),
never by the address: many members share one mobile operator's addresses, and one member with
several keys must not get several budgets. A retry of a submission the server already accepted
passes without counting, so a phone that lost the answer gets its first result instead of a 429.
"""
from datetime import datetime

from flask import current_app, request
from flask_login import current_user

from app.core.timeutil import BANGKOK
from app.extensions import limiter

SUBMIT_SCOPE = "submit"


def submit_rate_limit():
    """Return the submission limit, e.g. '60 per hour' (read per request, so tests can lower it)."""
    return current_app.config.get("SUBMIT_RATE_LIMIT", "60 per hour")


def submitter():
    """Return the user this submission is filed as, or None when the view will refuse it anyway."""
    if current_user.is_authenticated:  # the form's session, or the JSON API's Bearer token
        return current_user
    secret = request.values.get("api_key")  # Open311 checks its key inside the view, after the limit
    if not secret:
        return None
    # Imported here: app.api and app.reports import this module for their views.
    from app.api.models import TokenKind
    from app.api.tokens import find_token

    token = find_token(secret, TokenKind.APIKEY)
    return token.user if token is not None and token.user.is_active else None


def submitter_key():
    """Return the limit's key: the submitting user."""
    user = submitter()
    return f"user:{user.id}" if user is not None else "nobody"


def form_idempotency_key():
    """Return the idempotency key the intake form carries."""
    return request.form.get("idempotency_key")


def api_idempotency_key():
    """Return the JSON API's Idempotency-Key header."""
    return request.headers.get("Idempotency-Key", "").strip() or None


def open311_idempotency_key():
    """Return Open311's Idempotency-Key header, else the key derived from the request itself."""
    from app.api.open311_intake import derived_key

    return api_idempotency_key() or derived_key(request.values)


def submission_limit(idempotency_key):
    """Limit POSTed submissions per user; a caller the view refuses or an accepted retry does not count."""
    def exempt():
        user = submitter()
        if user is None or user.role.value != "council_member":
            return True  # the view refuses them; a 429 would wrongly suggest trying again later
        key = idempotency_key()
        if not key:
            return False
        from app.reports.services import find_submitted

        return find_submitted(user, key) is not None

    # override_defaults=False keeps the blueprint's own limits (the API's per-token budget) in force.
    return limiter.shared_limit(submit_rate_limit, scope=SUBMIT_SCOPE, key_func=submitter_key, methods=["POST"],
                                exempt_when=exempt, override_defaults=False)


def is_submission_limit(error):
    """Return True when a 429 came from the submission limit (rather than sign-in or the API's budget)."""
    limit = getattr(error, "limit", None)
    return getattr(limit, "scope", None) == SUBMIT_SCOPE


def retry_time():
    """Return when (Asia/Bangkok) the limit this request hit lets the caller try again, or None."""
    current = limiter.current_limit
    if current is None:
        return None
    return datetime.fromtimestamp(current.reset_at, BANGKOK)
