"""Signed MOU documents: PDF checks, where the files live, and who may open them."""
import os

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from app.core.storage import LocalStorage
from app.extensions import db
from app.stations.models import MouRecord

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


def document_storage():
    """Return the storage of MOU documents (config MOU_DOCUMENT_DIR, else instance/mou_documents)."""
    root = current_app.config.get("MOU_DOCUMENT_DIR") or os.path.join(current_app.instance_path, "mou_documents")
    return LocalStorage(root)

def document_links(mous):
    """Return {mou_id: URL of its signed document} for the MOUs that have one (coverage map popups)."""
    ids = [m.id for m in mous]
    if not ids or "oversight" not in current_app.blueprints:
        return {}
    with_document = db.session.scalars(db.select(MouRecord.mou_id).where(
        MouRecord.mou_id.in_(ids), MouRecord.document_key.isnot(None)))
    return {mou_id: url_for("oversight.mou_document", mou_id=mou_id) for mou_id in with_document}
