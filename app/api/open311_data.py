"""GeoReport v2 resources from our data: jurisdictions (PAOs), services (categories), requests (reports).

Without an api_key only what is safe to publish leaves: service, status, dates, responsible station
and a rounded location (drug reports coarser) - never the narrative, the address or any name. With
a key, the key's user sees their report scope, texts masked by app/reports/privacy.py.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.api.errors import Open311Error
from app.api.representations import iso
from app.categories.models import Category
from app.categories.questions import question_label
from app.core.i18n import current_lang
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.disclosure import public_point
from app.reports.labels import status_label
from app.reports.models import OPEN_STATUSES, Report, ReportEvent, ReportStatus
from app.reports.privacy import visible_text
from app.reports.queries import report_scope
from app.reports.timeline import EVENT_LABELS
from app.reports.workflow import OUTCOMES, REJECT_REASONS
from app.security.params import datetime_value
from app.stations.models import Pao

WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
# Our question types as the spec's datatypes; yes/no questions become a two-value list.
DATATYPES = {"text": "string", "longtext": "text", "number": "number", "datetime": "datetime",
             "boolean": "singlevaluelist", "choice": "singlevaluelist", "multichoice": "multivaluelist"}
# Timeline kinds an outside system may follow; internal events never leave.
UPDATE_KINDS = ("submitted", "status_changed", "question", "answer", "outcome", "outcome_confirmed",
                "reopen_requested", "rejected", "rerouted")
NOTICE = _l("The police station should acknowledge within %(ack)d hours and act within %(act)d hours.")


def find_jurisdiction(jurisdiction_id):
    """Return the PAO of jurisdiction_id; it may be left out while only one PAO exists."""
    if jurisdiction_id:
        pao = db.session.scalar(db.select(Pao).where(Pao.code == jurisdiction_id))
        if pao is None:
            raise Open311Error(404, f"Unknown jurisdiction_id {jurisdiction_id[:64]!r}.")
        return pao
    paos = db.session.scalars(db.select(Pao).limit(2)).all()
    if len(paos) != 1:
        raise Open311Error(400, "jurisdiction_id is required: give the PAO code.")
    return paos[0]


def services():
    """Return the active sub-categories, as services grouped by their top-level category."""
    rows = db.session.scalars(db.select(Category).where(Category.active.is_(True), Category.parent_id.isnot(None))
                              .order_by(Category.sort_order, Category.id)).all()
    return [service_data(c) for c in rows]


def find_service(code):
    """Return the active sub-category with this service_code, or a 404 in the spec's format."""
    category = db.session.scalar(db.select(Category).where(Category.code == code, Category.active.is_(True),
                                                           Category.parent_id.isnot(None)))
    if category is None:
        raise Open311Error(404, f"Unknown service_code {str(code)[:64]!r}.")
    return category


def service_data(category):
    """Return one service of the list, named in the request's language."""
    lang = current_lang()
    return {"service_code": category.code, "service_name": category.name(lang),
            "description": f"{category.parent.name(lang)}: {category.name(lang)}",
            "metadata": True, "type": "realtime",  # every service has at least the consent attribute
            "keywords": ", ".join(category.code.split(".")), "group": category.parent.name(lang)}


def service_definition(category):
    """Return the service's extra questions as the spec's attributes."""
    lang = current_lang()
    attributes = []
    for order, question in enumerate(category.questions or [], start=1):
        kind = question.get("type", "text")
        attribute = {"variable": True, "code": question.get("code"), "datatype": DATATYPES.get(kind, "string"),
                     "required": bool(question.get("required", False)), "datatype_description": "",
                     "order": order, "description": question_label(question, lang)}
        if kind == "boolean":
            attribute["values"] = [{"key": "yes", "name": str(_l("Yes"))}, {"key": "no", "name": str(_l("No"))}]
        elif attribute["datatype"].endswith("valuelist"):
            attribute["values"] = [{"key": c.get("value"), "name": c.get(lang) or c.get("th") or c.get("value")}
                                   for c in question.get("choices") or []]
        attributes.append(attribute)
    attributes.append(consent_attribute(len(attributes) + 1))
    return {"service_code": category.code, "attributes": attributes}


CONSENT_CODE = "consent"


def consent_attribute(order):
    """Return the attribute a client answers before sending a resident's name or phone (PDPA consent)."""
    return {"variable": True, "code": CONSENT_CODE, "datatype": "singlevaluelist", "required": True,
            "datatype_description": str(_l("yes when the resident agreed that their name and phone are kept for "
                                           "this report; needed with first_name, last_name or phone")),
            "order": order, "description": str(_l("The resident agreed that their contact is kept (PDPA)")),
            "values": [{"key": "yes", "name": str(_l("Yes"))}, {"key": "no", "name": str(_l("No"))}]}


