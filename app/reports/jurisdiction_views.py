"""The jurisdiction editor (/stations/jurisdiction): tambon on the map coloured by station in the PAO's draft,
assigning tambon (tapped, ticked or a whole amphoe) to a station, publishing with an effective day after a
dry run of the open reports that would move, and comparing versions.

The pages live under /stations but here in the reports layer, because publishing re-routes open reports.
Every change is a plain form (keyboard and screen-reader usable); the map only fills it in: tapped or
boxed tambon tick their boxes, a drawn part fills the part form's points (a GeoJSON file does without the
map), a dragged station fills its latitude and longitude (which can be typed). The map tools' routes are in
app/reports/jurisdiction_part_views.py.
"""
import json
from datetime import date

import shapely
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.i18n import be_date, current_lang
from app.extensions import db
from app.reports.jurisdiction_publish import preview_moves, publish_version
from app.security.access import Role, role_required
from app.stations import bp
from app.stations.jurisdiction import (
    JurisdictionError,
    assign,
    assignment_map,
    bangkok_today,
    compare,
    editor_stations,
    find_version,
    get_draft,
    province_tambon,
    unassigned,
    version_in_force,
    versions,
)
from app.stations.jurisdiction_parts import compare_parts, part_overlaps, part_share, parts_to_own_station
from app.stations.jurisdiction_place import province_centre, unplaced_stations
from app.stations.models import Pao, Station
from app.stations.services import page_pao

NO_STATION = "-"
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#bcbd22", "#393b79", "#637939", "#843c39")
DRAW_TOLERANCE = 0.0005


def editor_pao():
    """The PAO of the page: a coordinator only ever their own (another's code: 404); an admin any."""
    code = request.values.get("pao")
    if current_user.role == Role.PAO_COORDINATOR and code and code != getattr(current_user.pao, "code", None):
        abort(404)
    pao = page_pao(current_user, code)
    if pao is None and (code or current_user.role == Role.PAO_COORDINATOR):
        abort(404)
    return pao


def message_of(error):
    return error.message_th if current_lang() == "th" else error.message_en


def _colours(stations):
    return {s.id: PALETTE[n % len(PALETTE)] for n, s in enumerate(stations)}


@bp.get("/jurisdiction")
@role_required("admin", "pao_coordinator")
def jurisdiction():
    """Show the draft on the map and in lists, its warnings, the publish form and the versions."""
    return render_editor(editor_pao())


def render_editor(pao, status=200, **kept):
    """Render the editor page of a PAO; `kept` carries what a refused form had (drawn points, choices, errors)."""
    paos = db.session.scalars(db.select(Pao).order_by(Pao.code)).all() if current_user.role == Role.ADMIN else []
    if pao is None or not pao.province_code:
        return render_template("stations/jurisdiction.html", pao=pao, paos=paos, tambon=[]), status
    draft = get_draft(pao, current_user)
    db.session.commit()
    tambon = province_tambon(pao)
    stations = editor_stations(pao, draft)
    amphoe = {}
    for t in tambon:
        amphoe.setdefault(t.parent_code, []).append(t)
    return render_template(
        "stations/jurisdiction.html", pao=pao, paos=paos, draft=draft, tambon=tambon, amphoe=amphoe,
        given=assignment_map(draft), stations=stations, by_id={s.id: s for s in stations},
        slots={s.id: n % len(PALETTE) for n, s in enumerate(stations)}, missing=unassigned(draft, tambon),
        versions=versions(pao), tambon_by_code={t.code: t for t in tambon}, overlaps=part_overlaps(draft),
        idle_parts=parts_to_own_station(draft), unplaced=unplaced_stations(pao, draft),
        centre=province_centre(tambon), in_force=version_in_force(pao), today=bangkok_today(),
        no_station=NO_STATION, kept=kept, share=part_share), status


@bp.get("/jurisdiction.geojson")
@role_required("admin", "pao_coordinator")
def jurisdiction_data():
    """Return the province's tambon (simplified) with their station in the draft and its colour."""
    pao = editor_pao()
    if pao is None or not pao.province_code:
        return jsonify({"type": "FeatureCollection", "features": []})
    draft = get_draft(pao, current_user)
    db.session.commit()
    given, lang = assignment_map(draft), current_lang()
    stations = editor_stations(pao, draft)
    colours, names = _colours(stations), {s.id: s.name(lang) for s in stations}
    features = []
    tambon = province_tambon(pao)
    for t in tambon:
        geom = shapely.simplify(shapely.from_wkb(t.geometry_wkb), DRAW_TOLERANCE, preserve_topology=True)
        sid = given.get(t.code)
        features.append({"type": "Feature", "id": t.code, "geometry": json.loads(shapely.to_geojson(geom)),
                         "properties": {"code": t.code, "name": t.name_th if lang == "th" else t.name_en,
                                        "station": names.get(sid, ""), "colour": colours.get(sid, "")}})
    names_of = {t.code: t.name_th if lang == "th" else t.name_en for t in tambon}
    for part in draft.parts:
        geom = shapely.from_wkb(part.geometry_wkb)
        features.append({"type": "Feature", "id": f"part-{part.id}", "geometry": json.loads(shapely.to_geojson(geom)),
                         "properties": {"part": part.id, "code": part.tambon_code,
                                        "name": names_of.get(part.tambon_code, part.tambon_code),
                                        "station": names.get(part.station_id, ""),
                                        "colour": colours.get(part.station_id, "")}})
    return jsonify({"type": "FeatureCollection", "features": features})


