"""What a member does after filing: add information, answer, confirm or reopen, support a nearby report."""
from flask import abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import render_error
from app.extensions import db
from app.reports import bp
from app.reports.duplicates import is_duplicate_candidate
from app.reports.forms import ActionForm, TextForm
from app.reports.models import Report, ReportEvent
from app.reports.queries import find_report
from app.reports.services import (
    ReportActionError,
    add_info,
    add_supporter,
    answer_question,
    confirm_outcome,
    reopen_report,
)
from app.routing import RoutingInputError
from app.routing.inputs import parse_coordinate
from app.security.access import role_required


def _done(report, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("reports.detail", report_id=report.id))


def _refused(report, form=None):
    db.session.rollback()
    errors = [e for errors in (form.errors.values() if form else []) for e in errors]
    flash(errors[0] if errors else _("This is not possible for this report now."), "error")
    return redirect(url_for("reports.detail", report_id=report.id))


def _member_action(report_id, form, act, done_message):
    """Run one of the member's follow-ups on their own report: act(report, text) after the form's checks."""
    report = find_report(current_user, report_id) or abort(404)
    if not form.validate_on_submit():
        return _refused(report, form)
    try:
        act(report, getattr(form, "text", None) and form.text.data.strip())
    except ReportActionError:
        return _refused(report)
    return _done(report, done_message)


@bp.post("/<int:report_id>/info")
@role_required("council_member")
def add_information(report_id):
    """Add information to the member's own report."""
    return _member_action(report_id, TextForm(), lambda report, text: add_info(report, current_user, text),
                          _("Your information was added."))


@bp.post("/<int:report_id>/questions/<int:event_id>/answer")
@role_required("council_member")
def answer(report_id, event_id):
    """Answer a question the police asked about the member's report."""
    question = db.session.get(ReportEvent, event_id)

    def act(report, text):
        if question is None:
            raise ReportActionError("no such question")
        answer_question(report, current_user, question, text)
    return _member_action(report_id, TextForm(), act, _("Your answer was sent."))


@bp.post("/<int:report_id>/confirm")
@role_required("council_member")
def confirm(report_id):
    """Confirm that the station's outcome settles the concern."""
    return _member_action(report_id, ActionForm(), lambda report, _text: confirm_outcome(report, current_user),
                          _("Thank you. The report is closed."))


@bp.post("/<int:report_id>/reopen")
@role_required("council_member")
def reopen(report_id):
    """Reopen the member's report with a reason."""
    return _member_action(report_id, TextForm(), lambda report, text: reopen_report(report, current_user, text),
                          _("The report was reopened."))


@bp.post("/<int:report_id>/support")
@role_required("council_member")
def support(report_id):
    """Add 'another resident raised this' to a nearby open report offered to the member, instead of filing again."""
    report = _support_candidate_or_404(report_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        add_supporter(report, current_user, (request.form.get("idempotency_key") or "")[:64] or None)
    except ReportActionError:
        db.session.rollback()
        return _not_a_candidate()
    db.session.commit()
    # No reference: the member may not open someone else's report (app/reports/disclosure.py).
    flash(_("Added to the open report nearby: another resident raised this concern. Thank you."), "success")
    return redirect(url_for("reports.mine"))


def _support_candidate_or_404(report_id):
    """Return the report only if it is a duplicate candidate at the form's place and category, else abort 404."""
    try:
        lat = parse_coordinate(request.form.get("lat"), "lat")
        lon = parse_coordinate(request.form.get("lon"), "lon")
        category_id = int(request.form.get("category_id") or 0)
    except (RoutingInputError, ValueError):
        abort(_not_a_candidate())
    report = db.session.get(Report, report_id)
    # One answer for a missing id and for any report that is not on offer here: no oracle.
    if report is None or not is_duplicate_candidate(report, member=current_user, category_id=category_id,
                                                    lat=lat, lon=lon):
        abort(_not_a_candidate())
    return report


def _not_a_candidate():
    message = _("This report is not among the open reports of the same kind near the place you set. "
                "Check the place and the category, then try again.")
    return make_response(*render_error(404, message))
