"""Stations without a point, placed on the jurisdiction editor's map by the PAO's admin or coordinator.

A PAO's stations are those with an MOU with it, its coordinating station, and those its draft gives tambon or
parts to; only these may be placed from its editor. The point must lie in (or just beside) the province.
"""
import logging

import shapely

from app.extensions import db
from app.stations.jurisdiction import JurisdictionError, pao_station_ids
from app.stations.models import Station
from app.stations.services import bump_routing_version

log = logging.getLogger(__name__)

# How far outside the province's bounding box a station may stand (degrees, about 10 km).
BORDER_SLACK = 0.1


def pao_stations(pao, draft):
    """Return the PAO's stations (MOU, coordinator, or given tambon or parts by the draft), by code."""
    return db.session.scalars(db.select(Station).where(Station.id.in_(pao_station_ids(pao, draft)))
                              .order_by(Station.code)).all()


def unplaced_stations(pao, draft):
    """Return the PAO's stations that have no point yet."""
    return [s for s in pao_stations(pao, draft) if not s.is_located]


def province_bounds(tambon):
    """Return (west, south, east, north) of the province's tambon, or None when none are imported."""
    if not tambon:
        return None
    return tuple(shapely.total_bounds(shapely.from_wkb([t.geometry_wkb for t in tambon])).tolist())


def province_centre(tambon):
    """Return (lat, lon) of the middle of the province's bounding box, where unplaced stations wait."""
    bounds = province_bounds(tambon)
    if bounds is None:
        return None
    west, south, east, north = bounds
    return round((south + north) / 2, 6), round((west + east) / 2, 6)


def place_station(pao, draft, station, lat, lon, *, tambon, actor):
    """Set the point of one of the PAO's stations (within the province); return the station."""
    if station not in pao_stations(pao, draft):
        raise JurisdictionError("not a station of this PAO", "ไม่ใช่สถานีของ อบจ. นี้")
    bounds = province_bounds(tambon)
    if lat is None or lon is None or bounds is None:
        raise JurisdictionError("drag the marker or type the latitude and longitude",
                                "ลากหมุดหรือพิมพ์ละติจูดและลองจิจูด")
    west, south, east, north = bounds
    if not (south - BORDER_SLACK <= lat <= north + BORDER_SLACK and west - BORDER_SLACK <= lon <= east + BORDER_SLACK):
        raise JurisdictionError(f"the point ({lat:.5f}, {lon:.5f}) is outside the province",
                                f"ตำแหน่ง ({lat:.5f}, {lon:.5f}) อยู่นอกจังหวัด")
    before = (station.lat, station.lon)
    station.lat, station.lon = round(lat, 7), round(lon, 7)
    bump_routing_version()  # nearest-station routing and distances use the point
    log.info("station %s placed at %.6f,%.6f (was %s) by %s for PAO %s", station.code, lat, lon, before,
             getattr(actor, "username", "-"), pao.code)
    return station
