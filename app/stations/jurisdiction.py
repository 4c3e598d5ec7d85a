"""Jurisdiction versions of a PAO: the draft edited on the map, publishing with an effective day, comparing.

A draft assigns tambon (AdminArea codes of the PAO's province) to stations, and may give parts of a tambon
to other stations (app/stations/jurisdiction_parts). Publishing numbers it, builds one area per station from
its tambon and parts (a tambon's station gets what its parts leave; importers_geo.union_parts, as
`flask areas import --map` does), closes the areas in force before (the previous version's, and imported
areas covering the province) on the effective day, and bumps the routing version. Re-routing open reports
is the reports layer's part (app/reports/jurisdiction_publish.py).
"""
from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely
from shapely import STRtree

from app.core.timeutil import to_bangkok, utcnow
from app.extensions import db
from app.stations.import_files import ImportFailed
from app.stations.importers_geo import load_mapping, union_parts
from app.stations.jurisdiction_models import (
    DRAFT,
    PUBLISHED,
    JurisdictionAssignment,
    JurisdictionPart,
    JurisdictionVersion,
)
from app.stations.models import AdminArea, JurisdictionArea, Mou, Station
from app.stations.services import bump_routing_version


class JurisdictionError(ValueError):
    """A draft change or publication that cannot be made; message_th/message_en say why."""

    def __init__(self, message_en, message_th):
        super().__init__(message_en)
        self.message_en, self.message_th = message_en, message_th


@dataclass
class PublishPlan:
    """What publishing a draft on a day changes: areas to close, and the new {station_id: area}."""

    effective_from: date
    close_ids: list
    new_areas: dict


def bangkok_today():
    return to_bangkok(utcnow()).date()


def province_tambon(pao):
    """Return the tambon of the PAO's province, by amphoe then code."""
    if not pao.province_code:
        return []
    return db.session.scalars(db.select(AdminArea).where(
        AdminArea.level == "tambon", AdminArea.province_code == pao.province_code)
        .order_by(AdminArea.parent_code, AdminArea.code)).all()


def versions(pao):
    """Return the PAO's published versions, newest first."""
    return db.session.scalars(db.select(JurisdictionVersion).where(
        JurisdictionVersion.pao_id == pao.id, JurisdictionVersion.status == PUBLISHED)
        .order_by(JurisdictionVersion.number.desc())).all()


def version_in_force(pao, day=None):
    """Return the published version in force on a Bangkok day (today by default), or None."""
    return db.session.scalar(db.select(JurisdictionVersion).where(
        JurisdictionVersion.pao_id == pao.id, JurisdictionVersion.status == PUBLISHED,
        JurisdictionVersion.effective_from <= (day or bangkok_today()))
        .order_by(JurisdictionVersion.effective_from.desc(), JurisdictionVersion.number.desc()).limit(1))


def find_version(pao, number):
    return db.session.scalar(db.select(JurisdictionVersion).where(
        JurisdictionVersion.pao_id == pao.id, JurisdictionVersion.number == number))


def get_draft(pao, actor=None):
    """Return the PAO's draft; a new one starts from the latest published version (its tambon and parts), else
    from the areas in force today (a tambon goes to the station whose area holds its inner point)."""
    draft = db.session.scalar(db.select(JurisdictionVersion).where(
        JurisdictionVersion.pao_id == pao.id, JurisdictionVersion.status == DRAFT))
    if draft is not None:
        return draft
    draft = JurisdictionVersion(pao=pao, status=DRAFT, created_by_id=getattr(actor, "id", None))
    latest = versions(pao)
    start = ({a.tambon_code: a.station_id for a in latest[0].assignments} if latest
             else _assignments_from_areas(province_tambon(pao)))
    draft.assignments = [JurisdictionAssignment(tambon_code=code, station_id=sid) for code, sid in start.items()]
    if latest:
        draft.parts = [JurisdictionPart(tambon_code=p.tambon_code, station_id=p.station_id, source=p.source,
                                        geometry_wkb=p.geometry_wkb) for p in latest[0].parts]
    db.session.add(draft)
    db.session.flush()
    return draft


