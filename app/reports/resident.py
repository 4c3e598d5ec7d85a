"""The resident's voice on the tracking page: add information, answer the desk, stop, and say whether it was fixed.

The resident is anonymous: whoever holds the reference number and the secret code acts as the report's
`TrackedResident`, which has no user id, so the events it appends carry no actor and the desk only ever
reads "the resident (anonymous)". What the resident writes is kept in resident_messages (the event holds
its id), never in an outbound message, a public page or Open311, and retention removes it with the contact
(app/reports/retention.py). Every write is checked here: open report, conversation not stopped, the
per-report rate limit, the length, and a confirm step when the text looks like a phone or ID number.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.errors import WorkflowError
from app.reports.lifecycle import record_event
from app.reports.models import OPEN_STATUSES, ReportFeedback, ReportPhoto, ReportStatus, ResidentMessage
from app.reports.pii import KIND_LABELS, personal_data_kinds

# The intake's own storing: sealed original, metadata-free public copy and thumbnail, files removed on failure.
from app.reports.services import store_photos
from app.reports.signals import resident_wrote
from app.reports.staging import delete_files
from app.reports.workflow import TrackedResident, perform

MAX_TEXT = 2000
RESIDENT_KINDS = ("resident_info", "resident_answer", "resident_stopped", "resident_feedback", "resident_reopened")
NOT_RESOLVED_REASON = "not resolved"  # the reopen's reason when the resident wrote no comment


class ResidentRefused(ValueError):
    """The resident's message or answer cannot be taken now; `message` says why in their language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NeedsPiiConfirmation(ResidentRefused):
    """The text looks like it holds a phone or ID number: the resident must confirm before it is sent."""

    def __init__(self, kinds):
        found = ", ".join(str(KIND_LABELS[k]) for k in kinds)
        super().__init__(_l("Your text seems to contain %(found)s. The police can identify you by it. Remove it, "
                            "or tick the box to send it anyway.", found=found))
        self.kinds = kinds


def resident_of(report):
    """Return the anonymous actor of a report whose secret the caller has just shown."""
    return TrackedResident(report.id)


def open_question(report):
    """Return the desk's question the resident has not answered yet, or None."""
    if report.status != ReportStatus.NEEDS_RESIDENT:
        return None
    return next((e for e in reversed(report.events) if e.kind == "resident_question"), None)


def conversation(report):
    """Return the exchange as the resident sees it: [{who, kind, text, at, photos}], oldest first; photos are the
    ids of the photos the resident added with that message."""
    texts = {m.id: m.text for m in report.resident_messages}
    entries = []
    for event in report.events:
        payload = event.payload or {}
        if event.kind == "resident_question":
            entries.append({"who": "police", "kind": event.kind, "text": payload.get("text", ""),
                            "at": event.created_at, "photos": []})
        elif event.kind in RESIDENT_KINDS:
            entries.append({"who": "resident", "kind": event.kind, "text": texts.get(payload.get("message_id"), ""),
                            "at": event.created_at, "photos": list(payload.get("photo_ids") or ())})
    return entries


def resident_photo_ids(report):
    """Return the ids of the photos the resident added on the tracking page (the only ones it shows them)."""
    return {photo_id for entry in conversation(report) for photo_id in entry["photos"]}


def send_message(report, text, *, photos=(), pii_confirmed=False, now=None):
    """Take the resident's text and photos (processed as at intake): the answer to the open question, or else
    information added. Flush; the photo files are removed again if anything fails."""
    now = now or utcnow()
    _check_channel(report, now)
    text = _checked_text(text, pii_confirmed, required=not photos)
    waiting = report.status == ReportStatus.NEEDS_RESIDENT
    stored = store_photos(photos) if photos else []
    try:
        message = _store(report, "answer" if waiting else "info", text, now)
        photo_ids = _add_photos(report, stored, now)
        if waiting:
            event = _perform(report, "resident_answer", now, message_id=message.id, photo_ids=photo_ids)
        else:
            report.updated_at = now
            event = record_event(report, "resident_info", None, now=now, message_id=message.id, photo_ids=photo_ids)
        resident_wrote.send(report, answered=waiting)
        return event
    except BaseException:
        delete_files(stored)
        raise


def _add_photos(report, stored, now):
    first = max((p.position for p in report.photos), default=-1) + 1
    photos = [ReportPhoto(report=report, position=first + n, created_at=now, **item) for n, item in enumerate(stored)]
    db.session.add_all(photos)
    db.session.flush()
    return [photo.id for photo in photos]


def stop_conversation(report, now=None):
    """End the conversation for good: the desk can no longer ask and the resident no longer write. Flush."""
    now = now or utcnow()
    if report.resident_has_stopped:
        return None
    if report.status == ReportStatus.NEEDS_RESIDENT:
        return _perform(report, "resident_stop", now)
    return record_event(report, "resident_stopped", None, now=now)


