"""The jurisdiction editor's map tools: parts of a tambon (drawn or imported as GeoJSON), the tambon inside a
box, and placing a station that has no point. Access as for the editor (app/reports/jurisdiction_views):
a coordinator only ever touches their own PAO's draft and stations.
"""
import json

import shapely
from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.i18n import current_lang
from app.extensions import db
from app.reports.jurisdiction_views import editor_pao, message_of, render_editor
from app.security.access import role_required
from app.stations import bp
from app.stations.jurisdiction import JurisdictionError, get_draft, province_tambon
from app.stations.jurisdiction_parts import MAX_FILE_BYTES, PartsRefused, add_part, import_parts, polygon_from_points
from app.stations.jurisdiction_parts import remove_part as remove_draft_part
from app.stations.jurisdiction_place import pao_stations, place_station
from app.stations.models import Station

MAX_POINTS_TEXT = 100_000  # 1000 points as JSON take about 25,000 characters


def _editor():
    pao = editor_pao()
    if pao is None or not pao.province_code:
        abort(404)
    return pao, get_draft(pao, current_user)


def _refused(pao, error, **kept):
    """Answer 400 with the editor, the problems listed and what was drawn or chosen kept."""
    db.session.rollback()
    lines = (error.lines_th if current_lang() == "th" else error.lines_en) if isinstance(error, PartsRefused) \
        else [message_of(error)]
    return render_editor(pao, 400, part_errors=lines, **kept)


@bp.post("/jurisdiction/parts")
@role_required("admin", "pao_coordinator")
def jurisdiction_add_part():
    """Give the part of a tambon drawn on the map (points as JSON [[lon, lat], ...]) to a station."""
    pao, draft = _editor()
    points, code, tambon = request.form.get("points", ""), request.form.get("station", ""), request.form.get("tambon")
    kept = {"points": points[:MAX_POINTS_TEXT], "station": code, "tambon": tambon or ""}
    station = db.session.scalar(db.select(Station).where(Station.code == code)) if code else None
    try:
        if station is None:
            raise JurisdictionError("choose the station the part goes to", "เลือกสถานีที่จะได้รับส่วนนี้")
        if len(points) > MAX_POINTS_TEXT:
            raise JurisdictionError("a drawn part may have at most 1000 points", "รูปที่วาดมีได้ไม่เกิน 1000 จุด")
        try:
            drawn = json.loads(points)
        except ValueError:
            drawn = None
        made = add_part(draft, polygon_from_points(drawn), station, tambon_code=tambon or None)
    except JurisdictionError as error:
        return _refused(pao, error, **kept)
    db.session.commit()
    flash(_("The drawn part (%(n)d tambon) goes to %(station)s; the draft is saved.", n=len(made),
            station=station.name(current_lang())), "success")
    return redirect(url_for("stations.jurisdiction", pao=pao.code))


@bp.post("/jurisdiction/parts/import")
@role_required("admin", "pao_coordinator")
def jurisdiction_import_parts():
    """Add the parts of an uploaded GeoJSON file (Polygon/MultiPolygon features with a 'station' code)."""
    pao, draft = _editor()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _refused(pao, JurisdictionError("choose a GeoJSON file", "เลือกไฟล์ GeoJSON"))
    data = upload.stream.read(MAX_FILE_BYTES + 1)
    try:
        made = import_parts(draft, data, upload.filename[:120])
    except JurisdictionError as error:
        return _refused(pao, error)
    db.session.commit()
    flash(_("%(n)d part(s) imported into the draft.", n=len(made)), "success")
    return redirect(url_for("stations.jurisdiction", pao=pao.code))


@bp.post("/jurisdiction/parts/<int:part_id>/delete")
@role_required("admin", "pao_coordinator")
def jurisdiction_remove_part(part_id):
    """Give a part back to its tambon's station in the draft."""
    pao, draft = _editor()
    try:
        remove_draft_part(draft, part_id)
    except JurisdictionError:
        abort(404)
    db.session.commit()
    flash(_("The part is given back to its tambon's station; the draft is saved."), "success")
    return redirect(url_for("stations.jurisdiction", pao=pao.code))


@bp.get("/jurisdiction/box.json")
@role_required("admin", "pao_coordinator")
def jurisdiction_box():
    """Return the codes of the province's tambon whose shape meets ?bbox=west,south,east,north."""
    pao = editor_pao()
    try:
        west, south, east, north = (float(v) for v in request.args.get("bbox", "").split(","))
    except ValueError:
        abort(400)
    if pao is None or not (west <= east and south <= north):
        abort(400 if pao is not None else 404)
    box = shapely.box(west, south, east, north)
    codes = [t.code for t in province_tambon(pao) if shapely.intersects(shapely.from_wkb(t.geometry_wkb), box)]
    return jsonify({"tambon": codes})


def _coordinate(name):
    try:
        value = float(request.form.get(name, ""))
    except ValueError:
        return None
    return value if abs(value) <= 180 else None


@bp.post("/jurisdiction/station-point")
@role_required("admin", "pao_coordinator")
def jurisdiction_place_station():
    """Save the point of one of the PAO's stations, dragged on the map or typed."""
    pao, draft = _editor()
    station = db.session.scalar(db.select(Station).where(Station.code == request.form.get("station", "")))
    if station is None or station not in pao_stations(pao, draft):
        abort(404)
    lat, lon = _coordinate("lat"), _coordinate("lon")
    try:
        place_station(pao, draft, station, lat, lon, tambon=province_tambon(pao), actor=current_user)
    except JurisdictionError as error:
        return _refused(pao, error, place={"station": station.code, "lat": request.form.get("lat", "")[:40],
                                           "lon": request.form.get("lon", "")[:40]})
    db.session.commit()
    flash(_("The point of %(station)s is saved.", station=station.name(current_lang())), "success")
    return redirect(url_for("stations.jurisdiction", pao=pao.code))
