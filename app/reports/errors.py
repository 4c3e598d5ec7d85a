"""What a triage action refuses with: a message in the user's language and the HTTP status to answer."""
from flask import has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

CONFLICT_MESSAGE = _l("Someone else changed this report while you had it open. Reload the page and try again.")


class WorkflowError(Exception):
    """An action that cannot be done; views flash `message` and answer `status_code`."""

    status_code = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        if has_request_context():
            return str(self.message)
        with force_locale("en"):  # the CLI and the worker have no request to choose a language from
            return str(self.message)


class IllegalTransition(WorkflowError):
    """The action is not possible in the report's current status."""

    status_code = 409


class VersionConflict(WorkflowError):
    """The report changed since the user loaded it."""

    status_code = 409

    def __init__(self, message=CONFLICT_MESSAGE):
        super().__init__(message)


class NotPermitted(WorkflowError):
    """This user may not do this action on this report."""

    status_code = 403


class MissingInput(WorkflowError):
    """A reason, note, station or reference the action needs is missing or wrong."""


def check_version(report, version):
    """Refuse when the user saw another version of the report than the one stored now."""
    if version in (None, ""):
        return
    try:
        seen = int(version)
    except (TypeError, ValueError):
        raise VersionConflict() from None
    if seen != report.version:
        raise VersionConflict()


def required_text(value, message, limit=2000):
    """Return the stripped text, or refuse with `message` when it is empty."""
    text = (value or "").strip()
    if not text:
        raise MissingInput(message)
    return text[:limit]
