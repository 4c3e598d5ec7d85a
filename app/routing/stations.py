"""The located stations of an index: which of a set is nearest to a point, measured on the ellipsoid."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from .geodesy import chord_for_m, degree_bounds, geodesic_m, great_circle_m, unit_vector, unit_vectors
from .grid import BoxGrid
from .inputs import StationInput

# Great-circle distance is within 0.5 % of geodesic; candidates inside this slack of the best get the exact check.
_SPHERE_SLACK = 1.006
# Grid cell for station points, in degrees (~55 km): the default 30 km search box spans 2 to 3 cells a side.
_CELL_DEG = 0.5


def distance_to(station: StationInput | None, lat: float, lon: float) -> float | None:
    """Return geodesic metres from the point to the station, or None when it has no point."""
    if station is None or not station.located:
        return None
    return geodesic_m(lat, lon, station.lat, station.lon)


class StationPoints:
    """The located stations, in id order, with a grid of their points and their unit vectors."""

    def __init__(self, stations: Iterable[StationInput]):
        self.located = sorted((s for s in stations if s.located), key=lambda s: s.id)
        self.position = {s.id: n for n, s in enumerate(self.located)}
        lats = np.array([float(s.lat) for s in self.located])
        lons = np.array([float(s.lon) for s in self.located])
        self._xyz = unit_vectors(lats, lons)
        self._grid = BoxGrid(np.column_stack([lons, lats, lons, lats]), _CELL_DEG)

    def nearest_within(self, covering: Mapping[int, object], positions: np.ndarray, lat: float, lon: float,
                       metres: float):
        """Return (station, geodesic metres) of the nearest covering station within metres, or (None, None).

        covering: the stations' ids (a mapping); positions: the same stations' positions here."""
        if not len(positions):
            return None, None
        box = degree_bounds(lat, lon, metres)
        if box is None:  # near a pole or the antimeridian: measure them all
            best = self.closest(positions, lat, lon)
        else:
            located = self.located
            within = [n for n in self._grid.meeting(*box) if located[n].id in covering]
            best = self.closest(np.array(within, dtype=np.intp), lat, lon)
        return best if best[0] is not None and best[1] <= metres else (None, None)

    def closest(self, positions: np.ndarray, lat: float, lon: float):
        """Return (station, geodesic metres) of the nearest station among positions, or (None, None)."""
        if not len(positions):
            return None, None
        # Unit vectors: the larger the dot product, the nearer (the chord squared is 2 - 2 dot).
        here = unit_vector(lat, lon)
        if 4 * len(positions) < len(self.located):
            dots = self._xyz[positions] @ here
        else:  # most stations: one product over all, then pick, beats gathering rows
            dots = (self._xyz @ here)[positions]
        limit = great_circle_m(2.0 - 2.0 * float(dots.max())) * _SPHERE_SLACK + 1.0
        # Exact geodesic only for the few that could beat the rough winner.
        exact = []
        for n in positions[dots >= 1.0 - chord_for_m(limit) ** 2 / 2].tolist():
            s = self.located[n]
            exact.append((geodesic_m(lat, lon, s.lat, s.lon), s.id, s))
        metres, _, station = min(exact, key=lambda t: (t[0], t[1]))
        return station, metres

