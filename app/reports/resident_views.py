"""The resident's writes on the tracking page: a message or answer, STOP, and "was it fixed?" (thin views).

The reference number and the secret code (a hidden field, as the page was reached) open these exactly as
they open the page: a wrong pair is the same 404. Each write is rate-limited per address here and per
report in app/reports/resident.py.
"""
from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db, limiter
from app.reports import bp
from app.reports.forms import TrackForm
from app.reports.resident import (
    NeedsPiiConfirmation,
    ResidentRefused,
    parse_feedback,
    record_resident_feedback,
    send_message,
    stop_conversation,
)
from app.reports.resident_forms import FeedbackForm, ResidentMessageForm, ResidentStopForm
from app.reports.tracking import _page, find_tracked


def _post_limit():
    return current_app.config.get("RESIDENT_POST_RATE_LIMIT", "30 per hour")


def _tracked_or_404(reference):
    report = find_tracked(reference, request.form.get("s"))
    if report is None:
        abort(_page(TrackForm(data={"reference": reference[:40], "s": ""}), None, status=404))
    return report


def _back(report, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("reports.track_report", reference=report.reference_number, s=report.tracking_secret)
                    + "#conversation", code=303)


def _refused(report, error, **forms):
    db.session.rollback()
    db.session.refresh(report)
    form = TrackForm(data={"reference": report.reference_number, "s": ""})
    return _page(form, report, status=400, channel_error=error.message,
                 pii_warning=isinstance(error, NeedsPiiConfirmation), **forms)


@bp.post("/track/<reference>/message")
@limiter.limit(_post_limit)
def resident_message(reference):
    """Take the resident's information, or their answer to the desk's question."""
    report = _tracked_or_404(reference)
    form = ResidentMessageForm()
    if not form.validate():
        problem = form.photos.errors[0] if form.photos.errors else _l("Please check your message.")
        return _refused(report, ResidentRefused(problem), message_form=form)
    try:
        send_message(report, form.text.data, photos=form.processed_photos, pii_confirmed=form.pii_confirmed.data)
    except ResidentRefused as error:
        return _refused(report, error, message_form=form)
    return _back(report, _("Thank you. The police station can now read your message."))


@bp.post("/track/<reference>/stop")
@limiter.limit(_post_limit)
def resident_stop(reference):
    """End the conversation: the police can no longer ask, and nothing more can be sent."""
    report = _tracked_or_404(reference)
    if not ResidentStopForm().validate():
        abort(400)
    try:
        stop_conversation(report)
    except ResidentRefused as error:
        return _refused(report, error)
    return _back(report, _("The conversation has ended. The police cannot ask you anything more here."))


@bp.post("/track/<reference>/feedback")
@limiter.limit(_post_limit)
def resident_feedback(reference):
    """Record whether the problem was fixed; 'not fixed' reopens the report with the resident's words."""
    report = _tracked_or_404(reference)
    form = FeedbackForm()
    try:
        if not form.validate():
            raise ResidentRefused(_l("Please check your answer."))
        resolved, rating = parse_feedback(form.resolved.data, form.rating.data)
        record_resident_feedback(report, resolved, rating, form.comment.data, pii_confirmed=form.pii_confirmed.data)
    except ResidentRefused as error:
        return _refused(report, error, feedback_form=form)
    return _back(report, _("Thank you for your answer.") if resolved
                 else _("Thank you. The report was reopened and is with the police again."))
