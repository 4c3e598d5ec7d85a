"""The council member's "was it fixed?" on their report page (thin view; rules in app/reports/resident.py)."""
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.reports import bp
from app.reports.queries import find_report
from app.reports.resident import ResidentRefused, parse_feedback, pending_feedback, record_member_feedback
from app.reports.resident_forms import FeedbackForm
from app.security.access import role_required


@bp.app_template_global()
def feedback_due(report, party):
    """Return True when the party ('member', 'resident') has not yet said whether the last outcome fixed it."""
    return pending_feedback(report, party) is not None


@bp.post("/<int:report_id>/feedback")
@role_required("council_member")
def member_feedback(report_id):
    """Record whether the station's outcome fixed the concern: yes closes the report, no reopens it."""
    report = find_report(current_user, report_id) or abort(404)
    form = FeedbackForm()
    try:
        if not form.validate():
            raise ResidentRefused(_("Please check your answer."))
        resolved, rating = parse_feedback(form.resolved.data, form.rating.data)
        record_member_feedback(report, current_user, resolved, rating, form.comment.data)
    except ResidentRefused as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("reports.detail", report_id=report.id) + "#feedback")
    db.session.commit()
    flash(_("Thank you. The report is closed.") if resolved else _("The report was reopened."), "success")
    return redirect(url_for("reports.detail", report_id=report.id))
