"""Photo files: the public copy and thumbnail to whoever may see the report, originals to its station."""
import io

from flask import abort, render_template, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.storage import get_storage
from app.extensions import db
from app.reports import bp
from app.reports.models import ReportPhoto
from app.reports.queries import find_report
from app.reports.services import open_original_photo


def _photo(photo_id):
    photo = db.session.get(ReportPhoto, photo_id)
    if photo is None:
        abort(404)
    find_report(current_user, photo.report_id) or abort(404)
    return photo


@bp.get("/photos/<int:photo_id>/<any(thumb, public):variant>.jpg")
@login_required
def photo_file(photo_id, variant):
    """Send a photo's metadata-free copy or thumbnail."""
    return send_copy(_photo(photo_id), variant, max_age=3600)


def send_copy(photo, variant, *, max_age=0):
    """Send the metadata-free copy ("public") or the thumbnail ("thumb") of a photo, never to shared caches."""
    key = photo.thumb_key if variant == "thumb" else photo.public_key
    try:
        data = get_storage().read(key)
    except FileNotFoundError:
        abort(404)
    response = send_file(io.BytesIO(data), mimetype="image/jpeg", max_age=max_age)
    response.cache_control.private = True
    response.cache_control.public = False
    if not max_age:
        response.cache_control.no_store = True
    return response


@bp.get("/photos/<int:photo_id>/original")
@login_required
def photo_original(photo_id):
    """Send the sealed original (with its metadata) to police of the routed station, and record it."""
    photo = _photo(photo_id)
    try:
        data = open_original_photo(photo, current_user)
    except PermissionError:
        abort(403)
    except FileNotFoundError:
        if photo.original_purged_at is None:
            abort(404)
        return _original_removed()
    db.session.commit()
    response = send_file(io.BytesIO(data), mimetype=f"image/{photo.original_format.lower()}",
                         download_name=f"photo-{photo.id}-original.{photo.original_format.lower()}")
    response.headers["Cache-Control"] = "no-store"
    return response


def _original_removed():
    """Say that the retention policy removed the original (410 Gone); the public copy is still there."""
    db.session.rollback()  # no view happened, so none is recorded
    message = _("The original of this photo was removed under the retention policy. "
                "The copy without metadata is still shown on the report.")
    return render_template("errors/error.html", code=410, title=_("Removed"), message=message), 410