def request_data(report, user=None):
    """Return a service request: published fields for everyone, texts only within a key's scope."""
    lang, category = current_lang(), report.category
    data = {"service_request_id": report.reference_number, "status": "open" if report.is_open else "closed",
            "service_name": category.name(lang), "service_code": category.code,
            "agency_responsible": report.station.name(lang) if report.station else None,
            "service_notice": str(NOTICE % {"ack": category.sla_ack_hours, "act": category.sla_act_hours}),
            "requested_datetime": iso(report.created_at), "updated_datetime": iso(report.updated_at),
            "expected_datetime": iso(report.act_due_at)}
    if user is None:
        data["lat"], data["long"] = public_point(report.lat, report.lon, category.top_code)
        return data
    data.update(status_notes=status_notes(report, user),
                description=visible_text(report.narrative, user, report),
                address=visible_text(report.address_text, user, report) or None, lat=report.lat, long=report.lon)
    return data



def status_notes(report, user):
    """Return the police's latest outcome or rejection as the member sees it (never internal notes)."""
    event = next((e for e in reversed(report.events) if e.kind in ("outcome", "rejected") and not e.internal), None)
    if event is None:
        return None
    payload = event.payload or {}
    label = (OUTCOMES.get(payload.get("outcome")) if event.kind == "outcome"
             else REJECT_REASONS.get(payload.get("reason_code")))
    note = visible_text(payload.get("note") or "", user, report)
    return ": ".join(str(part) for part in (label, note) if part)


def find_requests(pao, user, args):
    """Return the requests matching the spec's filters, newest first, at most 1,000 within 90 days."""
    query = (db.select(Report).where(Report.pao_id == pao.id).order_by(Report.created_at.desc(), Report.id.desc())
             .options(joinedload(Report.category).joinedload(Category.parent), joinedload(Report.station)))
    if user is not None:
        query = query.where(report_scope(user)).options(selectinload(Report.events))  # for status_notes
    ids = _comma_list(args.get("service_request_id"))
    if ids:  # the spec: service_request_id overrides every other filter
        return db.session.scalars(query.where(Report.reference_number.in_(ids[:MAX_RESULTS]))).all()
    start, end = date_window(args)
    query = query.where(Report.created_at >= start, Report.created_at <= end)
    codes = _comma_list(args.get("service_code"))
    if codes:
        query = query.where(Report.category_id.in_([find_service(code).id for code in codes]))
    statuses = set(_comma_list(args.get("status")))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed or both (comma separated).")
    if statuses == {"open"}:
        query = query.where(Report.status.in_(OPEN_STATUSES))
    elif statuses == {"closed"}:
        query = query.where(Report.status.notin_(OPEN_STATUSES))
    return db.session.scalars(query.limit(MAX_RESULTS)).all()


def find_request(pao, user, request_id):
    """Return one request of the jurisdiction (within the key's scope), or a 404."""
    query = db.select(Report).where(Report.pao_id == pao.id, Report.reference_number == request_id[:40])
    if user is not None:
        query = query.where(report_scope(user))
    report = db.session.scalar(query)
    if report is None:
        raise Open311Error(404, f"Unknown service_request_id {request_id[:40]!r}.")
    return report


def find_updates(pao, user, args):
    """Return status changes of the jurisdiction's requests in the window, oldest first."""
    start, end = date_window(args)
    query = (db.select(ReportEvent, Report.reference_number).join(Report, ReportEvent.report_id == Report.id)
             .where(Report.pao_id == pao.id, ReportEvent.kind.in_(UPDATE_KINDS), ReportEvent.internal.is_(False),
                    ReportEvent.created_at >= start, ReportEvent.created_at <= end)
             .order_by(ReportEvent.created_at, ReportEvent.id).limit(MAX_RESULTS))
    if user is not None:
        query = query.where(report_scope(user))
    ids = _comma_list(args.get("service_request_id"))
    if ids:
        query = query.where(Report.reference_number.in_(ids))
    return [update_data(event, reference) for event, reference in db.session.execute(query)]


def update_data(event, reference):
    """Return one status change: the status after it, when, and a label (free text never leaves)."""
    payload = event.payload or {}
    after = payload.get("to") or ("new" if event.kind == "submitted" else None)
    closed = after in (ReportStatus.CLOSED.value, ReportStatus.REJECTED.value)
    label = status_label(after) if after and event.kind != "submitted" else EVENT_LABELS.get(event.kind, event.kind)
    return {"update_id": str(event.id), "service_request_id": reference, "status": "closed" if closed else "open",
            "updated_datetime": iso(event.created_at), "description": str(label), "media_url": None,
            "external_status_code": after}


def date_window(args):
    """Return (start, end) as naive UTC from start_date/end_date; 90 days at most, the last 90 by default."""
    start, end = parse_w3(args.get("start_date"), "start_date"), parse_w3(args.get("end_date"), "end_date")
    if start is None and end is None:
        end = utcnow()
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if end < start:
        raise Open311Error(400, "end_date is before start_date.")
    if end - start > WINDOW:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days.")
    return start, end


def parse_w3(text, name):
    """Return a w3 datetime (e.g. 2026-11-26T00:00:00+07:00) as naive UTC; Bangkok time when no zone is given."""
    if not text:
        return None
    try:
        return datetime_value(text.replace(" ", "+"))  # a '+' sent unescaped arrives as ' '
    except ValueError:
        raise Open311Error(400, f"{name} must be a w3 datetime between 2000 and 2200, "
                                "e.g. 2026-11-26T00:00:00+07:00.") from None


def _comma_list(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]
