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

from collections.abc import Iterable
from functools import partial
from typing import Any

import numpy as np
import shapely

from .coverage import MouCoverage
from .decision import (
    RULE_AREA,
    RULE_AREA_WITHOUT_MOU,
    RULE_NEAREST,
    RULE_OUTSIDE_COVERAGE,
    Decision,
)
from .explain import Facts, explain
from .geodesy import degree_bounds, edge_distance_m, scale_longitudes
from .grid import BoxGrid
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
from .stations import StationPoints, distance_to

_POLYGONAL = {shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON}


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
        self._points = StationPoints(self._stations.values())
        self._coverage = MouCoverage(mous, self._categories, self._points.position)

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
        self._station_of = [a.station_id for a in areas]
        bounds = shapely.bounds(self._geoms).reshape(-1, 4)
        # Prepared geometries turn point-in-polygon into an indexed lookup.
        shapely.prepare(self._geoms)
        if areas:
            # GEOS builds that index lazily, on the second point query of each polygon. Forcing it
            # now keeps first requests as fast as later ones and keeps the lazy build (not
            # thread-safe) out of concurrent requests, for ~0.2 s on the national dataset.
            mid_x, mid_y = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
            for _ in range(2):
                shapely.intersects_xy(self._geoms, mid_x, mid_y)
            # Edges, for the distance from a point to its area's edge, made once rather than per route().
            self._edges, self._edge_k = scale_longitudes(shapely.boundary(self._geoms))
        sizes = shapely.area(self._geoms) if areas else []
        # Overlap tie-break, fixed at build time: smaller planar area, then lower station id, then area id.
        self._order_key = [(float(s), a.station_id, a.id) for s, a in zip(sizes, areas, strict=True)]
        # Areas of jurisdiction versions hold only on their days; most indexes have none, and skip the check.
        self._dated = [i for i, a in enumerate(areas) if a.valid_from is not None or a.valid_until is not None]
        # Grid cells the size of a typical area's box: a point's cell holds a few boxes, a box spans a few cells.
        spans = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
        spans = spans[np.isfinite(spans)]
        self._grid = BoxGrid(bounds, float(np.median(spans)) if len(spans) else 1.0)

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
        # Bounding-box candidates from the grid, tested with intersects_xy, which uses the prepared
        # geometries. 'intersects' (not 'contains') so a point on a shared edge matches both sides.
        candidates = self._grid.holding(lon, lat)
        if not candidates:
            return []
        found = [i for i, hit in zip(candidates, shapely.intersects_xy(self._geoms[candidates], lon, lat).tolist(),
                                     strict=True) if hit]
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
        hits = self._hits(lat, lon, day)
        beyond = edge_measure = area = responsible = None
        overlapping = ()
        coordinator = self._stations.get(pao.coordinator_station_id)
        if hits:
            eligible = [i for i in hits if self._station_of[i] in covering]
            chosen = eligible[0] if eligible else hits[0]
            area = self._areas[chosen]
            responsible = self._stations[area.station_id]
            station = responsible if eligible else coordinator
            if len(hits) > 1:
                overlapping = distinct(self._stations[self._station_of[i]] for i in hits
                                       if self._station_of[i] != responsible.id)
            station_distance = distance_to(station, lat, lon)
            rule = RULE_AREA if eligible else RULE_AREA_WITHOUT_MOU
            skipped_smaller = bool(eligible) and chosen != hits[0]
            not_neighbour = responsible.id
            edge_measure = partial(self._edge_distance, chosen, lat, lon)
        else:
            nearest, station_distance = self._points.nearest_within(covering, covering_pos, lat, lon,
                                                                    self.max_nearest_m)
            if nearest is not None:
                station, rule = nearest, RULE_NEAREST
            else:
                station, rule = coordinator, RULE_OUTSIDE_COVERAGE
                # Which covering station is nearest beyond the limit only feeds the explanation: it is
                # looked up (a scan of every covering station) when the explanation is first written.
                beyond = (lat, lon, covering_pos)
                station_distance = distance_to(station, lat, lon)
            skipped_smaller = False
            not_neighbour = station.id if station else None
        mou = covering.get(station.id) if station and rule in (RULE_AREA, RULE_NEAREST) else None
        neighbour, neighbour_m = self._neighbour(lat, lon, not_neighbour, day, hits)
        # What the explanation needs; Facts are built only when it is written.
        facts = dict(day=day, category=category, pao=pao, max_nearest_m=self.max_nearest_m, rule=rule,
                     responsible=responsible, overlapping=overlapping, skipped_smaller=skipped_smaller,
                     station=station, mou_id=mou.id if mou else None, distance_to_station_m=station_distance,
                     neighbour=neighbour, neighbour_distance_m=neighbour_m)
        return Decision(
            station_id=station.id if station else None,
            station_code=station.code if station else None,
            rule=rule,
            area_id=area.id if area else None,
            responsible_station_id=responsible.id if responsible else None,
            responsible_station_code=responsible.code if responsible else None,
            mou_id=mou.id if mou else None,
            distance_to_station_m=station_distance,
            near_boundary=neighbour is not None,
            neighbour_station_id=neighbour.id if neighbour else None,
            neighbour_station_code=neighbour.code if neighbour else None,
            overlapping_station_codes=tuple(s.code for s in overlapping),
            neighbour_distance_m=neighbour_m,
            category_code=category.code,
            pao_code=pao.code,
            routed_on=day,
            index_version=self.version,
            explainer=partial(self._explain, facts, beyond),
            edge_measure=edge_measure,
        )

    def _explain(self, facts: dict, beyond: tuple | None, lang: str, edge_m: float | None) -> str:
        """Write the explanation; for outside_coverage first name the nearest covering station beyond the limit."""
        if beyond is not None and "nearest_beyond" not in facts:
            # Looked up once for both languages (two threads at worst find the same station twice).
            facts["nearest_beyond"], facts["nearest_beyond_m"] = self._points.closest(beyond[2], beyond[0], beyond[1])
        return explain(Facts(**facts, distance_to_edge_m=edge_m), lang)

    def _edge_distance(self, position: int, lat: float, lon: float) -> float:
        return edge_distance_m(self._edges[position], float(self._edge_k[position]), lat, lon)

    def _neighbour(self, lat: float, lon: float, exclude_station_id: int | None, day: Any, hits: list[int]):
        """Return (station, metres) of the nearest other station's area within near_boundary_m.

        hits: the areas holding the point (in force on day), as _hits() found them."""
        bounds = degree_bounds(lat, lon, self.near_boundary_m)
        if bounds is None or not len(self._areas):
            return None, None
        station_of, dated = self._station_of, self._dated
        others = [i for i in self._grid.meeting(*bounds) if station_of[i] != exclude_station_id
                  and (not dated or self._areas[i].in_force_on(day))]
        if not others:
            return None, None
        best: tuple | None = None
        # Cheap prepared-geometry test first; the exact geodesic only for areas that touch the box.
        touching = np.asarray(others)[shapely.intersects(self._geoms[others], shapely.box(*bounds))]
        for i in touching.tolist():
            # inside another station's area (an overlap) is 0 m from it; else the way to its edge
            metres = 0.0 if i in hits else self._edge_distance(i, lat, lon)
            if metres < self.near_boundary_m:
                key = (metres, station_of[i])
                best = key if best is None or key < best else best
        if best is None:
            return None, None
        return self._stations[best[1]], best[0]
