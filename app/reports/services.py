"""Writes of the intake: file a report once, add a supporter, follow up, reveal sealed contact data."""
import logging

from sqlalchemy.exc import IntegrityError

from app.core.storage import get_storage
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.errors import WorkflowError
from app.reports.filing import write_new_report
from app.reports.intake import intake_checks
from app.reports.lifecycle import compute_due_times, record_event
from app.reports.models import OPEN_STATUSES, Report, ReportStatus
from app.reports.phone_index import phone_index
from app.reports.reference import issue_reference, new_tracking_secret
from app.reports.routing_service import outside_province_note_for, preview_route
from app.reports.signals import question_answered, report_routed
from app.reports.staging import delete_files, store_files
from app.reports.workflow import perform
from app.security.access import is_routed_police
from app.security.sealing import seal, unseal, unseal_bytes

log = logging.getLogger(__name__)


class NeedsConfirmation(Exception):
    """The member must see these checks and confirm before the report is filed."""

    def __init__(self, checks, missing):
        super().__init__(", ".join(missing))
        self.checks = checks
        self.missing = missing


class ReportActionError(ValueError):
    """A follow-up that is not possible in the report's current state."""


def find_submitted(member, idempotency_key):
    """Return the report this member already filed with this idempotency key, or None."""
    report_id = db.session.scalar(_SUBMITTED, {"member_id": member.id, "key": idempotency_key})
    return db.session.get(Report, report_id) if report_id is not None else None


# Asked on every filing, and nearly always finds nothing: built once, and only the id comes back (a report's
# whole row is about forty columns for the driver to describe, even when no row follows).
_SUBMITTED = db.select(Report.id).where(Report.filed_by_id == db.bindparam("member_id"),
                                        Report.idempotency_key == db.bindparam("key"))


def submit_report(member, draft, photos=(), staged=(), now=None, known_new=False):
    """File a report once per idempotency key and commit; return (report, created).

    The one place that guarantees "stored exactly once": a retry, or a concurrent duplicate that loses
    the race at the unique key, gets the first report with created False. Raises NeedsConfirmation when
    the member has not yet confirmed a boundary pin, personal data in the text or nearby duplicates.
    Routing, the reference number and the outbox rows join the same transaction. photos: processed photos
    to store now; staged: photos the form already kept (app/reports/staging.py), attached as they are.
    known_new: the caller has just looked up the key in this transaction (find_submitted) and found nothing;
    the unique key still settles a concurrent duplicate below.
    """
    existing = None if known_new else find_submitted(member, draft.idempotency_key)
    if existing is not None:
        return existing, False
    created_at = now or utcnow()
    checks = intake_checks(member, draft, at=created_at)
    missing = checks.unconfirmed(draft)
    if missing:
        raise NeedsConfirmation(checks, missing)
    # Files are written before the counter is taken, so its row lock is held as briefly as possible.
    stored = store_photos(photos)
    try:
        report = _insert_report(member, draft, checks, [s.stored_item() for s in staged] + stored, created_at)
        for photo in staged:
            db.session.delete(photo)
        reference, username = report.reference_number, member.username
        _commit_keeping_columns()
    except IntegrityError:
        # A concurrent retry with the same key won the race: its report is the one to show (and owns the
        # staged files, so only this attempt's own files go).
        db.session.rollback()
        delete_files(stored)
        existing = find_submitted(member, draft.idempotency_key)
        if existing is None:
            raise
        return existing, False
    except BaseException:
        delete_files(stored)
        raise
    log.info("report %s filed by %s", reference, username)
    return report, True


