"""What the JSON API returns for reports, events, categories and stations, as each caller may see it."""
from app.api.photos import photo_links
from app.core.timeutil import to_bangkok
from app.reports.privacy import visible_text
from app.reports.workflow import allowed_transitions
from app.security.access import is_routed_police

# Event payload keys that carry no free text and no names; free text goes through the masking rules.
_EVENT_KEYS = ("transition", "from", "to", "outcome", "reason_code", "station_code", "previous_station_code",
               "rule", "question_id", "duplicate_of", "count", "reference_number", "photos", "deadline", "level")
_EVENT_TEXT_KEYS = ("text", "note", "reason")


def iso(value):
    """Return a stored UTC time as ISO 8601 in Asia/Bangkok (+07:00), or None."""
    return to_bangkok(value).isoformat(timespec="seconds") if value else None


def station_data(station):
    """Return a station's public facts."""
    if station is None:
        return None
    return {"code": station.code, "name_th": station.name_th, "name_en": station.name_en,
            "lat": station.lat, "lon": station.lon, "phone": station.phone}


def category_data(category, children=None):
    """Return a category; leaves carry their SLA and extra questions, top levels their children."""
    data = {"code": category.code, "name_th": category.name_th, "name_en": category.name_en}
    if children is not None:
        data["children"] = [category_data(child) for child in children]
        return data
    data.update(group=category.top_code, emergency=category.emergency,
                default_priority=category.default_priority.value, sla_ack_hours=category.sla_ack_hours,
                sla_act_hours=category.sla_act_hours, questions=[_question(q) for q in category.questions or []])
    return data


def _question(question):
    data = {"code": question.get("code"), "type": question.get("type", "text"),
            "label_th": question.get("label_th"), "label_en": question.get("label_en")}
    if question.get("choices"):
        data["choices"] = [{"value": c.get("value"), "name_th": c.get("th"), "name_en": c.get("en")}
                           for c in question["choices"]]
    return data


def report_data(report, user):
    """Return a report as this user may see it: texts masked unless allowed, never the resident's contact."""
    category = report.category
    return {
        "reference": report.reference_number,
        "status": report.status.value,
        "open": report.is_open,
        "priority": report.priority.value,
        "category": {"code": category.code, "group": category.top_code, "name_th": category.name_th,
                     "name_en": category.name_en},
        "pao": {"code": report.pao.code, "name_th": report.pao.name_th, "name_en": report.pao.name_en},
        "station": station_data(report.station),
        "narrative": visible_text(report.narrative, user, report),
        "address_text": visible_text(report.address_text, user, report) or None,
        "answers": {code: visible_text(value, user, report) if isinstance(value, str) else value
                    for code, value in (report.answers or {}).items()},
        "lat": report.lat,
        "lon": report.lon,
        "occurred_at": iso(report.occurred_at),
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
        "ack_due_at": iso(report.ack_due_at),
        "act_due_at": iso(report.act_due_at),
        "acknowledged_at": iso(report.acknowledged_at),
        "closed_at": iso(report.closed_at),
        "supporter_count": report.supporter_count,
        "version": report.version,
        "filed_by_me": report.filed_by_id == user.id,
        "allowed_actions": [t.name for t in allowed_transitions(report, user)],
        "photos": photo_links(report),
    }


def visible_events(report, user):
    """Return the report's events this user may list: police-only ones for police of its station alone."""
    internal = is_routed_police(user, report)
    return [event for event in report.events if internal or not event.internal]


def event_data(event, user, report):
    """Return one timeline event: its kind, time, the actor's role, and data without names."""
    payload = event.payload or {}
    data = {key: payload[key] for key in _EVENT_KEYS if payload.get(key) is not None}
    for key in _EVENT_TEXT_KEYS:
        if isinstance(payload.get(key), str) and payload[key]:
            data[key] = visible_text(payload[key], user, report)
    return {"id": event.id, "kind": event.kind, "internal": bool(event.internal), "created_at": iso(event.created_at),
            "actor_role": event.actor.role.value if event.actor else "system", "data": data}