def _assignments_from_areas(tambon):
    today = bangkok_today()
    areas = [a for a in db.session.scalars(db.select(JurisdictionArea)) if a.in_force_on(today)]
    if not tambon or not areas:
        return {}
    geoms = np.array([a.geometry for a in areas], dtype=object)
    points = shapely.point_on_surface(shapely.from_wkb(np.array([t.geometry_wkb for t in tambon], dtype=object)))
    found = {}
    point_idx, area_idx = STRtree(geoms).query(points, predicate="intersects")
    for p, a in sorted(zip(point_idx.tolist(), area_idx.tolist(), strict=True),
                       key=lambda pa: (pa[0], -shapely.area(geoms[pa[1]]))):
        found[tambon[p].code] = areas[a].station_id  # the smallest area wins an overlap, as in routing
    return found


def assignment_map(version):
    """Return {tambon code: station id} of a version or draft."""
    return {a.tambon_code: a.station_id for a in version.assignments}


def assign(draft, tambon_codes, station):
    """Assign tambon of the draft's province to a station (None: leave them without one); return how many."""
    if not draft.is_draft:
        raise JurisdictionError("a published version cannot be changed", "แก้ไขฉบับที่ประกาศแล้วไม่ได้")
    known = {t.code for t in province_tambon(draft.pao)}
    codes = [c for c in dict.fromkeys(tambon_codes or []) if c]
    unknown = [c for c in codes if c not in known]
    if not codes or unknown:
        raise JurisdictionError(f"not tambon of this province: {', '.join(unknown) or 'none chosen'}",
                                f"ไม่ใช่ตำบลในจังหวัดนี้: {', '.join(unknown) or 'ยังไม่ได้เลือก'}")
    by_code = {a.tambon_code: a for a in draft.assignments}
    for code in codes:
        row = by_code.get(code)
        if station is None:
            if row is not None:
                draft.assignments.remove(row)
        elif row is None:
            draft.assignments.append(JurisdictionAssignment(tambon_code=code, station_id=station.id))
        else:
            row.station_id = station.id
    db.session.flush()
    return len(codes)


def draft_from_mapping(pao, mapping_path, actor=None):
    """Make the PAO's draft exactly the tambon_code,station_code mapping CSV of `flask areas import --map`
    (same reader, same checks); return (draft, warnings for tambon of other provinces, which are left out)."""
    stations = {s.code: s for s in db.session.scalars(db.select(Station))}
    errors = []
    mapping = load_mapping(mapping_path, "tambon_code", stations, errors)
    if errors:
        raise ImportFailed(errors)
    known = {t.code for t in province_tambon(pao)}
    if not known:
        raise ImportFailed([f"the tambon of {pao.code}'s province are not imported (flask adminareas import)"])
    draft = get_draft(pao, actor)
    draft.assignments.clear()
    db.session.flush()
    draft.assignments = [JurisdictionAssignment(tambon_code=code, station_id=stations[sc].id)
                         for code, sc in sorted(mapping.items()) if sc and code in known]
    db.session.flush()
    outside = sorted(code for code in mapping if code not in known)
    return draft, ([f"{len(outside)} tambon are not in the province and were left out: {', '.join(outside[:10])}"]
                   if outside else [])


def unassigned(draft, tambon=None):
    """Return the province's tambon the draft gives to no station (the editor's warnings)."""
    given = assignment_map(draft)
    return [t for t in (tambon if tambon is not None else province_tambon(draft.pao)) if t.code not in given]


def pao_station_ids(pao, draft):
    """Return the ids of the PAO's own stations: with an MOU with it, its coordinator, given tambon or parts."""
    ids = {m.station_id for m in db.session.scalars(db.select(Mou).where(Mou.pao_id == pao.id))}
    ids |= set(assignment_map(draft).values()) | {p.station_id for p in draft.parts}
    if pao.coordinator_station_id:
        ids.add(pao.coordinator_station_id)
    return ids


def editor_stations(pao, draft):
    """Return the stations the editor offers: with an MOU with the PAO, located in the province, or given
    tambon or parts."""
    ids = pao_station_ids(pao, draft)
    tambon = province_tambon(pao)
    if tambon:
        outline = shapely.union_all([shapely.envelope(shapely.from_wkb(t.geometry_wkb)) for t in tambon])
        for station in db.session.scalars(db.select(Station).where(Station.lat.is_not(None))):
            if shapely.intersects_xy(outline, station.lon, station.lat):
                ids.add(station.id)
    return db.session.scalars(db.select(Station).where(Station.id.in_(ids)).order_by(Station.code)).all()


