"""What key rotation needs from reports: the photo originals on storage and the phone index to rebuild."""
from app.extensions import db
from app.reports.models import ReportPhoto
from app.reports.retention import reindex_phone_batch

BATCH = 500


def photo_original_batches(after_id):
    """Return the next (photo id, storage key of its sealed original) rows after after_id."""
    return db.session.execute(db.select(ReportPhoto.id, ReportPhoto.original_key).where(ReportPhoto.id > after_id)
                              .order_by(ReportPhoto.id).limit(BATCH)).all()


def reindex_phones(count):
    """Rebuild the residents' phone blind index, which is keyed by the first sealing key."""
    last_id = 0
    while last_id is not None:
        last_id, batch = reindex_phone_batch(last_id)
        db.session.commit()
        for _ in range(batch.updated):
            count.add("rotated", "reports.resident_phone_index")


def photo_storage_keys():
    """Yield every storage key photo rows expect (a purged original is expected gone): `flask storage check`."""
    from app.reports.staging import StagedPhoto

    rows = db.session.execute(db.select(ReportPhoto.original_key, ReportPhoto.public_key, ReportPhoto.thumb_key,
                                        ReportPhoto.original_purged_at)).yield_per(1000)
    for original, public, thumb, purged_at in rows:
        if purged_at is None:
            yield original
        yield public
        yield thumb
    for row in db.session.execute(db.select(StagedPhoto.original_key, StagedPhoto.public_key,
                                            StagedPhoto.thumb_key)).yield_per(1000):
        yield from row
