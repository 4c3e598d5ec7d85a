"""Bilingual error pages for HTML clients and one JSON error shape for API clients."""
import logging

from flask import current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.core.storage import StorageUnavailable
from app.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: lambda: _("The request could not be understood. Please check what you entered and try again."),
    403: lambda: _("You do not have permission to open this page."),
    404: lambda: _("We could not find this page. It may have moved, or you may not have access to it."),
    405: lambda: _("This action is not allowed here."),
    413: lambda: _("What you sent is too large. Please send smaller photos or fewer of them."),
    429: lambda: _("Too many attempts. Please wait a minute and try again."),
    500: lambda: _("Something went wrong on our side. Nothing you entered was lost; please try again shortly."),
    503: lambda: _("The file store does not answer right now, so nothing was saved. Please try again in a few "
                   "minutes."),
}
TITLES = {
    400: lambda: _("Bad request"), 403: lambda: _("Access denied"), 404: lambda: _("Page not found"),
    405: lambda: _("Not allowed"), 413: lambda: _("Too large"), 429: lambda: _("Too many requests"),
    500: lambda: _("Server error"), 503: lambda: _("Service unavailable"),
}


def wants_json():
    """Return True for API clients, which get JSON errors instead of pages."""
    if request.path.startswith(("/api/", "/open311/")):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def render_error(code, message=None, back=None):
    """Render the error page (or JSON) for an HTTP status code; `back` is an optional (url, label) link."""
    code = code if code in MESSAGES else (500 if code >= 500 else 400)
    message = message or MESSAGES[code]()
    if wants_json():
        return jsonify(error={"code": code, "message": message}), code
    return render_template("errors/error.html", code=code, title=TITLES[code](), message=message,
                           back=back), code


def register_error_renderer(app, render):
    """Let a package answer some HTTP errors its own way: render(error) returns a response, or None to pass.

    Machine interfaces answer in their own error shape (also for errors raised while matching the URL,
    before any blueprint is known); reports explain a refused submission on a page of their own.
    """
    app.extensions.setdefault("error_renderers", []).append(render)


def _own_answer(error):
    for render in current_app.extensions.get("error_renderers", ()):
        response = render(error)
        if response is not None:
            return response
    return None


def register_error_handlers(app):
    """Install handlers so no request ends in a bare traceback."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("This form has expired or was sent from elsewhere. "
                                   "Please go back, reload the page and send it again."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        own = _own_answer(error)
        if own is not None:
            return own
        message = error.description if getattr(error, "show_description", False) else None
        response = make_response(render_error(error.code or 500, message=message))
        if getattr(error, "valid_methods", None):  # RFC 9110: a 405 says which methods the resource has
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(StorageUnavailable)
    def storage_down(error):
        log.error("file storage unavailable on %s %s: %s", request.method, request.path, error)
        db.session.rollback()
        response = make_response(render_error(503))
        response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(InternalServerError.code)