def plan_publish(draft, effective_from):
    """Check a draft can be published on a day and return its PublishPlan (nothing written)."""
    if not draft.is_draft:
        raise JurisdictionError("this version is published already", "ฉบับนี้ประกาศแล้ว")
    if not isinstance(effective_from, date):
        raise JurisdictionError("choose the day the version takes effect", "เลือกวันที่มีผลบังคับใช้")
    today = bangkok_today()
    if effective_from < today:
        raise JurisdictionError("the effective day cannot be in the past", "วันที่มีผลบังคับใช้ต้องไม่ใช่วันที่ผ่านมาแล้ว")
    latest = versions(draft.pao)
    if latest and effective_from < latest[0].effective_from:
        raise JurisdictionError(
            f"the effective day cannot be before that of version {latest[0].number} ({latest[0].effective_from})",
            f"วันที่มีผลต้องไม่ก่อนวันที่มีผลของฉบับที่ {latest[0].number} ({latest[0].effective_from})")
    tambon = {t.code: t for t in province_tambon(draft.pao)}
    pieces = station_pieces(draft, tambon)
    if not pieces:
        raise JurisdictionError("no tambon is assigned to a station", "ยังไม่มีตำบลใดกำหนดให้สถานี")
    return PublishPlan(effective_from, _areas_to_close(draft.pao, list(tambon.values())), union_parts(pieces))


def station_pieces(draft, tambon):
    """Return {station id: [geometries]}: each tambon less the parts it gives away, to its station, and each
    part (clipped to its tambon) to the part's station."""
    given_away = {}
    for part in draft.parts:
        if part.tambon_code in tambon:
            given_away.setdefault(part.tambon_code, []).append(part)
    pieces = {}
    for a in draft.assignments:
        if a.tambon_code not in tambon:
            continue
        geom = shapely.from_wkb(tambon[a.tambon_code].geometry_wkb)
        away = [shapely.from_wkb(p.geometry_wkb) for p in given_away.get(a.tambon_code, [])
                if p.station_id != a.station_id]
        if away:
            geom = shapely.difference(geom, shapely.union_all(away))
        if not geom.is_empty and geom.area > 0:
            pieces.setdefault(a.station_id, []).append(geom)
    for code, parts in given_away.items():
        whole = shapely.from_wkb(tambon[code].geometry_wkb)
        for part in parts:
            pieces.setdefault(part.station_id, []).append(shapely.intersection(shapely.from_wkb(part.geometry_wkb),
                                                                               whole))
    return pieces


def _areas_to_close(pao, tambon):
    """Return ids of the open-ended areas the new version replaces: the PAO's earlier versions', and imported
    areas lying in the province (their inner point is in one of its tambon; a neighbouring province's area
    that only reaches over the border stays)."""
    previous = {v.id for v in versions(pao)}
    open_ended = db.session.scalars(db.select(JurisdictionArea).where(JurisdictionArea.valid_until.is_(None))).all()
    tree = STRtree(shapely.from_wkb(np.array([t.geometry_wkb for t in tambon], dtype=object)))
    close = []
    for area in open_ended:
        if area.version_id in previous or (area.version_id is None and len(
                tree.query(shapely.point_on_surface(area.geometry), predicate="intersects"))):
            close.append(area.id)
    return close


def publish(draft, plan, *, actor, note=None):
    """Publish a draft by its plan: number it, write its areas, close the replaced ones, bump routing."""
    pao = draft.pao
    number = (db.session.scalar(db.select(db.func.max(JurisdictionVersion.number))
                                .where(JurisdictionVersion.pao_id == pao.id)) or 0) + 1
    for area in db.session.scalars(db.select(JurisdictionArea).where(JurisdictionArea.id.in_(plan.close_ids))):
        area.valid_until = plan.effective_from
    draft.mark_published(number, plan.effective_from, note=(note or "").strip() or None,
                         by_id=getattr(actor, "id", None), at=utcnow())
    tambon_count = {}
    for a in draft.assignments:
        tambon_count[a.station_id] = tambon_count.get(a.station_id, 0) + 1
    for station_id, geom in plan.new_areas.items():
        area = JurisdictionArea(station_id=station_id, version_id=draft.id, valid_from=plan.effective_from,
                                source=f"{pao.code} jurisdiction version {number}",
                                feature_count=tambon_count.get(station_id, 0))
        area.geometry = geom
        db.session.add(area)
    bump_routing_version()
    db.session.flush()
    return draft


def compare(pao, older, newer):
    """Return [(tambon, station id in older, station id in newer)] for the tambon whose station differs."""
    a, b = assignment_map(older), assignment_map(newer)
    return [(t, a.get(t.code), b.get(t.code)) for t in province_tambon(pao) if a.get(t.code) != b.get(t.code)]
