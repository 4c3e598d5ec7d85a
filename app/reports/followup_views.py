"""What a member does after filing: add information, answer, confirm or reopen, support a nearby report."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import get_report_or_404, role_required
from app.extensions import db
from app.reports import bp
from app.reports.forms import ActionForm, TextForm
from app.reports.models import Report, ReportEvent
from app.reports.services import (
    ReportActionError,
    add_info,
    add_supporter,
    answer_question,
    confirm_outcome,
    reopen_report,
)


def _done(report, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("reports.detail", report_id=report.id))


def _refused(report, form=None):
    db.session.rollback()
    errors = [e for errors in (form.errors.values() if form else []) for e in errors]
    flash(errors[0] if errors else _("This is not possible for this report now."), "error")
    return redirect(url_for("reports.detail", report_id=report.id))


@bp.post("/<int:report_id>/info")
@role_required("council_member")
def add_information(report_id):
    """Add information to the member's own report."""
    report = get_report_or_404(current_user, report_id)
    form = TextForm()
    if not form.validate_on_submit():
        return _refused(report, form)
    try:
        add_info(report, current_user, form.text.data.strip())
    except ReportActionError:
        return _refused(report)
    return _done(report, _("Your information was added."))


@bp.post("/<int:report_id>/questions/<int:event_id>/answer")
@role_required("council_member")
def answer(report_id, event_id):
    """Answer a question the police asked about the member's report."""
    report = get_report_or_404(current_user, report_id)
    question = db.session.get(ReportEvent, event_id)
    form = TextForm()
    if question is None or not form.validate_on_submit():
        return _refused(report, form)
    try:
        answer_question(report, current_user, question, form.text.data.strip())
    except ReportActionError:
        return _refused(report)
    return _done(report, _("Your answer was sent."))


@bp.post("/<int:report_id>/confirm")
@role_required("council_member")
def confirm(report_id):
    """Confirm that the station's outcome settles the concern."""
    report = get_report_or_404(current_user, report_id)
    if not ActionForm().validate_on_submit():
        return _refused(report)
    try:
        confirm_outcome(report, current_user)
    except ReportActionError:
        return _refused(report)
    return _done(report, _("Thank you. The report is closed."))


@bp.post("/<int:report_id>/reopen")
@role_required("council_member")
def reopen(report_id):
    """Reopen the member's report with a reason."""
    report = get_report_or_404(current_user, report_id)
    form = TextForm()
    if not form.validate_on_submit():
        return _refused(report, form)
    try:
        reopen_report(report, current_user, form.text.data.strip())
    except ReportActionError:
        return _refused(report)
    return _done(report, _("The report was reopened."))


@bp.post("/<int:report_id>/support")
@role_required("council_member")
def support(report_id):
    """Add 'another resident raised this' to an open report of the member's PAO instead of filing again."""
    report = db.session.get(Report, report_id)
    if report is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        add_supporter(report, current_user, (request.form.get("idempotency_key") or "")[:64] or None)
    except ReportActionError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("Added to report %(ref)s: another resident raised this concern. Thank you.",
            ref=report.reference_number), "success")
    return redirect(url_for("reports.mine"))
