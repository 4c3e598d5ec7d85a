"""Report photos over the API: the copies without metadata (originals stay on the station's web pages)."""
import io

from flask import send_file, url_for

from app.api.errors import ApiError
from app.core.storage import get_storage


def photo_links(report):
    """Return the report's photos as [{position, url, thumb_url}], in their order."""
    return [{"position": photo.position,
             "url": url_for("api.report_photo", reference=report.reference_number, position=photo.position),
             "thumb_url": url_for("api.report_photo", reference=report.reference_number, position=photo.position,
                                  size="thumb")}
            for photo in sorted(report.photos, key=lambda p: p.position)]


def photo_response(report, position, *, thumb=False):
    """Send one photo copy of a report the caller may see, or raise not_found."""
    photo = next((p for p in report.photos if p.position == position), None)
    if photo is None:
        raise ApiError("not_found")
    try:
        data = get_storage().read(photo.thumb_key if thumb else photo.public_key)
    except FileNotFoundError:
        raise ApiError("not_found") from None
    response = send_file(io.BytesIO(data), mimetype="image/jpeg", max_age=3600)
    response.cache_control.private = True
    response.cache_control.public = False
    return response
