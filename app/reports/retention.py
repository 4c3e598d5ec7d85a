"""Retention of residents' personal data: remove contacts and sealed photo originals after a report ends.

RETENTION_CONTACT_DAYS and RETENTION_PHOTO_ORIGINAL_DAYS count from Report.closed_at, which the
workflow sets when a report is closed or rejected and clears when it is reopened, so a reopened
report is kept whole until it ends again. The report itself stays: reference, category, narrative,
place, public photo copies and timeline. What the resident wrote on the tracking page (resident_messages)
goes with the contact: the timeline then says the words were removed. Each purge appends one internal
"retention_purged" event, which is the record of what was removed and when.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from cryptography.fernet import InvalidToken
from flask import current_app

from app.core.storage import get_storage
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.lifecycle import record_event
from app.reports.models import OPEN_STATUSES, Report, ReportPhoto, ReportStatus, ResidentMessage
from app.reports.phone_index import phone_index
from app.security.sealing import unseal

log = logging.getLogger(__name__)

PURGE_EVENT = "retention_purged"
ENDED_STATUSES = frozenset(set(ReportStatus) - OPEN_STATUSES)  # closed and rejected
BATCH = 200


@dataclass
class PurgeCount:
    """Reports touched, contacts removed and photo originals deleted by one purge (or dry run)."""

    reports: int = 0
    contacts: int = 0
    originals: int = 0

    def __iadd__(self, other):
        self.reports += other.reports
        self.contacts += other.contacts
        self.originals += other.originals
        return self

    def __str__(self):
        return f"reports {self.reports}, contacts {self.contacts}, photo originals {self.originals}"


def retention_cutoffs(now):
    """Return (contact cutoff, photo-original cutoff): reports closed at or before these are due."""
    config = current_app.config
    return (now - timedelta(days=config["RETENTION_CONTACT_DAYS"]),
            now - timedelta(days=config["RETENTION_PHOTO_ORIGINAL_DAYS"]))


def _ended_before(cutoff):
    return db.and_(Report.status.in_(ENDED_STATUSES), Report.closed_at.is_not(None), Report.closed_at <= cutoff)


def _has_contact():
    return db.or_(Report.resident_name_sealed.is_not(None), Report.resident_phone_sealed.is_not(None),
                  Report.resident_phone_index.is_not(None),
                  db.select(ResidentMessage.id).where(ResidentMessage.report_id == Report.id).exists())


def _kept_original():
    return ReportPhoto.original_purged_at.is_(None)


def _due(now):
    contact_cutoff, photo_cutoff = retention_cutoffs(now)
    # Only reports with something left to remove qualify, so a second run finds nothing.
    return db.or_(db.and_(_ended_before(contact_cutoff), _has_contact()),
                  db.and_(_ended_before(photo_cutoff), db.select(ReportPhoto.id).where(
                      ReportPhoto.report_id == Report.id, _kept_original()).exists()))


def count_expired(now=None):
    """Return what purge_expired would remove now, without changing anything."""
    now = now or utcnow()
    contact_cutoff, photo_cutoff = retention_cutoffs(now)
    count = db.func.count
    return PurgeCount(
        reports=db.session.scalar(db.select(count(Report.id)).where(_due(now))),
        contacts=db.session.scalar(db.select(count(Report.id)).where(_ended_before(contact_cutoff),
                                                                      _has_contact())),
        originals=db.session.scalar(db.select(count(ReportPhoto.id)).join(Report).where(
            _ended_before(photo_cutoff), _kept_original())))


def purge_expired(now=None, batch=BATCH):
    """Remove expired contacts and photo originals of up to `batch` reports, recording each; flush only."""
    now = now or utcnow()
    contact_cutoff, photo_cutoff = retention_cutoffs(now)
    reports = db.session.scalars(db.select(Report).where(_due(now))
                                 .order_by(Report.closed_at, Report.id).limit(batch)).all()
    storage, total = get_storage(), PurgeCount()
    for report in reports:
        contact = report.closed_at <= contact_cutoff and _purge_contact(report, now)
        originals = _purge_originals(report, storage, now) if report.closed_at <= photo_cutoff else 0
        if not (contact or originals):
            continue  # a file that could not be deleted is tried again on the next run
        record_event(report, PURGE_EVENT, None, internal=True, now=now, contact=contact, originals=originals,
                     closed_at=report.closed_at.isoformat())
        total += PurgeCount(1, int(contact), originals)
        log.info("retention: %s purged (contact %s, originals %d)", report.reference_number, contact, originals)
    db.session.flush()
    return total


def _purge_contact(report, now):
    messages = db.session.execute(db.delete(ResidentMessage).where(ResidentMessage.report_id == report.id)
                                  .execution_options(synchronize_session=False)).rowcount
    if messages:
        db.session.expire(report, ["resident_messages"])
    if report.resident_name_sealed is None and report.resident_phone_sealed is None \
            and report.resident_phone_index is None and not messages:
        return False
    report.resident_name_sealed = report.resident_phone_sealed = report.resident_phone_index = None
    report.updated_at = now
    return True


def _purge_originals(report, storage, now):
    removed = 0
    for photo in report.photos:
        if photo.original_purged_at is not None:
            continue
        try:
            storage.delete(photo.original_key)
        except OSError:
            log.exception("retention: could not delete photo original %s", photo.original_key)
            continue
        photo.original_purged_at = now
        removed += 1
    return removed


def contact_removed(report):
    """Return True when the retention policy removed this report's resident contact."""
    return any(e.kind == PURGE_EVENT and (e.payload or {}).get("contact") for e in report.events)


@dataclass
class ReindexCount:
    checked: int = 0
    updated: int = 0
    unreadable: int = 0


def reindex_phone_batch(after_id=0, batch=500):
    """Set the phone index of up to `batch` reports after `after_id`; return (last id or None, counts)."""
    rows = db.session.execute(db.select(Report.id, Report.resident_phone_sealed, Report.resident_phone_index).where(
        Report.id > after_id, db.or_(Report.resident_phone_sealed.is_not(None),
                                     Report.resident_phone_index.is_not(None)))
        .order_by(Report.id).limit(batch)).all()
    count = ReindexCount()
    for report_id, sealed, current in rows:
        count.checked += 1
        try:
            wanted = phone_index(unseal(sealed))
        except InvalidToken:
            count.unreadable += 1
            continue
        if current != wanted:
            # A plain UPDATE keeping updated_at: an index is no change API clients need to fetch.
            db.session.execute(db.update(Report).where(Report.id == report_id).values(
                resident_phone_index=wanted, updated_at=Report.updated_at).execution_options(
                synchronize_session=False))
            count.updated += 1
    return (rows[-1][0] if rows else None), count
