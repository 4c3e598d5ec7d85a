"""A report's timeline as each user may see it, in words."""
from flask_babel import lazy_gettext as _l

from app.reports.labels import status_label
from app.reports.privacy import visible_text
from app.security.access import sees_internal_events

EVENT_LABELS = {
    "submitted": _l("Report filed"),
    "routed": _l("Sent to a police station"),
    "rerouted": _l("Sent to another police station"),
    "status_changed": _l("Status changed"),
    "info_added": _l("Information added by the council member"),
    "question": _l("Question from the police"),
    "answer": _l("Answer from the council member"),
    "outcome": _l("Outcome recorded by the police"),
    "rejected": _l("Rejected by the police"),
    "outcome_confirmed": _l("Outcome confirmed by the council member"),
    "reopen_requested": _l("Reopened by the council member"),
    "supporter_added": _l("Another resident raised this concern"),
    "contact_viewed": _l("Resident contact viewed"),
    "original_photo_viewed": _l("Original photo viewed"),
    "retention_purged": _l("Personal data removed under the retention policy"),
    "pdpa_export": _l("Resident data exported for a personal data access request (PDPA)"),
    "resident_question": _l("Question from the police to the resident"),
    "resident_info": _l("Information from the resident (anonymous)"),
    "resident_answer": _l("Answer from the resident (anonymous)"),
    "resident_stopped": _l("The resident (anonymous) ended the conversation"),
    "resident_wait_ended": _l("The police stopped waiting for the resident"),
    "resident_feedback": _l("The resident (anonymous) says it was fixed"),
    "resident_reopened": _l("Reopened: the resident (anonymous) says it was not fixed"),
}
RESIDENT_REMOVED = _l("[removed under the retention policy]")
# Payload keys holding free text, which may carry personal data.
_TEXT_KEYS = ("text", "reason", "note")


def timeline(report, user, lang):
    """Return [{event, label, text}] of the events this user may see, oldest first."""
    internal = sees_internal_events(user)
    entries = []
    for event in report.events:
        if event.internal and not internal:
            continue
        entries.append({"event": event, "label": EVENT_LABELS.get(event.kind, event.kind),
                        "text": _event_text(event, report, user, lang)})
    return entries


def _event_text(event, report, user, lang):
    payload = event.payload or {}
    if event.kind in ("routed", "rerouted"):
        decision = next((d for d in report.routing_decisions if d.id == payload.get("decision_id")), None)
        return decision.explanation(lang) if decision else ""
    if event.kind == "status_changed":
        return f"{status_label(payload['from']) if payload.get('from') else ''} → {status_label(payload['to'])}"
    if "message_id" in payload:  # the resident's words, kept apart so that retention can remove them
        message = next((m for m in report.resident_messages if m.id == payload["message_id"]), None)
        rating, photos = payload.get("rating"), len(payload.get("photo_ids") or ())
        text = visible_text(message.text, user, report) if message else (
            str(RESIDENT_REMOVED) if payload["message_id"] else "")
        if photos:
            text = f"{text} ({_l('%(n)d photos added', n=photos)})".strip()
        return f"{text} ({_l('rating %(n)s of 5', n=rating)})" if rating else text
    if event.kind == "supporter_added":
        return str(_l("%(n)d residents in total", n=payload.get("count", 0) + 1))
    for key in _TEXT_KEYS:
        if payload.get(key):
            return visible_text(payload[key], user, report)
    return ""


def open_questions(report):
    """Return the police questions the member has not answered yet."""
    answered = {e.payload.get("question_id") for e in report.events if e.kind == "answer"}
    return [e for e in report.events if e.kind == "question" and not e.internal and e.id not in answered]
