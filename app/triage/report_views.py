"""The police report page and what the desk does there: workflow actions, assignment, notes, contact."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import User
from app.extensions import db
from app.reports.errors import CONFLICT_MESSAGE, WorkflowError
from app.reports.queries import find_report
from app.reports.services import ReportActionError, reveal_contact
from app.reports.workflow import perform
from app.security.access import role_required
from app.security.params import int_arg
from app.triage import bp
from app.triage.forms import ACTION_FORMS, AssignForm, ContactForm, NoteForm, first_error
from app.triage.pages import report_context
from app.triage.services import add_internal_note, assign_report

POLICE = ("desk_officer", "station_commander")
DONE = {
    "acknowledge": _l("The report is acknowledged."), "start": _l("Work on the report has started."),
    "ask_question": _l("Your question was sent to the council member."),
    "record_outcome": _l("The outcome was recorded and the council member was told."),
    "transfer": _l("The report was transferred."), "reject": _l("The report was rejected."),
    "ask_resident": _l("Your question waits for the resident on the tracking page."),
    "stop_waiting": _l("The report no longer waits for the resident."),
}
ACTIONS = "any(" + ", ".join(ACTION_FORMS) + ")"


@bp.get("/reports/<int:report_id>")
@role_required(*POLICE)
def report(report_id):
    """Show a report of the station with everything the desk needs to work it."""
    report = find_report(current_user, report_id) or abort(404)
    return render_template("triage/report.html", **report_context(
        report, current_user, template_id=int_arg(request.args, "template")))


def _desk_write(report, form, name, write, done, then="triage.report"):
    """Run one write of the desk for a valid form: commit, say done and go on; else the report with why not."""
    if not form.validate_on_submit():
        return refused(report, first_error(form), 400, forms={name: form})
    try:
        write()
        db.session.commit()
    except WorkflowError as error:
        return refused(report, error.message, error.status_code, forms={name: form})
    except StaleDataError:
        return refused(report, CONFLICT_MESSAGE, 409)
    flash(done, "success")
    return redirect(url_for(then, report_id=report.id) if then == "triage.report" else url_for(then))


@bp.post(f"/reports/<int:report_id>/<{ACTIONS}:action>")
@role_required(*POLICE)
def act(report_id, action):
    """Apply the workflow action the officer chose, if the report is still as they saw it."""
    report = find_report(current_user, report_id) or abort(404)
    form = ACTION_FORMS[action]()
    # a transferred report now belongs to another station's queue
    return _desk_write(report, form, action, lambda: perform(report, action, current_user, version=form.version.data,
                                                             **form.workflow_data()),
                       DONE[action], then="triage.queue" if action == "transfer" else "triage.report")


@bp.post("/reports/<int:report_id>/assign")
@role_required(*POLICE)
def assign(report_id):
    """Assign the report to an officer of the station, or take it yourself."""
    report = find_report(current_user, report_id) or abort(404)
    form = AssignForm()
    officer = db.session.get(User, form.officer.data) if form.officer.data else None
    return _desk_write(report, form, "assign", lambda: assign_report(report, officer, actor=current_user,
                                                                     version=form.version.data),
                       _l("The assignment was saved."))


@bp.post("/reports/<int:report_id>/note")
@role_required(*POLICE)
def note(report_id):
    """Add an internal note that only police see."""
    report = find_report(current_user, report_id) or abort(404)
    form = NoteForm()
    return _desk_write(report, form, "note", lambda: add_internal_note(report, form.text.data, actor=current_user),
                       _l("The note was added."))


@bp.post("/reports/<int:report_id>/contact")
@role_required(*POLICE)
def contact(report_id):
    """Show the resident's contact on this response only, after recording who asked and why."""
    report = find_report(current_user, report_id) or abort(404)
    form = ContactForm()
    if not form.validate_on_submit():
        return refused(report, first_error(form), 400, forms={"contact": form})
    try:
        shown = reveal_contact(report, current_user, form.reason.data)
    except PermissionError:
        return refused(report, _l("Only police of the station the report is routed to may see the contact."), 403)
    except ReportActionError:
        return refused(report, _l("Give a reason: every view of the contact is recorded."), 400,
                       forms={"contact": form})
    db.session.commit()
    response = make_response(render_template("triage/report.html",
                                             **report_context(report, current_user, contact=shown)))
    response.headers["Cache-Control"] = "no-store"  # the contact must not stay in any cache
    return response


def refused(report, message, status, forms=None):
    """Undo the attempt and show the report as it is now, with why the action was refused."""
    db.session.rollback()
    flash(message, "error")
    return render_template("triage/report.html", **report_context(report, current_user, forms=forms)), status