def pending_feedback(report, party):
    """Return the outcome event a party ('resident', 'member') has not yet said "fixed or not" about, or None."""
    if report.status != ReportStatus.ACTION_TAKEN:
        return None
    outcome = next((e for e in reversed(report.events) if e.kind == "outcome"), None)
    if outcome is None or any(f.party == party and f.outcome_event_id == outcome.id for f in report.feedback):
        return None
    return outcome


def parse_feedback(resolved, rating):
    """Return (resolved, rating) from form values ('yes'/'no', '' or '1'..'5'), or raise ResidentRefused."""
    if resolved not in ("yes", "no"):
        raise ResidentRefused(_l("Say whether the problem was fixed."))
    if rating in (None, ""):
        return resolved == "yes", None
    if rating not in ("1", "2", "3", "4", "5"):
        raise ResidentRefused(_l("Choose a rating from 1 to 5, or none."))
    return resolved == "yes", int(rating)


def record_resident_feedback(report, resolved, rating, comment, *, pii_confirmed=False, now=None):
    """Take the resident's "was it fixed?"; not resolved reopens the report with their words. Flush."""
    now = now or utcnow()
    outcome = pending_feedback(report, "resident")
    if outcome is None:
        raise ResidentRefused(_l("There is nothing to answer about this report now."))
    _check_rate(report, now)
    comment = _checked_text(comment, pii_confirmed, required=False)
    message = _store(report, "feedback", comment, now) if comment else None
    _add_feedback(report, "resident", outcome, resolved, rating, now)
    message_id = message.id if message else None
    if not resolved:
        return _perform(report, "resident_reopen", now, message_id=message_id, rating=rating)
    report.updated_at = now
    return record_event(report, "resident_feedback", None, now=now, message_id=message_id, resolved=True,
                        rating=rating)


def record_member_feedback(report, member, resolved, rating, comment, now=None):
    """Take the member's "was it fixed?": resolved confirms and closes, not resolved reopens with the comment."""
    now = now or utcnow()
    outcome = pending_feedback(report, "member")
    if outcome is None or report.filed_by_id != member.id:
        raise ResidentRefused(_l("There is nothing to answer about this report now."))
    comment = " ".join((comment or "").split())[:MAX_TEXT] if comment else ""
    _add_feedback(report, "member", outcome, resolved, rating, now)
    try:
        if resolved:
            return perform(report, "confirm", member, now=now)
        return perform(report, "reopen", member, now=now, reason=comment or str(_l("Not resolved")))
    except WorkflowError as error:
        raise ResidentRefused(error.message) from error


def _add_feedback(report, party, outcome, resolved, rating, now):
    db.session.add(ReportFeedback(report_id=report.id, party=party, outcome_event_id=outcome.id,
                                  resolved=resolved, rating=rating, station_id=report.station_id, created_at=now))


def _perform(report, name, now, **data):
    try:
        return perform(report, name, resident_of(report), now=now, **data)
    except WorkflowError as error:
        raise ResidentRefused(error.message) from error


def _check_channel(report, now):
    if report.status not in OPEN_STATUSES:
        raise ResidentRefused(_l("This report is closed. For anything new, contact the council member."))
    if report.resident_has_stopped:
        raise ResidentRefused(_l("You ended this conversation. For anything new, contact the council member."))
    _check_rate(report, now)


def _check_rate(report, now):
    config = current_app.config
    for window, limit in ((timedelta(hours=1), int(config.get("RESIDENT_MESSAGES_PER_HOUR", 5))),
                          (timedelta(days=1), int(config.get("RESIDENT_MESSAGES_PER_DAY", 20)))):
        sent = db.session.scalar(db.select(db.func.count(ResidentMessage.id)).where(
            ResidentMessage.report_id == report.id, ResidentMessage.created_at > now - window))
        if sent >= limit:
            raise ResidentRefused(_l("You have sent many messages on this report. Please wait and try again "
                                     "later."))


def _checked_text(text, pii_confirmed, *, required):
    text = (text or "").strip()
    if not text:
        if required:
            raise ResidentRefused(_l("Write your message first."))
        return ""
    if len(text) > MAX_TEXT:
        raise ResidentRefused(_l("Please keep this under %(max)d characters.", max=MAX_TEXT))
    kinds = personal_data_kinds(text)
    if kinds and not pii_confirmed:
        raise NeedsPiiConfirmation(kinds)
    return text


def _store(report, kind, text, now):
    message = ResidentMessage(report_id=report.id, kind=kind, text=text, created_at=now)
    db.session.add(message)
    db.session.flush()
    return message
