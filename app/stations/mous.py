"""Writes of the MOU registry: register, edit, renew and end MOUs, and attach their signed documents.

Terms go through app.stations.services (create_mou/update_mou), which bump the routing data version,
so every process routes on the new terms at once.
"""
import hashlib
import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.core.storage import get_storage
from app.core.timeutil import utcnow
from app.extensions import db
from app.stations.models import Mou, MouRecord, MouStatus
from app.stations.mou_documents import check_pdf, max_document_bytes, new_document_key
from app.stations.services import StationDataError, bump_routing_version

log = logging.getLogger(__name__)


class MouRegistryError(ValueError):
    """A registry change that cannot be made; the message says why."""


def mou_record(mou):
    """Return the registry record of an MOU, creating it when missing."""
    record = db.session.get(MouRecord, mou.id)
    if record is None:
        record = MouRecord(mou_id=mou.id)
        db.session.add(record)
    return record


def renewal_of(mou):
    """Return the MOU that renews this one, or None."""
    return db.session.scalar(db.select(Mou).join(MouRecord, MouRecord.mou_id == Mou.id)
                             .where(MouRecord.renews_mou_id == mou.id))


def _terms(fn, *args, **kwargs):
    # The station services speak English to importers; the registry only reaches them with checked dates.
    try:
        return fn(*args, **kwargs)
    except StationDataError as error:
        raise MouRegistryError(str(error)) from error


def register_mou(*, pao, station, signed_on, effective_from, expires_on, covers_all, category_codes,
                 document_ref=None, document=None, actor):
    """Record a new MOU between the PAO and a station, with its signed PDF when given; return it."""
    if document is not None:
        check_pdf(document[1], max_document_bytes())  # refuse a bad file before anything is written
    mou = _terms(create_mou, pao=pao, station=station, signed_on=signed_on, effective_from=effective_from,
                 expires_on=expires_on, covers_all=covers_all, category_codes=category_codes,
                 document_ref=document_ref)
    db.session.flush()
    if document is not None:
        attach_document(mou, document, actor=actor)
    log.info("MOU %s registered by %s", mou.id, actor.username)
    return mou


def edit_mou(mou, *, signed_on, expires_on, covers_all, category_codes, document_ref, actor):
    """Change an MOU's terms in place; return True when anything changed."""
    changed = _terms(update_mou, mou, signed_on=signed_on, expires_on=expires_on, status=mou.status,
                     covers_all=covers_all, category_codes=category_codes, document_ref=document_ref)
    if changed:
        log.info("MOU %s edited by %s", mou.id, actor.username)
    return changed


def renew_mou(old, *, signed_on, effective_from, expires_on, covers_all, category_codes, document_ref=None,
              document=None, actor):
    """Record a new MOU continuing `old`; the old one then ends the day before the new one starts."""
    if renewal_of(old) is not None:
        raise MouRegistryError(_l("This MOU has already been renewed; renew the newer MOU instead."))
    if effective_from <= old.effective_from:
        raise MouRegistryError(_l("The renewal must take effect after the MOU it renews."))
    new = register_mou(pao=old.pao, station=old.station, signed_on=signed_on, effective_from=effective_from,
                       expires_on=expires_on, covers_all=covers_all, category_codes=category_codes,
                       document_ref=document_ref, document=document, actor=actor)
    mou_record(new).renews_mou_id = old.id
    day_before = effective_from - timedelta(days=1)
    if old.expires_on is None or old.expires_on > day_before:
        # So the two never overlap and the routing rule stays one MOU per day.
        _terms(update_mou, old, signed_on=old.signed_on, expires_on=day_before, status=old.status,
               covers_all=old.covers_all, category_codes=old.category_codes, document_ref=old.document_ref)
    db.session.flush()
    log.info("MOU %s renewed as %s by %s", old.id, new.id, actor.username)
    return new


