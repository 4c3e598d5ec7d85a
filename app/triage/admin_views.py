"""Commander and coordinator pages: a report's audit, the coordinator's queue, response templates."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.categories.models import Category
from app.core.i18n import current_lang
from app.extensions import db
from app.reports.errors import CONFLICT_MESSAGE, WorkflowError
from app.reports.queries import find_report
from app.reports.workflow import perform
from app.security.access import role_required
from app.security.params import int_arg
from app.triage import bp
from app.triage.coordinator import coordinated_pao_ids, coordinator_queue, coordinator_report
from app.triage.forms import DeleteForm, ForwardForm, TemplateForm, choices, first_error
from app.triage.models import ResponseTemplate
from app.triage.pages import station_choices
from app.triage.services import delete_response_template, save_response_template
from app.triage.timeline import audit_rows, state_text


@bp.get("/reports/<int:report_id>/audit")
@role_required("station_commander", "pao_coordinator")
def audit(report_id):
    """List every event of a report, internal ones included, with who, when, why, before and after."""
    report = find_report(current_user, report_id) or abort(404)
    return render_template("triage/audit.html", report=report, state_text=state_text,
                           rows=audit_rows(report, current_user, current_lang()))


@bp.get("/coordinator")
@role_required("pao_coordinator", "desk_officer", "station_commander")
def coordinator():
    """List the reports no MOU station took, each with a one-step forward to a chosen station."""
    return _coordinator_page()


@bp.post("/coordinator/<int:report_id>/forward")
@role_required("pao_coordinator", "desk_officer", "station_commander")
def forward(report_id):
    """Forward a report of the coordinator's queue to the chosen station, which then sees it as new."""
    report = coordinator_report(current_user, report_id) or abort(404)
    form = ForwardForm()
    if not form.validate_on_submit():
        return _coordinator_page(first_error(form), 400)
    try:
        perform(report, "forward", current_user, version=form.version.data, station=form.station.station(),
                note=form.note.data)
        db.session.commit()
    except WorkflowError as error:
        return _coordinator_page(error.message, error.status_code)
    except StaleDataError:
        return _coordinator_page(CONFLICT_MESSAGE, 409)
    flash(_l("Report %(ref)s was forwarded to %(station)s.", ref=report.reference_number,
             station=report.station.name(current_lang())), "success")
    return redirect(url_for("triage.coordinator"))


def _coordinator_page(error=None, status=200):
    if error is not None:
        db.session.rollback()
        flash(error, "error")
    if not coordinated_pao_ids(current_user):
        abort(403)
    after = int_arg(request.args, "after")
    reports, total, next_after = coordinator_queue(current_user, after=after,
                                                   size=current_app.config["COORDINATOR_PAGE_SIZE"])
    rows, station_lists = [], {}
    for report in reports:
        key = (report.pao_id, report.station_id)  # most rows share both: build each list once
        if key not in station_lists:
            station_lists[key] = station_choices(report)
        form = ForwardForm(formdata=None, data={"version": report.version})
        form.station.choices = station_lists[key]
        rows.append({"report": report, "form": form,
                     "decision": report.routing_decisions[-1] if report.routing_decisions else None})
    return render_template("triage/coordinator.html", rows=rows, total=total, after=after,
                           next_after=next_after), status


@bp.get("/templates")
@role_required("station_commander")
def templates():
    """List the station's response templates and a form for a new one."""
    return _templates_page(_template_form(None))


@bp.post("/templates")
@role_required("station_commander")
def create_template():
    """Add a response template for a category."""
    return _save_template(None)


@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
@role_required("station_commander")
def edit_template(template_id):
    """Edit one of the station's response templates."""
    template = _own_template(template_id)
    if request.method == "POST":
        return _save_template(template)
    return _templates_page(_template_form(template), editing=template)


@bp.post("/templates/<int:template_id>/delete")
@role_required("station_commander")
def delete_template(template_id):
    """Delete one of the station's response templates."""
    template = _own_template(template_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    delete_response_template(template, actor=current_user)
    db.session.commit()
    flash(_l("The template was deleted."), "success")
    return redirect(url_for("triage.templates"))


def _save_template(template):
    form = _template_form(template, bind=True)
    if not form.validate_on_submit():
        return _templates_page(form, editing=template, status=400)
    category = db.session.get(Category, form.category_id.data)
    if category is None:
        return _templates_page(form, editing=template, status=400)
    try:
        save_response_template(template, station=current_user.station, category=category,
                               language=form.language.data, title=form.title.data, body=form.body.data,
                               actor=current_user)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _templates_page(form, editing=template, status=error.status_code)
    flash(_l("The template was saved."), "success")
    return redirect(url_for("triage.templates"))


def _own_template(template_id):
    template = db.session.get(ResponseTemplate, template_id)
    if template is None or template.station_id != current_user.station_id:
        abort(404)
    return template


def _template_form(template, bind=False):
    data = ({"category_id": template.category_id, "language": template.language, "title": template.title,
             "body": template.body} if template else {"language": current_lang()})
    form = TemplateForm() if bind else TemplateForm(formdata=None, data=data)
    lang = current_lang()
    categories = db.session.scalars(db.select(Category).order_by(Category.sort_order, Category.id)).all()
    form.category_id.choices = choices([("", "—")] + [
        (c.id, ("— " if c.parent_id else "") + c.name(lang)) for c in categories])
    return form


def _templates_page(form, editing=None, status=200):
    rows = db.session.scalars(db.select(ResponseTemplate).where(
        ResponseTemplate.station_id == current_user.station_id)
        .order_by(ResponseTemplate.category_id, ResponseTemplate.title)).all()
    return render_template("triage/templates.html", form=form, templates=rows, editing=editing,
                           delete_form=DeleteForm()), status
