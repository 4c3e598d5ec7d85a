"""Distances on the WGS84 ellipsoid, and the cheap planar shortcuts that find where to measure."""
from __future__ import annotations

import math

import numpy as np
import shapely
from geopy.distance import geodesic

# Shortest length of one degree of latitude (at the equator); dividing by it over-sizes boxes, never under-sizes.
_MIN_METRES_PER_DEG_LAT = 110_574.0
_EARTH_RADIUS_M = 6_371_008.8
# Beyond this latitude a metre-sized box in longitude degrees explodes; callers then search everything.
_MAX_BOX_LAT = 89.0


# One shared calculator: geodesic(a, b) re-runs Distance construction each call, doubling the cost.
# measure() keeps no per-call state, so sharing it between threads is safe.
_WGS84 = geodesic()


_A = 6_378_137.0
_F = 1 / 298.257223563
# Lambert's formula is used up to this central angle (~2,200 km, all of Thailand); beyond it the exact one.
_LAMBERT_MAX_SIGMA = 0.35


def geodesic_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the geodesic distance in metres between two WGS84 points.

    Lambert's formula for long lines on the ellipsoid (closed form, about 1.5 µs) answers up to
    ~2,200 km: against geopy's exact Karney algorithm over Thailand its error is below 2e-6 of the
    distance (under 7 cm within 50 km; tests/routing/test_geodesy_fast.py). Longer lines take the exact
    algorithm (about 55 µs), which was a third of route()'s time when used for every distance.
    """
    lat1, lon1, lat2, lon2 = float(lat1), float(lon1), float(lat2), float(lon2)
    if lat1 == lat2 and lon1 == lon2:
        return 0.0
    if abs(lat1) < 89.9 and abs(lat2) < 89.9:
        b1 = math.atan((1 - _F) * math.tan(math.radians(lat1)))
        b2 = math.atan((1 - _F) * math.tan(math.radians(lat2)))
        h = (math.sin((b2 - b1) / 2) ** 2
             + math.cos(b1) * math.cos(b2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
        sigma = 2 * math.asin(min(1.0, math.sqrt(h)))
        if 0.0 < sigma < _LAMBERT_MAX_SIGMA:
            p, q = (b1 + b2) / 2, (b2 - b1) / 2
            x = (sigma - math.sin(sigma)) * (math.sin(p) * math.cos(q)) ** 2 / math.cos(sigma / 2) ** 2
            y = (sigma + math.sin(sigma)) * (math.cos(p) * math.sin(q)) ** 2 / math.sin(sigma / 2) ** 2
            return _A * (sigma - _F / 2 * (x + y))
    # geopy's ellipsoid axes are in kilometres, so measure() answers in kilometres.
    return _WGS84.measure((lat1, lon1), (lat2, lon2)) * 1000.0


def unit_vectors(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Return the points (degrees) as unit vectors on a sphere, one row each: their dot product is a cheap,
    monotonic stand-in for the great-circle distance (within 0.5 % of geodesic), as 2 - 2 dot is the chord squared."""
    p, q = np.radians(lats), np.radians(lons)
    return np.column_stack([np.cos(p) * np.cos(q), np.cos(p) * np.sin(q), np.sin(p)])


def unit_vector(lat: float, lon: float) -> np.ndarray:
    """Return one point (degrees) as a unit vector, as unit_vectors() does."""
    p, q = math.radians(lat), math.radians(lon)
    return np.array([math.cos(p) * math.cos(q), math.cos(p) * math.sin(q), math.sin(p)])


def great_circle_m(chord_squared: float) -> float:
    """Return the great-circle metres of a squared chord between unit vectors."""
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(max(0.0, chord_squared)) / 2))


def chord_for_m(metres: float) -> float:
    """Return the chord between unit vectors this many great-circle metres apart (the inverse)."""
    return 2 * math.sin(min(metres / (2 * _EARTH_RADIUS_M), math.pi / 2))


def degree_bounds(lat: float, lon: float, metres: float):
    """Return (minx, miny, maxx, maxy) of a lon/lat box covering every point within metres of (lat, lon),
    or None if it would wrap."""
    # 10 % margin absorbs the ellipsoid's flattening and the spread of latitudes inside the box.
    dlat = metres * 1.1 / _MIN_METRES_PER_DEG_LAT
    top = min(abs(lat) + dlat, 90.0)
    if top >= _MAX_BOX_LAT:
        return None
    dlon = dlat / math.cos(math.radians(top))
    if lon - dlon < -180.0 or lon + dlon > 180.0 or dlon >= 180.0:
        return None
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def nearest_point_on(geometry, lat: float, lon: float):
    """Return (lat, lon) of the point of geometry nearest to (lat, lon), found in a locally scaled plane."""
    # Degrees of longitude shrink with cos(lat); scaling x first makes the planar nearest point
    # the metric nearest point to well under a metre at routing distances.
    k = max(math.cos(math.radians(lat)), 1e-6)
    scaled = shapely.transform(geometry, lambda xy: xy * (k, 1.0))
    origin = shapely.points(lon * k, lat)
    line = shapely.shortest_line(scaled, origin)
    x, y = shapely.get_coordinates(line)[0]
    return float(y), float(x) / k


def scale_longitudes(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale x by cos(latitude) of each geometry's middle, IN PLACE; return (geometries, factors).

    For edge_distance_m: done once per index build for every area, in one vectorised pass, not per route().
    """
    bounds = shapely.bounds(geometries)
    k = np.maximum(np.cos(np.radians((bounds[:, 1] + bounds[:, 3]) / 2)), 1e-6)
    coords, owner = shapely.get_coordinates(geometries, return_index=True)
    coords[:, 0] *= k[owner]
    return shapely.set_coordinates(geometries, coords), k


def edge_distance_m(scaled, k: float, lat: float, lon: float) -> float:
    """Return geodesic metres from (lat, lon) to the nearest point of a geometry scaled by scale_longitudes().

    One k per area rather than per point: within a tambon it changes the point chosen by far less than a metre.
    """
    # shapely.Point: a third cheaper than shapely.points() for one point.
    line = shapely.shortest_line(scaled, shapely.Point(lon * k, lat))
    x, y = shapely.get_coordinates(line)[0]
    return geodesic_m(lat, lon, float(y), float(x) / k)


def distance_to_geometry_m(geometry, lat: float, lon: float) -> float:
    """Return the geodesic distance in metres from (lat, lon) to the nearest point of geometry."""
    if geometry is None or shapely.is_empty(geometry):
        return math.inf
    near_lat, near_lon = nearest_point_on(geometry, lat, lon)
    return geodesic_m(lat, lon, near_lat, near_lon)


def format_distance(metres: float, lang: str) -> str:
    """Return a short human distance: metres below 1 km, else km with one decimal."""
    if metres < 1000:
        value = f"{metres:.0f}"
        return f"{value} m" if lang == "en" else f"{value} ม."
    value = f"{metres / 1000:.1f}" if metres < 100_000 else f"{metres / 1000:.0f}"
    value = value.removesuffix(".0")
    return f"{value} km" if lang == "en" else f"{value} กม."
