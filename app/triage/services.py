"""Triage writes besides status changes: transfer decisions, assignment, internal notes, response templates."""
import logging

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.errors import MissingInput, NotPermitted, check_version, required_text
from app.reports.lifecycle import record_event, state_snapshot
from app.security.access import Role
from app.triage.models import ResponseTemplate

log = logging.getLogger(__name__)


def assignable_officers(station):
    """Return the active police of a station, who may be assigned its reports."""
    if station is None:
        return []
    return db.session.scalars(db.select(User).where(
        User.station_id == station.id, User.role.in_((Role.DESK_OFFICER, Role.STATION_COMMANDER)),
        User.active.is_(True)).order_by(User.display_name, User.id)).all()


def assign_report(report, officer, *, actor, version=None):
    """Assign a report to an officer of its station (None: unassign); officers may only take it themselves."""
    check_version(report, version)
    if actor.role == Role.STATION_COMMANDER:
        if officer is not None and officer not in assignable_officers(report.station):
            raise MissingInput(_l("Choose an officer of this station."))
    elif officer is None or officer.id != actor.id:
        raise NotPermitted(_l("Only the station commander can assign reports to others."))
    if officer is not None and report.assigned_to_id == officer.id:
        raise MissingInput(_l("The report is already assigned to this officer."))
    before = state_snapshot(report)
    report.assigned_to = officer
    report.updated_at = utcnow()  # bumps the version, so a stale page cannot reassign over this
    return record_event(report, "assigned", actor, before=before, internal=True)


def add_internal_note(report, text, *, actor):
    """Append a note only police see; it does not change the report, so it never conflicts."""
    text = required_text(text, _l("Write the note first."))
    return record_event(report, "note", actor, before=state_snapshot(report), internal=True, text=text)


def save_response_template(template, *, station, category, language, title, body, actor):
    """Create (template=None) or update a station's response template; return it."""
    if template is None:
        template = ResponseTemplate(station=station, created_by_id=actor.id)
        db.session.add(template)
    elif template.station_id != station.id:
        raise NotPermitted(_l("This template belongs to another station."))
    template.category = category
    template.language = language if language in ("th", "en") else "th"
    template.title = required_text(title, _l("Give the template a title."), limit=120)
    template.body = required_text(body, _l("Write the template text."))
    db.session.flush()
    log.info("response template %s saved by %s", template.id, actor.username)
    return template


def delete_response_template(template, *, actor):
    """Delete a template of the actor's station."""
    if template.station_id != actor.station_id:
        raise NotPermitted(_l("This template belongs to another station."))
    db.session.delete(template)
    db.session.flush()
    log.info("response template %s deleted by %s", template.id, actor.username)
