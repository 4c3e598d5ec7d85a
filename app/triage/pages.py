"""What the triage pages show: the rows of the queue and the context of a report's page."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.categories.labels import priority_label
from app.categories.questions import answer_text
from app.core.i18n import current_lang
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.labels import status_label
from app.reports.models import Report
from app.reports.privacy import visible_text
from app.reports.workflow import OUTCOMES, allowed_transitions
from app.security.access import Role, may_see_personal_data
from app.triage.coordinator import forward_choices
from app.triage.forms import ACTION_FORMS, AssignForm, ContactForm, NoteForm, choices
from app.triage.models import ResponseTemplate
from app.triage.services import assignable_officers
from app.triage.sla import due_today, overdue_deadlines
from app.triage.timeline import police_timeline

EXCERPT = 160


def queue_rows(page, user):
    """Return the queue page's rows as dicts with the flags and the narrative excerpt the user may see."""
    now = page.now
    rows = []
    for report, overdue in page.rows:
        text = visible_text(report.narrative, user, report)
        rows.append({"report": report, "overdue": overdue, "due_today": due_today(report, now),
                     "excerpt": text if len(text) <= EXCERPT else text[:EXCERPT].rstrip() + "…"})
    return rows


def map_features(rows, user):
    """Return a GeoJSON FeatureCollection of queue rows: place, reference, status, priority, overdue."""

    lang = current_lang()
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [report.lon, report.lat]},
        "properties": {"id": report.id, "reference": report.reference_number, "overdue": overdue,
                       "category": report.category.name(lang), "status": report.status.value,
                       "status_label": str(status_label(report.status)), "priority": report.priority.value,
                       "priority_label": str(priority_label(report.priority)),
                       "url": url_for("triage.report", report_id=report.id)}}
        for report, overdue in rows]}


def response_templates(report, user):
    """Return the station's templates for the report's category (or its parent), the user's language first."""
    category_ids = [report.category_id] + ([report.category.parent_id] if report.category.parent_id else [])
    templates = db.session.scalars(db.select(ResponseTemplate).where(
        ResponseTemplate.station_id == user.station_id, ResponseTemplate.category_id.in_(category_ids))
        .order_by(ResponseTemplate.title, ResponseTemplate.id)).all()
    lang = current_lang()
    return sorted(templates, key=lambda t: t.language != lang)


def station_choices(report):
    """Return the stations a report can go to: those under an MOU with its PAO first, then the others."""
    lang = current_lang()
    with_mou, others = forward_choices(report.pao)
    return (choices([("", "—")])
            + choices([(s.id, s.name(lang)) for s in with_mou if s.id != report.station_id],
                      optgroup=str(_l("Stations under MOU")))
            + choices([(s.id, s.name(lang)) for s in others if s.id != report.station_id],
                      optgroup=str(_l("Other stations"))))


def report_context(report, user, *, forms=None, contact=None, template_id=None):
    """Return the template context of the police report page."""
    forms = dict(forms or {})
    version = {"version": report.version}
    templates = response_templates(report, user)
    chosen = next((t for t in templates if t.id == template_id), None)
    allowed = [t for t in allowed_transitions(report, user) if t.name in ACTION_FORMS]
    for transition in allowed:
        if transition.name not in forms:
            prefill = ({"text": chosen.body, "note": chosen.body}
                       if chosen and transition.name in ("ask_question", "record_outcome") else {})
            forms[transition.name] = ACTION_FORMS[transition.name](formdata=None, data={**version, **prefill})
        else:
            forms[transition.name].version.data = report.version
    assign = forms.get("assign") or AssignForm(formdata=None, data=version)
    officers = assignable_officers(report.station) if user.role == Role.STATION_COMMANDER else [user]
    assign.officer.choices = choices([(0, _("Nobody"))] + [(o.id, o.display_name) for o in officers])
    if "transfer" in forms:
        forms["transfer"].station.choices = station_choices(report)
    duplicates = db.session.scalars(db.select(Report).where(Report.duplicate_of_id == report.id)
                                    .order_by(Report.id)).all()
    original = db.session.get(Report, report.duplicate_of_id) if report.duplicate_of_id else None
    now = utcnow()
    return {
        "report": report, "transitions": allowed, "forms": forms, "assign_form": assign,
        "note_form": forms.get("note") or NoteForm(formdata=None),
        "contact_form": forms.get("contact") or ContactForm(formdata=None), "contact": contact,
        "narrative": visible_text(report.narrative, user, report),
        "address_text": visible_text(report.address_text, user, report),
        "sees_personal_data": may_see_personal_data(user, report),
        "entries": police_timeline(report, user, current_lang()), "templates": templates, "chosen": chosen,
        "overdue": overdue_deadlines(report, now), "due_today": due_today(report, now),
        "duplicates": duplicates, "duplicate_of": original, "outcomes": OUTCOMES,
        "is_commander": user.role == Role.STATION_COMMANDER, "answer_text": answer_text,
    }