def _commit_keeping_columns():
    # Everything the filing holds was read or written by this very transaction, so it is what was stored:
    # not expiring it saves the SELECTs that reading the report's id or reference after the commit would cost.
    # Its collections (events, decisions, photos) were never loaded: they load from the database when read.
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _insert_report(member, draft, checks, stored, created_at):
    category = draft.category
    priority = draft.priority or category.default_priority
    ack_due_at, act_due_at = compute_due_times(category, priority, created_at)
    place = checks.place_name
    values = dict(
        pao_id=member.pao_id, category_id=category.id, narrative=draft.narrative, answers=draft.answers,
        occurred_at=draft.occurred_at, lat=draft.lat, lon=draft.lon, accuracy_m=draft.accuracy_m,
        address_text=draft.address_text, priority=priority, status=ReportStatus.NEW, filed_by_id=member.id,
        idempotency_key=draft.idempotency_key, resident_anonymous=draft.resident_anonymous,
        resident_name_sealed=seal(draft.resident_name), resident_phone_sealed=seal(draft.resident_phone),
        resident_phone_index=phone_index(draft.resident_phone),
        consent_at=created_at if (draft.resident_name or draft.resident_phone) else None,
        tracking_secret=new_tracking_secret(), created_at=created_at, updated_at=created_at,
        ack_due_at=ack_due_at, act_due_at=act_due_at, reference_number=issue_reference(member.pao, created_at),
        outside_province=checks.outside_province, tambon_code=place.tambon_code if place else None,
        amphoe_code=place.amphoe_code if place else None,
    )
    # The intake checks routed this very pin, category and PAO a moment ago: that decision is stored as it is.
    decision = checks.decision or preview_route(lat=draft.lat, lon=draft.lon, category=category, pao=member.pao,
                                                at=created_at)
    report = write_new_report(values, stored, member=member, decision=decision,
                              note=outside_province_note_for(member.pao) if checks.outside_province else None)
    report_routed.send(report)
    return report


def store_photos(photos):
    """Store processed photos (sealed original, public copy, thumbnail); on failure remove what was stored."""
    stored = []
    try:
        for photo in photos:
            stored.append(store_files(photo))
    except BaseException:
        delete_files(stored)
        raise
    return stored


def add_supporter(report, member, idempotency_key=None):
    """Count one more resident behind an open report of the member's PAO; a repeated key counts once."""
    if report.pao_id != member.pao_id or report.status not in OPEN_STATUSES:
        raise ReportActionError("only an open report of your PAO can be supported")
    if idempotency_key and any(e.kind == "supporter_added" and e.actor_id == member.id
                               and e.payload.get("key") == idempotency_key for e in report.events):
        return report
    # An SQL increment: two members adding at once both count, without a lost update.
    db.session.execute(db.update(Report).where(Report.id == report.id)
                       .values(supporter_count=Report.supporter_count + 1))
    db.session.refresh(report)
    record_event(report, "supporter_added", member, count=report.supporter_count, key=idempotency_key)
    return report


def add_info(report, member, text):
    """Append information the member learned after filing."""
    return _member_event(report, member, "info_added", {"text": text})


def answer_question(report, member, question, text):
    """Record the member's answer to a police question; a report waiting for it goes back to the police."""
    if question.report_id != report.id or question.kind != "question" or question.internal:
        raise ReportActionError("not a question on this report")
    if report.status == ReportStatus.NEEDS_INFO:
        result = _member_transition(report, member, "answer", text=text, question_id=question.id)
    else:
        result = _member_event(report, member, "answer", {"text": text, "question_id": question.id})
    question_answered.send(report)
    return result


def confirm_outcome(report, member):
    """Accept the station's outcome and close the report."""
    return _member_transition(report, member, "confirm")


def reopen_report(report, member, reason):
    """Reopen a report whose outcome did not solve the concern, saying why."""
    return _member_transition(report, member, "reopen", reason=reason)


def _member_transition(report, member, name, **data):
    # The triage workflow owns every status change; its refusal reaches the member's pages as ours.
    if report.filed_by_id != member.id:
        raise ReportActionError("only the member who filed the report can do this")
    try:
        return perform(report, name, member, **data)
    except WorkflowError as error:
        raise ReportActionError(str(error)) from error


def _member_event(report, member, kind, payload):
    if report.filed_by_id != member.id:
        raise ReportActionError("only the member who filed the report can do this")
    report.updated_at = utcnow()
    return record_event(report, kind, member, **payload)


def reveal_contact(report, user, reason):
    """Return the resident's contact to police of the routed station, recording the reveal as an event."""
    reason = (reason or "").strip()
    if not is_routed_police(user, report):
        raise PermissionError("only police of the station the report is routed to may see the contact")
    if not reason:
        raise ReportActionError("a reason is required to see the resident's contact")
    record_event(report, "contact_viewed", user, internal=True, reason=reason[:500])
    return {"name": unseal(report.resident_name_sealed), "phone": unseal(report.resident_phone_sealed),
            "anonymous": report.resident_anonymous}


def open_original_photo(photo, user):
    """Return a photo's original bytes to police of the routed station, recording the view."""
    if not is_routed_police(user, photo.report):
        raise PermissionError("only police of the station the report is routed to may see originals")
    record_event(photo.report, "original_photo_viewed", user, internal=True, photo_id=photo.id)
    return unseal_bytes(get_storage().read(photo.original_key))
