"""The report-submission limit: one budget per user, shared by the form, the JSON API and Open311.

It is keyed by the user (the signed-in member, or the owner of the API token or Open311 api_key),
never by the address: many members share one mobile operator's addresses, and one member with
several keys must not get several budgets. A retry of a submission the server already accepted
passes without counting, so a phone that lost the answer gets its first result instead of a 429.
"""
from datetime import datetime

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import render_error
from app.core.timeutil import BANGKOK
from app.extensions import limiter
from app.reports.services import find_submitted

SUBMIT_SCOPE = "submit"


def submit_rate_limit():
    """Return the submission limit, e.g. '60 per hour' (read per request, so tests can lower it)."""
    return current_app.config.get("SUBMIT_RATE_LIMIT", "60 per hour")


def register_submitter_lookup(app, lookup):
    """Let a machine interface say whom a request files as before its view runs: lookup() returns a user
    or None (Open311 checks its api_key inside the view, after the limit)."""
    app.extensions.setdefault("submitter_lookups", []).append(lookup)


def submitter():
    """Return the user this submission is filed as, or None when the view will refuse it anyway."""
    if current_user.is_authenticated:  # the form's session, or the JSON API's Bearer token
        return current_user
    for lookup in current_app.extensions.get("submitter_lookups", ()):
        user = lookup()
        if user is not None:
            return user
    return None


def submitter_key():
    """Return the limit's key: the submitting user."""
    user = submitter()
    return f"user:{user.id}" if user is not None else "nobody"


def filed_with_key(user, key):
    """Return find_submitted(user, key), asked once per request: the limit's exemption asks it before the
    view does (a retry passes without counting), and the form, the JSON API and Open311 then ask the same."""
    answers = request.environ.setdefault("ruamkan.filed_with_key", {})  # this request's own, never the next's
    if (user.id, key) not in answers:
        answers[(user.id, key)] = find_submitted(user, key)
    return answers[(user.id, key)]


def form_idempotency_key():
    """Return the idempotency key the intake form carries."""
    return request.form.get("idempotency_key")


def submission_limit(idempotency_key):
    """Limit POSTed submissions per user; a caller the view refuses or an accepted retry does not count."""
    def exempt():
        user = submitter()
        if user is None or user.role.value != "council_member":
            return True  # the view refuses them; a 429 would wrongly suggest trying again later
        key = idempotency_key()
        return bool(key) and filed_with_key(user, key) is not None

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


def submission_refused():
    """Render the 429 of the submission limit: say plainly that the report was not sent, and when to retry."""
    at = retry_time()
    message = _("Your report was NOT sent: too many reports were sent from your account in a short time.")
    if at is not None:
        message += " " + _("Please send it again after %(time)s.", time=at.strftime("%H:%M"))
    message += " " + _("If the form kept it on this phone as a draft, the phone sends it again by itself later.")
    return render_error(429, message, back=(url_for("reports.new"), _("Back to the report form")))


def answer_submission_refused(error):
    """The error renderer of the submission limit (create_app registers it): its own 429 page, else None."""
    return submission_refused() if error.code == 429 and is_submission_limit(error) else None
