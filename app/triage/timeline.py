"""The police's view of a report's history, and the audit listing with before/after of every event."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.core.timeutil import format_date
from app.extensions import db
from app.reports.labels import status_label
from app.reports.privacy import visible_text
from app.reports.timeline import EVENT_LABELS, timeline
from app.reports.workflow import OUTCOMES, REJECT_REASONS, TRANSITIONS

TRIAGE_LABELS = {
    "outcome": _l("Outcome recorded by the police"),
    "rejected": _l("Rejected by the police"),
    "assigned": _l("Assigned"),
    "note": _l("Internal note"),
    "escalated": _l("Deadline missed: escalated"),
}
LEVEL_LABELS = {"commander": _l("to the station commander"), "coordinator": _l("to the PAO coordinator")}
DEADLINE_LABELS = {"ack": _l("acknowledge-by"), "act": _l("act-by")}


def event_label(event):
    """Return the words for an event's kind, the workflow's action for a status change."""
    payload = event.payload or {}
    if event.kind == "status_changed" and payload.get("transition") in TRANSITIONS:
        return TRANSITIONS[payload["transition"]].label
    return TRIAGE_LABELS.get(event.kind) or EVENT_LABELS.get(event.kind, event.kind)


def event_detail(event, lang):
    """Return the reason, note or text of a triage event in words, or None to keep the default text."""
    payload = event.payload or {}
    if event.kind == "outcome":
        return f"{OUTCOMES.get(payload.get('outcome'), payload.get('outcome'))}: {payload.get('note', '')}"
    if event.kind == "rejected":
        reason = REJECT_REASONS.get(payload.get("reason_code"), payload.get("reason_code"))
        text = f"{reason}: {payload.get('note', '')}"
        if payload.get("duplicate_of"):
            text += f" ({_l('duplicate of %(ref)s', ref=payload['duplicate_of'])})"
        return text
    if event.kind == "assigned":
        return (payload.get("after") or {}).get("assignee") or str(_l("nobody"))
    if event.kind == "escalated":
        due = payload.get("due_at")
        due_text = format_date(datetime.fromisoformat(due), lang, with_time=True) if due else ""
        deadline, level = DEADLINE_LABELS.get(payload.get("deadline"), ""), LEVEL_LABELS.get(payload.get("level"), "")
        return f"{deadline} {due_text} {level}"
    return None


def police_timeline(report, user, lang):
    """Return the timeline entries police see (internal ones included), with triage words."""
    entries = timeline(report, user, lang)
    for entry in entries:
        entry["label"] = event_label(entry["event"])
        detail = event_detail(entry["event"], lang)
        if detail is not None:
            entry["text"] = detail
    return entries


def audit_rows(report, user, lang):
    """Return every event of the report with who, when, why, and the state before and after it.

    Events written by triage store before/after; older kinds (filing, routing, member actions,
    contact and photo views) get theirs by replaying the history, so every row has both.
    """
    events = list(report.events)
    actors = {u.id: u for u in db.session.scalars(db.select(User).where(
        User.id.in_({e.actor_id for e in events if e.actor_id})))}
    state = {"status": "new", "station_code": None, "assignee": None}
    rows = []
    for event in events:
        payload = event.payload or {}
        before = _short(payload.get("before")) or dict(state)
        after = _short(payload.get("after")) or _replay(dict(before), event.kind, payload)
        state = after
        why = event_detail(event, lang) or _why(payload)
        rows.append({"event": event, "actor": actors.get(event.actor_id), "label": event_label(event),
                     "why": visible_text(why, user, report), "before": before, "after": after})
    return rows


def state_text(state):
    """Return a before/after state as short words: status · station · assignee."""
    parts = [str(status_label(state["status"])) if state.get("status") else "—",
             state.get("station_code") or "—", state.get("assignee") or "—"]
    return " · ".join(parts)


def _short(snapshot):
    if not snapshot:
        return None
    return {"status": snapshot.get("status"), "station_code": snapshot.get("station_code"),
            "assignee": snapshot.get("assignee")}


def _replay(state, kind, payload):
    if kind in ("routed", "rerouted") and "station_code" in payload:
        state["station_code"] = payload["station_code"]
    if kind == "status_changed" and payload.get("to"):
        state["status"] = payload["to"]
    return state


def _why(payload):
    for key in ("reason", "note", "text"):
        if payload.get(key):
            return payload[key]
    return ""
