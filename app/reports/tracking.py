"""The resident's tracking page: status and dates only, behind the reference number and a secret code."""
import hmac
import re

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.extensions import db, limiter
from app.reports import bp
from app.reports.forms import TrackForm
from app.reports.media import send_copy
from app.reports.models import Report, ReportPhoto, ReportStatus
from app.reports.reference import normalise_secret
from app.reports.resident import resident_photo_ids
from app.reports.resident_forms import channel_context

STATUS_WORDS = {
    ReportStatus.NEW: _l("The police station has received the report and will look at it soon."),
    ReportStatus.ACKNOWLEDGED: _l("The police station has read the report and will act on it."),
    ReportStatus.IN_PROGRESS: _l("The police are working on it."),
    ReportStatus.NEEDS_INFO: _l("The police asked the council member for more information."),
    ReportStatus.NEEDS_RESIDENT: _l("The police have a question for you. You can answer it below."),
    ReportStatus.ACTION_TAKEN: _l("The police say they have acted. The council member will check with you."),
    ReportStatus.CLOSED: _l("The report is closed."),
    ReportStatus.REJECTED: _l("The police could not take this report up. The council member can tell you why."),
    ReportStatus.REOPENED: _l("The report was reopened and is with the police again."),
}


def _track_limit():
    return current_app.config.get("TRACK_RATE_LIMIT", "20 per minute")


def find_tracked(reference, secret):
    """Return the report with this reference number and secret, or None (both wrong look the same)."""
    reference = re.sub(r"[^A-Z0-9-]", "", (reference or "").upper())[:40]
    secret = normalise_secret(secret)
    if not reference or not secret:
        return None
    report = db.session.scalar(db.select(Report).where(Report.reference_number == reference).limit(1))
    if report is None or not hmac.compare_digest(report.tracking_secret.encode(), secret.encode()):
        return None
    return report


@bp.get("/track")
@limiter.limit(_track_limit)
def track():
    """Ask for the reference number and secret code, then show the status."""
    form = TrackForm(request.args)
    if not request.args:
        return _page(form, None, status=200)
    if not form.validate():
        return _page(form, None, status=400)
    return redirect(url_for("reports.track_report", reference="".join(form.reference.data.split()).upper(),
                            s=normalise_secret(form.s.data)))


@bp.get("/track/<reference>")
@limiter.limit(_track_limit)
def track_report(reference):
    """Show a report's status and dates to the resident holding its secret code."""
    report = find_tracked(reference, request.args.get("s"))
    form = TrackForm(data={"reference": reference[:40], "s": ""})
    return _page(form, report, status=200 if report else 404)


def _page(form, report, status, **channel):
    """Render the tracking page; `channel` keeps a refused message or answer as the resident typed it."""
    response = current_app.make_response(render_template(
        "reports/track.html", form=form, report=report, not_found=status == 404,
        status_text=STATUS_WORDS[report.status] if report else None,
        **(channel_context(report, **channel) if report else {})))
    response.status_code = status
    # The secret is in the URL: never leak it to other sites or caches.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/track/<reference>/photos/<int:photo_id>/<any(thumb, public):variant>.jpg")
@limiter.limit(_track_limit, deduct_when=lambda response: response.status_code == 404)
def track_photo(reference, photo_id, variant):
    """Send the resident a photo they added themselves, opened by the same reference and secret code as the page
    (the copy without metadata; never the member's photos). Only failed attempts count against the limit."""
    report = find_tracked(reference, request.args.get("s"))
    if report is None or photo_id not in resident_photo_ids(report):
        abort(404)
    photo = db.session.get(ReportPhoto, photo_id) or abort(404)
    response = send_copy(photo, variant)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
