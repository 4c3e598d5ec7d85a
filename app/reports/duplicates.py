"""Open reports of the same category nearby, so a member can add to one instead of filing again.

Reports the member may not open are found and described through app/reports/disclosure.py only
(their public point and a coarse band), so no sequence of queries can locate them more finely than
public Open311 does; reports the member may open keep their exact distance and reference.
"""
import math
from datetime import timedelta

from sqlalchemy import false

from app.categories.models import Category
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.disclosure import PublicReport, distance_band, may_be_near, public_decimals, public_point
from app.reports.models import OPEN_STATUSES, Report
from app.reports.queries import report_scope
from app.routing.geodesy import geodesic_m

RADIUS_M = 250
WINDOW_DAYS = 30
MAX_SHOWN = 10

NearbyReport = PublicReport  # the name callers knew


# Asked on every filing and every pin the form previews: built once; who may open each is added per viewer.
_NEARBY = db.select(
    Report.id, Report.reference_number, Report.category_id, Report.status, Report.lat, Report.lon,
    Report.created_at, Report.supporter_count,
).where(Report.pao_id == db.bindparam("pao_id"), Report.category_id == db.bindparam("category_id"),
        Report.status.in_(OPEN_STATUSES), Report.created_at >= db.bindparam("since"),
        Report.lat.between(db.bindparam("south"), db.bindparam("north")),
        Report.lon.between(db.bindparam("west"), db.bindparam("east")))


def find_duplicates(*, pao_id, category_id, lat, lon, viewer=None, now=None, radius_m=RADIUS_M,
                    days=WINDOW_DAYS):
    """Return open reports of the category near (lat, lon) in the last days, nearest first, as disclosable."""
    now = now or utcnow()
    top_code = db.session.get(Category, category_id).top_code
    reach = radius_m * 2 + 3000  # covers radius + any cell's half-diagonal; the exact test is below
    step = 10 ** -public_decimals(top_code)
    dlat = reach / 110_574 + step
    dlon = reach / (111_320 * max(math.cos(math.radians(lat)), 0.01)) + step
    may_open = report_scope(viewer) if viewer is not None else false()
    rows = db.session.execute(_NEARBY.add_columns(may_open.label("may_open")), {
        "pao_id": pao_id, "category_id": category_id, "since": now - timedelta(days=days),
        "south": lat - dlat, "north": lat + dlat, "west": lon - dlon, "east": lon + dlon}).all()
    found = []
    for row in rows:
        public = public_point(row.lat, row.lon, top_code)
        if row.may_open:
            metres = geodesic_m(lat, lon, row.lat, row.lon)
            if metres <= radius_m:
                found.append((metres, PublicReport(row.id, row.category_id, row.status, row.created_at.date(),
                                                   row.supporter_count, distance_band(lat, lon, public, top_code),
                                                   public, True, row.reference_number, round(metres))))
        elif may_be_near(lat, lon, public, top_code, radius_m):
            # Sorted by the public point's distance, never the exact one.
            found.append((geodesic_m(lat, lon, *public), PublicReport(
                row.id, row.category_id, row.status, row.created_at.date(), row.supporter_count,
                distance_band(lat, lon, public, top_code), public)))
    found.sort(key=lambda item: (item[0], -item[1].id))
    return [report for _, report in found[:MAX_SHOWN]]


def is_duplicate_candidate(report, *, member, category_id, lat, lon):
    """Return True when the report is one find_duplicates would offer this member filing at (lat, lon)."""
    if report.pao_id != member.pao_id or report.category_id != category_id:
        return False
    return any(r.id == report.id for r in find_duplicates(pao_id=member.pao_id, category_id=category_id,
                                                          lat=lat, lon=lon, viewer=member))
