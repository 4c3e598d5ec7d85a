"""Database glue for the pure routing engine: a per-process index, and the writes that route reports.

Each process (gunicorn worker) caches one RoutingIndex per app. Every call reads the routing data
version (one small SELECT); when another process has bumped it after an import, this process
rebuilds its index from the database before answering, so no worker routes on stale areas or MOUs.
"""
import logging
import threading

import shapely
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from app.categories.models import Category
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.lifecycle import record_decision
from app.reports.models import OPEN_STATUSES, Report
from app.routing import AreaInput, CategoryInput, MouInput, PaoInput, RoutingIndex, StationInput
from app.routing.explain import outside_province_note
from app.routing.geodesy import geodesic_m
from app.stations.models import JurisdictionArea, Mou, Pao, Station
from app.stations.services import ROUTING_VERSION, find_pao, routing_version

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_CACHE_KEY = "ruamkan.routing_index"
# Decisions a person made; an automatic re-route must not undo them.
HUMAN_RULES = frozenset({"manual", "transfer"})


class ManualRoutingError(ValueError):
    """A manual forwarding that cannot be done (closed report, same station, no note)."""


def get_index(versions=None):
    """Return this process's routing index, rebuilt first when the routing data version changed.
    versions: the data_versions rows when the caller has just read them (stations.services.data_versions)."""
    version = routing_version() if versions is None else versions.get(ROUTING_VERSION) or 0
    cache = current_app.extensions.setdefault(_CACHE_KEY, {})
    index = cache.get("index")
    if index is not None and index.version == version:
        return index
    with _LOCK:
        index = cache.get("index")
        if index is None or index.version != version:
            index = build_index(version)
            cache["index"] = index
            log.info("routing index built: version %s, %s areas", version, index.area_count)
    return index


def clear_index_cache():
    """Forget this app's cached index (tests empty the database, which restarts the version counter)."""
    current_app.extensions.get(_CACHE_KEY, {}).pop("index", None)


def area_inputs():
    """Return every jurisdiction area (imported, and of every published version with its days) for the index."""
    return [AreaInput(area_id, station_id, shapely.from_wkb(wkb), valid_from, valid_until)
            for area_id, station_id, wkb, valid_from, valid_until in db.session.execute(
                db.select(JurisdictionArea.id, JurisdictionArea.station_id, JurisdictionArea.geometry_wkb,
                          JurisdictionArea.valid_from, JurisdictionArea.valid_until))]


def build_index(version, areas=None):
    """Build a RoutingIndex from the stations, areas, MOUs, categories and PAOs in the database.

    areas: AreaInputs to index instead of the stored ones (a publish preview's would-be areas)."""
    config = current_app.config
    paos = db.session.scalars(db.select(Pao)).all()
    pao_codes = {p.id: p.code for p in paos}
    categories = db.session.scalars(db.select(Category)).all()
    category_codes = {c.id: c.code for c in categories}
    return RoutingIndex(
        stations=[StationInput(s.id, s.code, s.name_th, s.name_en, s.lat, s.lon)
                  for s in db.session.scalars(db.select(Station))],
        areas=area_inputs() if areas is None else areas,
        mous=[MouInput(m.id, pao_codes[m.pao_id], m.station_id, m.effective_from, m.expires_on, m.status.value,
                       None if m.covers_all else frozenset(m.category_codes))
              for m in db.session.scalars(db.select(Mou))],
        categories=[CategoryInput(c.code, category_codes.get(c.parent_id), c.name_th, c.name_en)
                    for c in categories],
        paos=[PaoInput(p.code, p.name_th, p.name_en, p.coordinator_station_id) for p in paos],
        near_boundary_m=config["ROUTING_NEAR_BOUNDARY_M"],
        max_nearest_m=config["ROUTING_MAX_NEAREST_M"],
        version=version,
    )


def preview_route(*, lat, lon, category, pao, at=None, versions=None):
    """Return the decision a report would get now, without writing anything (versions: as for get_index)."""
    category_code = category.code if isinstance(category, Category) else category
    pao_code = pao.code if isinstance(pao, Pao) else pao
    return get_index(versions).route(lat, lon, category_code, pao_code, at or utcnow())


def route_report(report, *, actor=None, reason="initial", at=None):
    """Route a stored report by the rules, store the decision and event, and set the report's station.
    (A report being filed is routed by app/reports/filing.py, in the statements that write it.)"""
    decision = preview_route(lat=report.lat, lon=report.lon, category=report.category, pao=report.pao, at=at)
    return _record(report, decision, decision.index_version, actor=actor, reason=reason)


