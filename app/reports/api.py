"""JSON endpoints the intake form's script calls: place preview, duplicates, text check, search, photo GPS."""
from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.categories.models import Category
from app.core.i18n import current_lang
from app.extensions import db, limiter
from app.reports import bp
from app.reports.duplicates import find_duplicates
from app.reports.geocode import (
    NO_QUERY_MESSAGE,
    NOTHING_FOUND_MESSAGE,
    UNAVAILABLE_MESSAGE,
    GeocodingUnavailable,
    search_places,
)
from app.reports.intake import check_place
from app.reports.intake_page import pii_message
from app.reports.labels import status_label
from app.reports.photos import gps_from_bytes
from app.reports.pii import personal_data_kinds
from app.routing import RoutingInputError
from app.routing.inputs import parse_coordinate
from app.security.access import role_required
from app.security.params import int_arg
from app.stations.models import Station

# The EXIF block sits at the start of a photo; the script sends only this much of the file.
PHOTO_HEAD_BYTES = 256 * 1024


def _error(field, message, status=400):
    return jsonify(error={"field": field, "message": str(message)}), status


def _place_args():
    """Return (category, lat, lon) from the query string, or an error response."""
    try:
        lat = parse_coordinate(request.args.get("lat"), "lat")
        lon = parse_coordinate(request.args.get("lon"), "lon")
    except RoutingInputError as error:
        return None, _error(error.field, error.message_th if current_lang() == "th" else error.message_en)
    category = db.session.get(Category, int_arg(request.args, "category_id", 0))
    if category is None or category.parent_id is None or not category.active:
        return None, _error("category_id", _("Choose what the concern is about."))
    return (category, lat, lon), None


@bp.get("/api/preview")
@role_required("council_member")
def api_preview():
    """Return the tambon/amphoe of the pin and the station the report would go to, with the reason."""
    args, error = _place_args()
    if error:
        return error
    category, lat, lon = args
    photo_gps = None
    if request.args.get("photo_lat") and request.args.get("photo_lon"):
        try:
            photo_gps = (parse_coordinate(request.args["photo_lat"], "lat"),
                         parse_coordinate(request.args["photo_lon"], "lon"))
        except RoutingInputError:
            photo_gps = None  # the photo's location is a hint; a bad one is ignored, not an error
    decision, place, warnings = check_place(pao=current_user.pao, category=category, lat=lat, lon=lon,
                                            photo_gps=photo_gps)
    lang = current_lang()
    station = None
    if decision is not None and decision.station_id is not None:
        row = db.session.get(Station, decision.station_id)
        station = {"code": row.code, "name": row.name(lang)}
    return jsonify(
        place=place.to_dict() if place else None,
        place_text=place.text(lang) if place else None,
        station=station,
        rule=decision.rule if decision else None,
        near_boundary=bool(decision and decision.near_boundary),
        explanation=(decision.explanation_th if lang == "th" else decision.explanation_en) if decision else None,
        warnings=[{"kind": w.kind, "message": str(w.message)} for w in warnings],
    )


@bp.get("/api/duplicates")
@role_required("council_member")
def api_duplicates():
    """Return open reports of the same category nearby, as the disclosure rule allows: no narrative, no names."""
    args, error = _place_args()
    if error:
        return error
    category, lat, lon = args
    rows = find_duplicates(pao_id=current_user.pao_id, category_id=category.id, lat=lat, lon=lon,
                           viewer=current_user)
    return jsonify(duplicates=[duplicate_data(r, category) for r in rows])


def duplicate_data(row, category):
    """Return one nearby report for the script; exact metres and the reference only for openable reports."""
    data = {"category": category.name(current_lang()), "distance": row.distance_text, "band_m": row.band,
            "age_days": row.age_days(), "status": row.status.value, "status_label": str(status_label(row.status)),
            "supporter_count": row.supporter_count, "support_url": url_for("reports.support", report_id=row.id)}
    if row.may_open:
        data.update(reference_number=row.reference_number, distance_m=row.distance_m)
    return data


@bp.post("/api/check-text")
@role_required("council_member")
def api_check_text():
    """Tell the member which kinds of personal data the narrative contains."""
    text = (request.form.get("narrative") or "")[:20000]
    kinds = personal_data_kinds(text)
    return jsonify(kinds=kinds, message=pii_message(kinds) if kinds else None)


def _geocode_limit():
    return current_app.config.get("GEOCODE_RATE_LIMIT", "20 per minute")


@bp.get("/api/geocode")
@role_required("council_member")
@limiter.limit(_geocode_limit, key_func=lambda: f"geocode:{current_user.id}")
def api_geocode():
    """Search places by name, through the configured geocoder."""
    query = (request.args.get("q") or "").strip()
    if len(query) < 2:
        return _error("q", NO_QUERY_MESSAGE)
    try:
        results = search_places(query, current_lang())
    except GeocodingUnavailable:
        return _error("q", UNAVAILABLE_MESSAGE, 503)
    return jsonify(results=results, message=None if results else str(NOTHING_FOUND_MESSAGE))


@bp.post("/api/photo-location")
@role_required("council_member")
def api_photo_location():
    """Return the GPS position stored in a photo's EXIF, read from the start of the file."""
    upload = request.files.get("photo")
    if upload is None:
        return _error("photo", _("Choose a photo."))
    gps = gps_from_bytes(upload.stream.read(PHOTO_HEAD_BYTES))
    if gps is None:
        return jsonify(found=False)
    return jsonify(found=True, lat=gps[0], lon=gps[1])
