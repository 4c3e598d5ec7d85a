"""Open reports of the same category nearby, so a member can add to one instead of filing again."""
import math
from dataclasses import dataclass
from datetime import timedelta

from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import OPEN_STATUSES, Report, ReportStatus
from app.routing.geodesy import geodesic_m

RADIUS_M = 250
WINDOW_DAYS = 30
MAX_SHOWN = 10


@dataclass(frozen=True)
class NearbyReport:
    """What a member may see of someone else's report: no narrative, place text or names."""

    id: int
    reference_number: str
    category_id: int
    status: ReportStatus
    distance_m: float
    created_at: object
    supporter_count: int

    def age_days(self, now=None):
        return max(0, ((now or utcnow()) - self.created_at).days)


def find_duplicates(*, pao_id, category_id, lat, lon, now=None, radius_m=RADIUS_M, days=WINDOW_DAYS):
    """Return open reports of the category within radius_m and the last days, nearest first."""
    now = now or utcnow()
    # A bounding box lets the database use plain comparisons; the exact distance is checked below.
    dlat = radius_m / 110_574 * 1.05
    dlon = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01)) * 1.05
    rows = db.session.execute(
        db.select(Report.id, Report.reference_number, Report.category_id, Report.status, Report.lat, Report.lon,
                  Report.created_at, Report.supporter_count)
        .where(Report.pao_id == pao_id, Report.category_id == category_id,
               Report.status.in_(OPEN_STATUSES), Report.created_at >= now - timedelta(days=days),
               Report.lat.between(lat - dlat, lat + dlat), Report.lon.between(lon - dlon, lon + dlon))
    ).all()
    found = []
    for row in rows:
        metres = geodesic_m(lat, lon, row.lat, row.lon)
        if metres <= radius_m:
            found.append(NearbyReport(row.id, row.reference_number, row.category_id, row.status,
                                      round(metres), row.created_at, row.supporter_count))
    found.sort(key=lambda r: (r.distance_m, -r.id))
    return found[:MAX_SHOWN]
