"""The rollout checklist of one PAO: what is done, what is missing, and the page that fixes each item.

Stations, areas, MOUs and the coordinator are checked here; higher layers add their own items
(users in app/accounts, the first routed report in app/reports) with register_rollout_check, so
this module never imports them.
"""
from dataclasses import dataclass, field

import numpy as np
import shapely
from flask_babel import gettext as _
from shapely import STRtree

from app.categories.models import Category
from app.core.i18n import localized
from app.core.timeutil import to_bangkok, utcnow
from app.extensions import db
from app.stations.adminareas import locate_place_name
from app.stations.models import AdminArea, JurisdictionArea, Mou, Station

_EXTRA_CHECKS = []


@dataclass
class CheckItem:
    """One line of the checklist."""

    key: str
    label: str
    done: bool
    detail: str
    fix_endpoint: str
    fix_args: dict = field(default_factory=dict)


def register_rollout_check(check):
    """Add check(pao, today) -> CheckItem to every PAO's checklist (for layers above stations)."""
    if check not in _EXTRA_CHECKS:
        _EXTRA_CHECKS.append(check)
    return check


def rollout_checklist(pao, today=None):
    """Return the PAO's checklist items, in rollout order."""
    today = today or to_bangkok(utcnow()).date()
    mous = db.session.scalars(db.select(Mou).where(Mou.pao_id == pao.id)).all()
    items = [_stations_item(pao, mous), _areas_item(pao), _mous_item(pao, mous, today), _coordinator_item(pao)]
    return items + [check(pao, today) for check in _EXTRA_CHECKS]


def _stations_item(pao, mous):
    in_province = set()
    if pao.province_code:
        for station in db.session.scalars(db.select(Station).where(Station.lat.is_not(None))):
            place = locate_place_name(station.lat, station.lon)
            if place is not None and place.province_code == pao.province_code:
                in_province.add(station.id)
    count = len(in_province | {m.station_id for m in mous})
    return CheckItem("stations", _("Stations imported"), count > 0,
                     _("%(n)d stations in the province or with an MOU with this PAO.", n=count),
                     "stations.import_stations_page")


def tambon_coverage(province_code):
    """Return (tambon of the province inside some jurisdiction area, all tambon of the province).

    A tambon counts as covered when its representative point (always inside it) lies in an area.
    """
    rows = db.session.scalars(db.select(AdminArea.geometry_wkb).where(
        AdminArea.level == "tambon", AdminArea.province_code == province_code)).all()
    if not rows:
        return 0, 0
    points = shapely.point_on_surface(shapely.from_wkb(np.array(rows, dtype=object)))
    areas = db.session.scalars(db.select(JurisdictionArea.geometry_wkb)
                               .where(JurisdictionArea.in_force_clause(to_bangkok(utcnow()).date()))).all()
    if not areas:
        return 0, len(rows)
    tree = STRtree(shapely.from_wkb(np.array(areas, dtype=object)))
    hit_points, _hit_areas = tree.query(points, predicate="intersects")
    return len(set(hit_points.tolist())), len(rows)


def _areas_item(pao):
    if not pao.province_code:
        return CheckItem("areas", _("Jurisdiction areas published"), False,
                         _("The PAO's province is not set, so its tambon are not known."), "stations.paos")
    covered, total = tambon_coverage(pao.province_code)
    if not total:
        return CheckItem("areas", _("Jurisdiction areas published"), False,
                         _("No tambon of this province are imported (flask adminareas import)."),
                         "stations.import_areas_page")
    return CheckItem("areas", _("Jurisdiction areas published"), covered == total,
                     _("%(covered)d of %(total)d tambon covered (%(percent)d%%).", covered=covered, total=total,
                       percent=int(100 * covered / total)), "stations.jurisdiction", {"pao": pao.code})


def _mous_item(pao, mous, today):
    active = [m for m in mous if m.is_active_on(today)]
    if any(m.covers_all for m in active):
        categories = _("all categories")
    else:
        codes = sorted({code for m in active for code in (m.category_codes or [])})
        names = {c.code: localized(c) for c in db.session.scalars(db.select(Category).where(Category.code.in_(codes)))}
        categories = ", ".join(names.get(code, code) for code in codes) or "—"
    return CheckItem("mous", _("MOU in force"), bool(active),
                     _("%(n)d MOUs in force; categories: %(categories)s.", n=len(active), categories=categories),
                     "stations.import_mous_page")


def _coordinator_item(pao):
    station = pao.coordinator_station
    return CheckItem("coordinator", _("Coordinating station set"), station is not None,
                     localized(station) if station else _("No coordinating station: unroutable reports wait."),
                     "stations.paos")