def end_mou(mou, *, ended_on, reason, actor, today):
    """End an MOU on a day up to today: it stops routing at once and its expiry becomes that day."""
    reason = (reason or "").strip()
    if mou.status == MouStatus.ENDED:
        raise MouRegistryError(_l("This MOU has already ended."))
    if not reason:
        raise MouRegistryError(_l("Say why the MOU ends."))
    if ended_on > today:
        raise MouRegistryError(_l("An MOU can only be ended today or on a past day. "
                                  "To end it later, change its expiry date instead."))
    expires_on = mou.expires_on
    if ended_on >= mou.effective_from and (expires_on is None or ended_on < expires_on):
        expires_on = ended_on
    _terms(update_mou, mou, signed_on=mou.signed_on, expires_on=expires_on, status=MouStatus.ENDED,
           covers_all=mou.covers_all, category_codes=mou.category_codes, document_ref=mou.document_ref)
    record = mou_record(mou)
    record.ended_on, record.end_reason, record.ended_by_id = ended_on, reason[:2000], actor.id
    db.session.flush()
    log.info("MOU %s ended on %s by %s", mou.id, ended_on, actor.username)
    return mou


def attach_document(mou, document, *, actor):
    """Store the signed PDF of an MOU (document: (filename, bytes)); return the key of the file it replaces
    (None for the first), for drop_document() once the change is committed.

    The file is stored first and the row changed after: a store that is down raises StorageUnavailable before
    any row names the new key, so no row ever points at a file that is not there."""
    filename, data = document
    check_pdf(data, max_document_bytes())
    key = new_document_key(mou.id)
    get_storage().save(key, data)
    # The earlier file stays until the commit: deleting it now could lose the only copy if the commit fails.
    record = mou_record(mou)
    replaced = record.document_key
    record.document_key, record.document_size = key, len(data)
    record.document_name = (filename or "mou.pdf").replace("/", "_").replace("\\", "_")[-200:]
    record.document_sha256 = hashlib.sha256(data).hexdigest()
    record.document_uploaded_at, record.document_uploaded_by_id = utcnow(), actor.id
    db.session.flush()
    log.info("MOU %s document stored (%s bytes) by %s", mou.id, len(data), actor.username)
    return replaced


def covered_codes(categories_text, known_codes):
    """Parse 'all' or 'a;b;c' into (covers_all, codes), checking each code is known."""
    text = (categories_text or "").strip()
    if text.lower() == "all":
        return True, []
    codes = [c.strip() for c in text.split(";") if c.strip()]
    if not codes:
        raise StationDataError("categories must be 'all' or category codes separated by ';'")
    unknown = [c for c in codes if c not in known_codes]
    if unknown:
        raise StationDataError(f"unknown category code(s): {', '.join(unknown)}")
    return False, sorted(set(codes))


def create_mou(*, pao, station, signed_on, effective_from, expires_on=None, status=MouStatus.ACTIVE,
               covers_all=True, category_codes=(), document_ref=None):
    """Record an MOU between a PAO and a station."""
    if expires_on is not None and expires_on < effective_from:
        raise StationDataError(f"MOU with {station.code}: expires_on is before effective_from")
    if effective_from < signed_on:
        raise StationDataError(f"MOU with {station.code}: effective_from is before signed_on")
    mou = Mou(pao=pao, station=station, signed_on=signed_on, effective_from=effective_from,
              expires_on=expires_on, status=MouStatus(status), covers_all=covers_all,
              category_codes=list(category_codes), document_ref=document_ref)
    db.session.add(mou)
    bump_routing_version()
    log.info("MOU recorded: %s - %s", pao.code, station.code)
    return mou


def update_mou(mou, *, signed_on, expires_on, status, covers_all, category_codes, document_ref=None):
    """Change an MOU's terms in place; return True (and bump the routing version) when anything changed."""
    if expires_on is not None and expires_on < mou.effective_from:
        raise StationDataError(f"MOU with {mou.station.code}: expires_on is before effective_from")
    if mou.effective_from < signed_on:
        raise StationDataError(f"MOU with {mou.station.code}: effective_from is before signed_on")
    new = {"signed_on": signed_on, "expires_on": expires_on, "status": MouStatus(status),
           "covers_all": covers_all, "category_codes": sorted(category_codes),
           "document_ref": document_ref or mou.document_ref}
    changed = {k: v for k, v in new.items() if getattr(mou, k) != v}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(mou, key, value)
    bump_routing_version()
    log.info("MOU updated: %s - %s (%s)", mou.pao.code, mou.station.code, ", ".join(changed))
    return True