def outside_province_note_for(pao):
    """Return the routing explanation's sentence about a confirmed place outside the PAO's province."""
    return outside_province_note({"th": pao.province_name("th"), "en": pao.province_name("en")})


def reroute_open_reports(pao=None, actor=None, at=None):
    """Re-route open reports whose station the current rules would change; return how many moved."""
    if isinstance(pao, str):
        pao = find_pao(pao)
    index = get_index()
    moves = open_report_moves(index, pao, at or utcnow())
    for report, decision in moves:
        _record(report, decision, index.version, actor=actor, reason="reroute")
    log.info("re-routed %s open report(s)%s", len(moves), f" of {pao.code}" if pao else "")
    return len(moves)


def open_report_moves(index, pao, at):
    """Return [(report, decision)] for the open reports (of a PAO, or all) the index would send elsewhere at
    `at`; reports a person moved by hand stay. Writes nothing: a dry run, or the list reroute then records."""
    query = (db.select(Report).where(Report.status.in_(OPEN_STATUSES)).order_by(Report.id)
             .options(selectinload(Report.routing_decisions), joinedload(Report.category), joinedload(Report.pao)))
    if pao is not None:
        query = query.where(Report.pao_id == pao.id)
    moves = []
    for report in db.session.scalars(query).all():
        latest = report.routing_decisions[-1] if report.routing_decisions else None
        if latest is not None and latest.rule in HUMAN_RULES:
            continue
        decision = index.route(report.lat, report.lon, report.category.code, report.pao.code, at)
        if decision.station_id != report.station_id:
            moves.append((report, decision))
    return moves


def route_by_hand(report, station, *, actor, reason, note):
    """Send a report to a station a person chose: a coordinator's forward (reason "manual") or a station's
    transfer ("transfer"); record who chose it and why. Return (decision, event); flush only."""
    note = (note or "").strip()
    if not report.is_open:
        raise ManualRoutingError("only an open report can be moved")
    if not note:
        raise ManualRoutingError("a note saying why is required")
    if report.station_id == station.id:
        raise ManualRoutingError(f"the report is already with {station.code}")
    distance = geodesic_m(report.lat, report.lon, station.lat, station.lon) if station.is_located else None
    th, en = _BY_HAND[reason]
    names = {"actor": actor.display_name, "note": note, "station_th": station.name_th,
             "station_en": station.name_en, "from_th": report.station.name_th if report.station else "ศูนย์ประสานงาน",
             "from_en": report.station.name_en if report.station else "the coordinator"}
    return record_decision(report, station, actor=actor, reason=reason, rule=reason, data_version=routing_version(),
                           fields={"distance_to_station_m": distance}, explanation_th=th.format(**names),
                           explanation_en=en.format(**names), **({"note": note} if reason == "manual" else {}))


# The two ways a person moves a report, explained in both languages.
_BY_HAND = {
    "manual": ("{actor} ส่งต่อเรื่องให้ {station_th} ด้วยตนเอง (ไม่ใช่ตามกฎอัตโนมัติ) เหตุผล: {note}",
               "{actor} forwarded the report to {station_en} by hand (not by the automatic rules). Reason: {note}"),
    "transfer": ("{actor} ({from_th}) โอนเรื่องให้ {station_th} เหตุผล: {note}",
                 "{actor} ({from_en}) transferred the report to {station_en}. Reason: {note}"),
}


def decision_station(decision):
    """Return the Station a decision routes to, or None (the coordinator's queue)."""
    return db.session.get(Station, decision.station_id) if decision.station_id else None


def decision_columns(decision, note=None):
    """Return what record_decision stores of an engine decision: its rule, facts and explanations (with the
    `note` sentence added, {lang: text})."""
    fields = {
        "area_id": decision.area_id,
        "responsible_station_id": decision.responsible_station_id,
        "neighbour_station_id": decision.neighbour_station_id,
        "mou_id": decision.mou_id,
        "distance_to_station_m": decision.distance_to_station_m,
        "distance_to_edge_m": decision.distance_to_edge_m,
        "near_boundary": decision.near_boundary,
    }
    th, en = decision.explanation_th, decision.explanation_en
    if note:
        th, en = f"{th} {note['th']}", f"{en} {note['en']}"
    return {"rule": decision.rule, "fields": fields, "explanation_th": th, "explanation_en": en}


def _record(report, decision, version, *, actor, reason, note=None):
    row, _event = record_decision(report, decision_station(decision), actor=actor, reason=reason,
                                  data_version=version, **decision_columns(decision, note))
    return row
