"""What may be said about a report the caller may not open: its public point, a coarse band, a few fields.

The one rule for nearby duplicates, the support answer and public Open311: a foreign report is seen
only through its public point (the coordinates snapped as Open311 publishes them), so whether it
appears and what band it shows are functions of that point alone and moving the query point can
never reveal more than the public rounding. No reference, narrative, place text or metres leave.
"""
import math
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.timeutil import utcnow
from app.routing.geodesy import geodesic_m

DRUGS = "drugs"
# Upper bounds on the true distance; drug reports never get a band finer than their ~1 km cell.
BANDS_M = (250, 500, 1000, 2000)
DRUG_BANDS_M = (1000, 2000)
BAND_LABELS = {250: _l("within 250 m"), 500: _l("within 500 m"), 1000: _l("within 1 km"), 2000: _l("within 2 km")}
_METRES_PER_DEG_LAT = 110_574.0  # the shortest degree: over-sizes, never under-sizes
_METRES_PER_DEG_LON = 111_320.0  # the longest degree at the equator


def min_count():
    """Return k: the fewest reports an area count may show to someone who may not open them."""
    return max(1, int(current_app.config.get("HOTSPOT_MIN_COUNT", 5)))


def public_decimals(top_code):
    """Return how many decimals of a coordinate may be published for a category (drugs coarser)."""
    config = current_app.config
    if top_code == DRUGS:
        return int(config.get("OPEN311_DRUG_ROUNDING_DECIMALS", 2))  # about 1 km
    return int(config.get("OPEN311_ROUNDING_DECIMALS", 3))  # about 100 m


def public_point(lat, lon, top_code):
    """Return (lat, lon) snapped as public Open311 publishes them for a category's top-level code."""
    places = public_decimals(top_code)
    return round(lat, places), round(lon, places)


def cell_half_diagonal_m(lat, top_code):
    """Return the most a report's exact point can lie from its public point, in metres."""
    half = 0.5 * 10 ** -public_decimals(top_code)
    north = half * _METRES_PER_DEG_LAT * 1.01
    east = half * _METRES_PER_DEG_LON * math.cos(math.radians(min(abs(lat), 89.0)))
    return math.hypot(north, east)


def may_be_near(lat, lon, public, top_code, radius_m):
    """Return True when a report with this public point could lie within radius_m of (lat, lon)."""
    return geodesic_m(lat, lon, *public) <= radius_m + cell_half_diagonal_m(public[0], top_code)


def distance_band(lat, lon, public, top_code):
    """Return the smallest band (metres) sure to hold the true distance, from the public point only."""
    reach = geodesic_m(lat, lon, *public) + cell_half_diagonal_m(public[0], top_code)
    bands = DRUG_BANDS_M if top_code == DRUGS else BANDS_M
    return next((band for band in bands if reach <= band), None)


def band_label(band):
    """Return the band's words in the current language ('more than 2 km' past the last band)."""
    return str(BAND_LABELS[band]) if band in BAND_LABELS else str(_l("more than 2 km"))


@dataclass(frozen=True)
class PublicReport:
    """All that leaves about a report the caller may not open: category, status, day, supporters, band."""

    id: int  # only to address the support button; never shown
    category_id: int
    status: object
    created_on: object  # date (day) in UTC
    supporter_count: int
    band: int | None
    public_point: tuple
    may_open: bool = False
    reference_number: str | None = None  # only when the caller may open the report
    distance_m: float | None = None  # likewise

    def age_days(self, now=None):
        return max(0, ((now or utcnow()).date() - self.created_on).days)

    @property
    def distance_text(self):
        """Return the distance words: exact metres for an openable report, else the band."""
        if self.may_open and self.distance_m is not None:
            return str(_l("%(m)d m away", m=self.distance_m))
        return band_label(self.band)
