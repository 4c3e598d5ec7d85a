"""Signed MOU documents: PDF checks, where the files live, and who may open them.

They live in the app's one file store (STORAGE_URL, shared by every server) under keys `mou/<id>/<hex>.pdf`,
and are served only by the app after its access checks. Before that store they lived in a folder of their own
(MOU_DOCUMENT_DIR, default instance/mou_documents): `flask storage import-mou-documents` copies them over.
"""
import hashlib
import logging
import os
import uuid

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from app.core.storage import LocalStorage, get_storage
from app.extensions import db
from app.stations.models import MouRecord

log = logging.getLogger(__name__)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A PDF's trailer sits at its very end; writers may append a line break or a little padding after it.
EOF_WINDOW = 1024


class DocumentRefused(ValueError):
    """An upload that is not a complete PDF within the size limit; the message says what to do."""


def max_document_bytes():
    """Return the largest document accepted (config MOU_DOC_MAX_BYTES, 20 MB by default)."""
    return int(current_app.config.get("MOU_DOC_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_upload(stream, limit):
    """Return at most limit + 1 bytes of an uploaded stream (one more than allowed tells it is too large)."""
    return stream.read(limit + 1)


def check_pdf(data, limit):
    """Raise DocumentRefused unless data looks like a whole PDF file of at most `limit` bytes."""
    if not data:
        raise DocumentRefused(_l("The file is empty. Choose the scanned, signed MOU as a PDF file."))
    if len(data) > limit:
        raise DocumentRefused(_l("The file is larger than %(mb)d MB. Scan it at a lower resolution and try again.",
                                 mb=limit // (1024 * 1024) or 1))
    if not data.startswith(b"%PDF-"):
        raise DocumentRefused(_l("This file is not a PDF (its contents are not PDF, whatever its name). "
                                 "Save or scan the signed MOU as PDF and upload that."))
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise DocumentRefused(_l("This PDF file is incomplete: it was cut off before its end. "
                                 "Copy or download it again and upload the whole file."))


STORAGE_DOWN_MESSAGE = _l("The signed MOU cannot be stored right now (the file store does not answer), so nothing "
                          "was saved. What you typed is kept: choose the PDF file again and send in a few minutes.")


def new_document_key(mou_id):
    """Return a fresh storage key for a signed document of this MOU (a replaced file never shares its key)."""
    return f"mou/{mou_id}/{uuid.uuid4().hex}.pdf"


def document_keys():
    """Yield the storage key of every MOU's signed document (`flask storage check` expects each one stored)."""
    yield from db.session.scalars(db.select(MouRecord.document_key).where(MouRecord.document_key.isnot(None)))


def drop_document(key):
    """Delete a document file no row names any more (call after the commit); a store that is down leaves it,
    and `flask storage check` lists it as a file without a row."""
    if not key:
        return
    try:
        get_storage().delete(key)
    except OSError as error:
        log.warning("replaced MOU document %s left in the file store: %s", key, error)


def legacy_document_folder():
    """Return the folder where MOU documents lived before the file store (MOU_DOCUMENT_DIR or instance/...)."""
    return current_app.config.get("MOU_DOCUMENT_DIR") or os.path.join(current_app.instance_path, "mou_documents")


def import_legacy_documents(folder, echo=lambda line: None):
    """Copy the document of every MOU row from the legacy folder into the file store, each read back and
    compared; return (copied, already_stored, not_in_folder, failed). Files no row names stay behind."""
    source, target = LocalStorage(folder), get_storage()
    counts = {"copied": 0, "stored": 0, "absent": 0, "failed": 0}
    for key in document_keys():
        if not source.exists(key):
            if target.exists(key):
                counts["stored"] += 1
            else:
                counts["absent"] += 1
                echo(f"not in {folder}: {key}")
            continue
        data = source.read(key)
        digest = hashlib.sha256(data).digest()
        if target.exists(key) and hashlib.sha256(target.read(key)).digest() == digest:
            counts["stored"] += 1
            continue
        target.save(key, data)
        verified = hashlib.sha256(target.read(key)).digest() == digest
        counts["copied" if verified else "failed"] += 1
        if not verified:
            echo(f"MISMATCH {key}")
    return counts["copied"], counts["stored"], counts["absent"], counts["failed"]


def document_links(mous):
    """Return {mou_id: URL of its signed document} for the MOUs that have one (coverage map popups)."""
    ids = [m.id for m in mous]
    if not ids or "oversight" not in current_app.blueprints:
        return {}
    with_document = db.session.scalars(db.select(MouRecord.mou_id).where(
        MouRecord.mou_id.in_(ids), MouRecord.document_key.isnot(None)))
    return {mou_id: url_for("oversight.mou_document", mou_id=mou_id) for mou_id in with_document}