@bp.post("/jurisdiction/assign")
@role_required("admin", "pao_coordinator")
def jurisdiction_assign():
    """Assign the ticked tambon and/or a whole amphoe to the chosen station in the draft (saved at once)."""
    pao = editor_pao()
    choice = request.form.get("station", "")
    if pao is None or not pao.province_code or not choice:
        abort(400)
    station = None
    if choice != NO_STATION:
        station = db.session.scalar(db.select(Station).where(Station.code == choice))
        if station is None:
            abort(400)
    codes = request.form.getlist("tambon")
    amphoe = request.form.get("amphoe", "")
    if amphoe:
        codes += [t.code for t in province_tambon(pao) if t.parent_code == amphoe]
    try:
        count = assign(get_draft(pao, current_user), codes, station)
    except JurisdictionError as error:
        flash(message_of(error), "error")
        return redirect(url_for("stations.jurisdiction", pao=pao.code))
    db.session.commit()
    flash(_("%(n)d tambon assigned to %(station)s; the draft is saved.", n=count,
            station=station.name(current_lang()) if station else _("no station")), "success")
    return redirect(url_for("stations.jurisdiction", pao=pao.code))


def _effective_day(text):
    """Return the day from 'YYYY-MM-DD' (a Buddhist Era year is accepted), or None."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return day.replace(year=day.year - 543) if day.year > 2400 else day


@bp.post("/jurisdiction/publish")
@role_required("admin", "pao_coordinator")
def jurisdiction_publish():
    """First the dry run (which open reports would move); with confirm=yes, publish and re-route them."""
    pao = editor_pao()
    if pao is None or not pao.province_code or "effective_from" not in request.form:
        abort(400)
    draft = get_draft(pao, current_user)
    day, note = _effective_day(request.form["effective_from"]), request.form.get("note", "")[:2000]
    try:
        if day is None:
            raise JurisdictionError("the effective day must be a date (YYYY-MM-DD)",
                                    "วันที่มีผลต้องเป็นวันที่ (ปปปป-ดด-วว)")
        if request.form.get("confirm") == "yes":
            version = publish_version(draft, day, actor=current_user, note=note)
            db.session.commit()
            flash(_("Version %(n)d is published, in force from %(day)s; %(moved)d open report(s) moved.",
                    n=version.number, day=be_date(version.effective_from), moved=version.moved_reports), "success")
            return redirect(url_for("stations.jurisdiction", pao=pao.code))
        moves = preview_moves(draft, day)
    except JurisdictionError as error:
        db.session.rollback()
        return render_template("stations/jurisdiction_publish.html", pao=pao, moves=None, day=day,
                               typed=request.form["effective_from"], note=note, error=message_of(error)), 400
    db.session.rollback()  # the dry run writes nothing
    stations = {s.id: s for s in db.session.scalars(db.select(Station))}
    return render_template("stations/jurisdiction_publish.html", pao=pao, moves=moves, day=day, note=note,
                           typed=day.isoformat(), stations=stations, future=day > bangkok_today())


@bp.get("/jurisdiction/compare")
@role_required("admin", "pao_coordinator")
def jurisdiction_compare():
    """List the tambon whose station differs between two versions (?a=1&b=2; 'draft' is the draft)."""
    pao = editor_pao()
    if pao is None:
        abort(404)
    older, newer = _version_arg(pao, "a"), _version_arg(pao, "b")
    if older is None or newer is None:
        abort(404)
    stations = {s.id: s for s in db.session.scalars(db.select(Station))}
    removed, added = compare_parts(older, newer)
    return render_template("stations/jurisdiction_compare.html", pao=pao, older=older, newer=newer,
                           changes=compare(pao, older, newer), stations=stations, removed=removed, added=added)


def _version_arg(pao, name):
    value = request.args.get(name, "")
    if value == "draft":
        return get_draft(pao, current_user)
    return find_version(pao, int(value)) if value.isdigit() and len(value) < 9 else None
