"""Which stations have areas and MOUs with a PAO: the data behind the coverage table and map."""
import json

import shapely
from flask_babel import lazy_gettext as _l

from app.categories.models import Category
from app.core.timeutil import format_date, to_bangkok, utcnow
from app.extensions import db
from app.stations.models import JurisdictionArea, Mou, Station
from app.stations.mou_documents import document_links

# Colouring of a station for one PAO; the order is the legend's order.
STATUS_LABELS = {
    "all": _l("MOU in force, all categories"),
    "partial": _l("MOU in force, some categories"),
    "ended": _l("MOU ended, expired or not yet in force"),
    "none": _l("No MOU"),
}
# About 50 m at Thai latitudes: plenty for an overview map, a fraction of the bytes.
SIMPLIFY_DEGREES = 0.0005


def _today(today):
    return today or to_bangkok(utcnow()).date()


def mou_status(mous, today):
    """Return 'all', 'partial', 'ended' or 'none' for a station's MOUs with one PAO on a day."""
    if not mous:
        return "none"
    active = [m for m in mous if m.is_active_on(today)]
    if any(m.covers_all for m in active):
        return "all"
    return "partial" if active else "ended"


def _mous_by_station(pao):
    query = db.select(Mou).order_by(Mou.effective_from, Mou.id)
    if pao is not None:
        query = query.where(Mou.pao_id == pao.id)
    mous = {}
    for mou in db.session.scalars(query):
        mous.setdefault(mou.station_id, []).append(mou)
    return mous


def coverage_rows(pao=None, today=None):
    """Return one row per station: station, area count, its MOUs (with the PAO if given) and status."""
    today = _today(today)
    area_counts = dict(db.session.execute(
        db.select(JurisdictionArea.station_id, db.func.count()).where(JurisdictionArea.in_force_clause(today))
        .group_by(JurisdictionArea.station_id)).all())
    mous = _mous_by_station(pao)
    rows = []
    for station in db.session.scalars(db.select(Station).order_by(Station.code)):
        station_mous = mous.get(station.id, [])
        rows.append({"station": station, "areas": area_counts.get(station.id, 0), "mous": station_mous,
                     "active_mous": [m for m in station_mous if m.is_active_on(today)],
                     "status": mou_status(station_mous, today)})
    return rows


def coverage_geojson(pao, lang, today=None):
    """Return a FeatureCollection of simplified station areas and station points, with popup details."""
    today = _today(today)
    rows = {row["station"].id: row for row in coverage_rows(pao, today)}
    names = {c.code: c.name(lang) for c in db.session.scalars(db.select(Category))}
    details = {sid: _details(row, lang, today, names) for sid, row in rows.items()}
    for sid, links in _document_links(rows, lang).items():
        details[sid]["documents"] = links
    features = []
    for area_id, station_id, wkb in db.session.execute(
            db.select(JurisdictionArea.id, JurisdictionArea.station_id, JurisdictionArea.geometry_wkb)
            .where(JurisdictionArea.in_force_clause(today)).order_by(JurisdictionArea.id)):
        geom = shapely.simplify(shapely.from_wkb(wkb), SIMPLIFY_DEGREES, preserve_topology=True)
        geom = shapely.set_precision(geom, 1e-5)
        features.append({"type": "Feature", "id": f"area-{area_id}", "geometry": json.loads(shapely.to_geojson(geom)),
                         "properties": {"kind": "area", **details[station_id]}})
    for station_id, row in rows.items():
        station = row["station"]
        if station.is_located:
            features.append({"type": "Feature", "id": f"station-{station_id}",
                             "geometry": {"type": "Point", "coordinates": [station.lon, station.lat]},
                             "properties": {"kind": "station", **details[station_id]}})
    return {"type": "FeatureCollection", "features": features}


def _details(row, lang, today, category_names):
    station = row["station"]
    return {"code": station.code, "name": station.name(lang), "phone": station.phone or "",
            "status": row["status"], "status_label": str(STATUS_LABELS[row["status"]]),
            "mous": [_mou_text(m, lang, today, category_names) for m in row["mous"]]}


def _document_links(rows, lang):
    """Return {station_id: [{text, url}]} of the signed MOU documents in the registry (app/oversight)."""

    links = document_links([m for row in rows.values() for m in row["mous"]])
    result = {}
    for sid, row in rows.items():
        for mou in row["mous"]:
            if mou.id in links:
                end = format_date(mou.expires_on, lang) if mou.expires_on else "…"
                period = f"{format_date(mou.effective_from, lang)} – {end}"
                result.setdefault(sid, []).append(
                    {"text": str(_l("Signed MOU %(period)s (PDF)", period=period)), "url": links[mou.id]})
    return result


def _mou_text(mou, lang, today, category_names):
    start = format_date(mou.effective_from, lang)
    end = format_date(mou.expires_on, lang) if mou.expires_on else "…"
    if mou.covers_all:
        what = str(_l("all categories"))
    else:
        what = ", ".join(category_names.get(code, code) for code in mou.category_codes)
    state = _l("in force") if mou.is_active_on(today) else _l("not in force")
    return f"{start} – {end}: {what} ({state})"
