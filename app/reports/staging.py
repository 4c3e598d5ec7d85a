"""Photos kept on the server while the intake form goes back and forth, so nothing the member chose is lost.

When the form comes back (a correction, a place to confirm, reports nearby), the photos already sent are
stored as they will be kept (sealed original, public copy, thumbnail) and listed on the page; the final
send attaches them to the report. They belong to the member and the form's idempotency key; a photo sent
twice (the phone's draft re-attaches it) is kept once, by its SHA-256. Unclaimed ones are deleted after
STAGED_PHOTO_HOURS by the worker.
"""
import uuid
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.core.storage import get_storage
from app.core.timeutil import utcnow
from app.extensions import db
from app.security.sealing import seal_bytes

STORAGE_DOWN_MESSAGE = _l("Photos cannot be stored right now (the file store does not answer), so the report was "
                          "NOT sent. Everything you typed is kept below: please attach the photos again and send "
                          "in a few minutes.")


class StagedPhoto(db.Model):
    """A photo of a report not filed yet: stored files and what ReportPhoto will need of them."""

    __tablename__ = "staged_photos"
    __table_args__ = (db.Index("ix_staged_photos_member_key", "member_id", "idempotency_key"),)

    id = db.Column(db.Integer, primary_key=True)
    member_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    idempotency_key = db.Column(db.String(64), nullable=False)
    original_key = db.Column(db.String(128), nullable=False)
    public_key = db.Column(db.String(128), nullable=False)
    thumb_key = db.Column(db.String(128), nullable=False)
    original_sha256 = db.Column(db.String(64), nullable=False)
    original_size = db.Column(db.Integer, nullable=False)
    original_format = db.Column(db.String(16), nullable=False)
    width = db.Column(db.Integer, nullable=False)
    height = db.Column(db.Integer, nullable=False)
    gps_lat = db.Column(db.Float)
    gps_lon = db.Column(db.Float)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    @property
    def gps(self):
        return (self.gps_lat, self.gps_lon) if self.gps_lat is not None else None

    def stored_item(self):
        """Return what filing needs to attach this photo to a report (app/reports/services.py)."""
        return {"original_key": self.original_key, "public_key": self.public_key, "thumb_key": self.thumb_key,
                "original_sha256": self.original_sha256, "original_size": self.original_size,
                "original_format": self.original_format, "width": self.width, "height": self.height}


def store_files(photo):
    """Store a processed photo's three files under fresh keys; return their keys and facts."""
    base = f"{utcnow():%Y/%m}/{uuid.uuid4().hex}"
    item = {"original_key": f"{base}-original.sealed", "public_key": f"{base}-public.jpg",
            "thumb_key": f"{base}-thumb.jpg", "original_sha256": photo.sha256,
            "original_size": len(photo.original), "original_format": photo.original_format,
            "width": photo.width, "height": photo.height}
    storage = get_storage()
    try:
        storage.save(item["original_key"], seal_bytes(photo.original))
        storage.save(item["public_key"], photo.public_jpeg)
        storage.save(item["thumb_key"], photo.thumb_jpeg)
    except BaseException:
        delete_files([item])
        raise
    return item


def delete_files(items):
    """Delete the files of stored photo items; a file already gone is not an error."""
    storage = get_storage()
    for item in items:
        for key in (item["original_key"], item["public_key"], item["thumb_key"]):
            try:
                storage.delete(key)
            except OSError:
                pass  # the purge of stale staged photos tries again


def staged_photos(member, key):
    """Return the member's photos kept for this form, in the order they were sent."""
    if not key:
        return []
    return db.session.scalars(db.select(StagedPhoto).where(StagedPhoto.member_id == member.id,
                                                            StagedPhoto.idempotency_key == key)
                              .order_by(StagedPhoto.id)).all()


def stage_photos(member, key, photos):
    """Keep newly sent processed photos for this form (each SHA-256 once); return every photo kept. Flush."""
    kept = staged_photos(member, key)
    known = {photo.original_sha256 for photo in kept}
    stored = []
    try:
        for photo in photos:
            if photo.sha256 in known:
                continue
            item = store_files(photo)
            stored.append(item)
            row = StagedPhoto(member_id=member.id, idempotency_key=key, gps_lat=photo.gps[0] if photo.gps else None,
                              gps_lon=photo.gps[1] if photo.gps else None, **item)
            db.session.add(row)
            kept.append(row)
            known.add(photo.sha256)
        db.session.flush()
    except BaseException:
        # The store went down mid-way (or the flush failed): files of this call go; the caller rolls back rows.
        delete_files(stored)
        raise
    return kept


def drop_staged(member, key, ids):
    """Forget the kept photos the member removed (their files go too). Flush."""
    for photo in staged_photos(member, key):
        if photo.id in ids:
            delete_files([photo.stored_item()])
            db.session.delete(photo)
    db.session.flush()


def purge_stale_staged(now=None, hours=24):
    """Delete photos kept longer than `hours` for forms never sent; return how many."""
    cutoff = (now or utcnow()) - timedelta(hours=hours)
    stale = db.session.scalars(db.select(StagedPhoto).where(StagedPhoto.created_at < cutoff).limit(500)).all()
    for photo in stale:
        delete_files([photo.stored_item()])
        db.session.delete(photo)
    db.session.flush()
    return len(stale)
