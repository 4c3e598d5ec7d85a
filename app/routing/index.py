"""RoutingIndex: a spatial index over jurisdiction areas plus the MOU rules that pick a station.

Rules, in order (a MOU counts when it is with the report's PAO, in force on the Bangkok day, and
covers the category or one of its ancestors):
  area              the point is in an area whose station has such a MOU;
  area_without_mou  the point is in an area, but its station has none: the PAO's coordinator
                    (or None, the manual queue) gets it, naming the area's station;
  nearest           in no area: the nearest located station with such a MOU within max_nearest_m;
  outside_coverage  otherwise: the PAO's coordinator, or None.
Overlaps: stations with a MOU first, then the smaller planar area, the lower station id, the lower
area id. Note: shapely.prepare() is applied in place to the AreaInput geometries given.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import partial
from typing import Any

import numpy as np
import shapely
from shapely import STRtree

from .coverage import MouCoverage
from .decision import (
    RULE_AREA,
    RULE_AREA_WITHOUT_MOU,
    RULE_NEAREST,
    RULE_OUTSIDE_COVERAGE,
    Decision,
)
from .explain import Facts, explain
from .geodesy import (
    degree_box,
    edge_distance_m,
    geodesic_m,
    haversine_many_m,
    scale_longitudes,
)
from .inputs import (
    AreaInput,
    CategoryInput,
    MouInput,
    PaoInput,
    RoutingInputError,
    StationInput,
    distinct,
    parse_coordinate,
    routing_day,
    shown,
    unique_by,
)

_POLYGONAL = {shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON}
# Haversine is within 0.5 % of geodesic; candidates inside this slack of the best get the exact check.
_HAVERSINE_SLACK = 1.006


class RoutingIndex:
    """Immutable routing data, indexed once; rebuild it when the jurisdiction data changes."""

    def __init__(
        self,
        stations: Iterable[StationInput],
        areas: Iterable[AreaInput],
        mous: Iterable[MouInput],
        categories: Iterable[CategoryInput],
        paos: Iterable[PaoInput],
        *,
        near_boundary_m: float = 100.0,
        max_nearest_m: float = 30000.0,
        version: int = 0,
    ):
        self.version = version
        self.near_boundary_m = float(near_boundary_m)
        self.max_nearest_m = float(max_nearest_m)
        self._stations = unique_by(stations, "id", "station")
        self._categories = unique_by(categories, "code", "category")
        self._paos = unique_by(paos, "code", "PAO")
        mous = list(unique_by(mous, "id", "MOU").values())
        for mou in mous:
            self._require_station(mou.station_id, f"MOU {mou.id}")
        for pao in self._paos.values():
            if pao.coordinator_station_id is not None:
                self._require_station(pao.coordinator_station_id, f"PAO {pao.code} coordinator")
        self._build_areas(list(unique_by(areas, "id", "area").values()))
        self._build_station_points()
        self._coverage = MouCoverage(mous, self._categories, self._located_pos)

    def _require_station(self, station_id: int, owner: str) -> None:
        # A dangling reference is a data bug upstream; failing the build beats misrouting later.
        if station_id not in self._stations:
            raise ValueError(f"{owner} refers to unknown station id {station_id}")

    def _build_areas(self, areas: list[AreaInput]) -> None:
        for area in areas:
            self._require_station(area.station_id, f"Area {area.id}")
            if shapely.get_type_id(area.geometry) not in _POLYGONAL:
                raise ValueError(f"Area {area.id} geometry must be a Polygon or MultiPolygon")
        self._areas = areas
        self._geoms = np.array([a.geometry for a in areas], dtype=object)
        # Prepared geometries turn point-in-polygon into an indexed lookup.
        shapely.prepare(self._geoms)
        if areas:
            # GEOS builds that index lazily, on the second point query of each polygon. Forcing it
            # now keeps first requests as fast as later ones and keeps the lazy build (not
            # thread-safe) out of concurrent requests, for ~0.2 s on the national dataset.
            bounds = shapely.bounds(self._geoms)
            mid_x, mid_y = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
            for _ in range(2):
                shapely.intersects_xy(self._geoms, mid_x, mid_y)
        # Edges, for the distance from a point to its area's edge, made once rather than per route().
        if areas:
            self._edges, self._edge_k = scale_longitudes(shapely.boundary(self._geoms))
        sizes = shapely.area(self._geoms) if areas else []
        # Overlap tie-break, fixed at build time: smaller planar area, then lower station id, then area id.
        self._order_key = [(float(s), a.station_id, a.id) for s, a in zip(sizes, areas, strict=True)]
        # Areas of jurisdiction versions hold only on their days; most indexes have none, and skip the check.
        self._dated = [i for i, a in enumerate(areas) if a.valid_from is not None or a.valid_until is not None]
        self._tree = STRtree(self._geoms)

    def _build_station_points(self) -> None:
        self._located = sorted((s for s in self._stations.values() if s.located), key=lambda s: s.id)
        self._located_pos = {s.id: n for n, s in enumerate(self._located)}
        self._lat_rad = np.radians([float(s.lat) for s in self._located])
        self._lon_rad = np.radians([float(s.lon) for s in self._located])
        points = [shapely.Point(float(s.lon), float(s.lat)) for s in self._located]
        self._station_tree = STRtree(np.asarray(points, dtype=object))

    @property
    def area_count(self) -> int:
        """Return the number of indexed areas."""
        return len(self._areas)

    def station(self, station_id: int) -> StationInput | None:
        """Return the station with this id, or None."""
        return self._stations.get(station_id)

    def locate(self, lat: Any, lon: Any) -> list[AreaInput]:
        """Return the areas containing the point (boundary included), in tie-break order."""
        lat = parse_coordinate(lat, "lat")
        lon = parse_coordinate(lon, "lon")
        return [self._areas[i] for i in self._hits(lat, lon)]

    def _hits(self, lat: float, lon: float, day: Any = None) -> list[int]:
        # The tree's own predicate path ignores prepared tree geometries (O(vertices) per test), so
        # take bounding-box candidates and test them with intersects_xy, which uses the prepared ones.
        # 'intersects' (not 'contains') so a point on a shared edge matches both sides.
        candidates = self._tree.query(shapely.Point(lon, lat))
        if not len(candidates):
            return []
        found = candidates[shapely.intersects_xy(self._geoms[candidates], lon, lat)].tolist()
        if day is not None and self._dated:
            found = [i for i in found if self._areas[i].in_force_on(day)]
        if len(found) < 2:
            return found
        return sorted(found, key=self._order_key.__getitem__)

    def route(self, lat: Any, lon: Any, category_code: Any, pao_code: Any, at: Any) -> Decision:
        """Return the routing decision for a report at (lat, lon), or raise RoutingInputError."""
        lat = parse_coordinate(lat, "lat")
        lon = parse_coordinate(lon, "lon")
        category = self._categories.get(category_code) if isinstance(category_code, str) else None
        if category is None:
            raise RoutingInputError(
                "category_code",
                f"Unknown category {shown(category_code)}.",
                f"ไม่พบหมวดหมู่ {shown(category_code)}",
            )
        pao = self._paos.get(pao_code) if isinstance(pao_code, str) else None
        if pao is None:
            raise RoutingInputError(
                "pao_code", f"Unknown PAO {shown(pao_code)}.", f"ไม่พบ อบจ. {shown(pao_code)}"
            )
        day = routing_day(at)
        covering, covering_pos = self._coverage.covering(pao.code, category.code, day)
        facts = dict(day=day, category=category, pao=pao, max_nearest_m=self.max_nearest_m)
        hits = self._hits(lat, lon, day)
        beyond = edge_measure = None
        coordinator = self._stations.get(pao.coordinator_station_id)
        area = None
        if hits:
            eligible = [i for i in hits if self._areas[i].station_id in covering]
            chosen = eligible[0] if eligible else hits[0]
            area = self._areas[chosen]
            responsible = self._stations[area.station_id]
            station = responsible if eligible else coordinator
            overlapping = distinct(
                self._stations[self._areas[i].station_id] for i in hits
                if self._areas[i].station_id != responsible.id
            )
            station_distance = self._distance_to_station(station, lat, lon)
            facts.update(
                rule=RULE_AREA if eligible else RULE_AREA_WITHOUT_MOU,
                responsible=responsible,
                overlapping=overlapping,
                skipped_smaller=bool(eligible) and chosen != hits[0],
            )
            not_neighbour = responsible.id
            edge_measure = partial(self._edge_distance, chosen, lat, lon)
        else:
            nearest, station_distance = self._nearest_covering(lat, lon, covering_pos)
            if nearest is not None and station_distance <= self.max_nearest_m:
                station, rule = nearest, RULE_NEAREST
            else:
                station, rule = coordinator, RULE_OUTSIDE_COVERAGE
                # Which covering station is nearest beyond the limit only feeds the explanation: it is
                # looked up (a scan of every covering station) when the explanation is first written.
                beyond = (lat, lon, covering_pos)
                station_distance = self._distance_to_station(station, lat, lon)
            facts.update(rule=rule)
            not_neighbour = station.id if station else None
        mou = covering.get(station.id) if station and facts["rule"] in (RULE_AREA, RULE_NEAREST) else None
        neighbour, neighbour_m = self._neighbour(lat, lon, not_neighbour, day)
        facts.update(
            station=station,
            mou_id=mou.id if mou else None,
            distance_to_station_m=station_distance,
            neighbour=neighbour,
            neighbour_distance_m=neighbour_m,
        )
        f = Facts(**facts)
        return Decision(
            station_id=station.id if station else None,
            station_code=station.code if station else None,
            rule=f.rule,
            area_id=area.id if area else None,
            responsible_station_id=f.responsible.id if f.responsible else None,
            responsible_station_code=f.responsible.code if f.responsible else None,
            mou_id=f.mou_id,
            distance_to_station_m=station_distance,
            near_boundary=neighbour is not None,
            neighbour_station_id=neighbour.id if neighbour else None,
            neighbour_station_code=neighbour.code if neighbour else None,
            overlapping_station_codes=tuple(s.code for s in f.overlapping),
            neighbour_distance_m=neighbour_m,
            category_code=category.code,
            pao_code=pao.code,
            routed_on=day,
            index_version=self.version,
            explainer=partial(self._explain, f, beyond),
            edge_measure=edge_measure,
        )

    def _explain(self, f: Facts, beyond: tuple | None, lang: str, edge_m: float | None) -> str:
        """Write the explanation; for outside_coverage first name the nearest covering station beyond the limit."""
        extra = {"distance_to_edge_m": edge_m}
        if beyond is not None:
            extra["nearest_beyond"], extra["nearest_beyond_m"] = self._closest(beyond[2], beyond[0], beyond[1])
        return explain(dataclasses.replace(f, **extra), lang)

    def _edge_distance(self, position: int, lat: float, lon: float) -> float:
        return edge_distance_m(self._edges[position], float(self._edge_k[position]), lat, lon)

    @staticmethod
    def _distance_to_station(station: StationInput | None, lat: float, lon: float):
        if station is None or not station.located:
            return None
        return geodesic_m(lat, lon, station.lat, station.lon)

    def _nearest_covering(self, lat: float, lon: float, positions: np.ndarray):
        """Return (station, geodesic metres) of the nearest located covering station within max_nearest_m,
        or (None, None)."""
        if not len(positions):
            return None, None
        box = degree_box(lat, lon, self.max_nearest_m)
        if box is None:  # near a pole or the antimeridian: measure them all
            best = self._closest(positions, lat, lon)
        else:
            within = self._station_tree.query(box)
            covering = np.zeros(len(self._located), dtype=bool)
            covering[positions] = True  # cheaper than np.isin for a few hundred stations
            best = self._closest(within[covering[within]], lat, lon)
        return best if best[0] is not None and best[1] <= self.max_nearest_m else (None, None)

    def _closest(self, positions: np.ndarray, lat: float, lon: float):
        if not len(positions):
            return None, None
        rough = haversine_many_m(lat, lon, self._lat_rad[positions], self._lon_rad[positions])
        limit = float(rough.min()) * _HAVERSINE_SLACK + 1.0
        # Exact geodesic only for the few that could beat the rough winner.
        exact = []
        for n in positions[rough <= limit].tolist():
            s = self._located[n]
            exact.append((geodesic_m(lat, lon, s.lat, s.lon), s.id, s))
        metres, _, station = min(exact, key=lambda t: (t[0], t[1]))
        return station, metres

    def _neighbour(self, lat: float, lon: float, exclude_station_id: int | None, day: Any = None):
        """Return (station, metres) of the nearest other station's area within near_boundary_m."""
        box = degree_box(lat, lon, self.near_boundary_m)
        if box is None or not len(self._areas):
            return None, None
        others = [i for i in self._tree.query(box).tolist() if self._areas[i].station_id != exclude_station_id
                  and (day is None or self._areas[i].in_force_on(day))]
        best: tuple | None = None
        if others:
            # Cheap prepared-geometry test first; the exact geodesic only for areas that touch the box.
            touching = np.asarray(others)[shapely.intersects(self._geoms[others], box)]
            for i in touching.tolist():
                # inside another station's area (an overlap) is 0 m from it; else the way to its edge
                inside = shapely.intersects_xy(self._geoms[i], lon, lat)
                metres = 0.0 if inside else edge_distance_m(self._edges[i], float(self._edge_k[i]), lat, lon)
                if metres < self.near_boundary_m:
                    key = (metres, self._areas[i].station_id)
                    best = key if best is None or key < best else best
        if best is None:
            return None, None
        return self._stations[best[1]], best[0]

