"""The national-scale shortcuts give the answers of the plain methods they replace.

The grid must find what STRtree finds, the ranking by unit vectors must pick the station a full
geodesic scan picks, and what the index memoises per (PAO, category, day) must follow the MOUs it
was built with and the day asked about.
"""
from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from app.routing.geodesy import geodesic_m
from app.routing.grid import BoxGrid
from app.routing.stations import StationPoints
from tests.routing.test_routing_engine import DAY, IN_1, PAO, build, mou, station


def _tree_answer(tree, geometry):
    return sorted(tree.query(geometry).tolist())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grid_finds_what_strtree_finds_for_points_and_boxes(seed):
    rng = random.Random(seed)
    geoms = []
    for _ in range(300):
        x, y = rng.uniform(97, 106), rng.uniform(5, 21)
        w, h = rng.choice([0.001, 0.05, 0.2]), rng.choice([0.001, 0.05, 0.3])
        geoms.append(box(x, y, x + w, y + h))
    geoms.append(box(96, 4, 107, 22))  # one box over everything: filed apart, still found
    geoms.append(Polygon())  # empty: found by neither
    array = np.array(geoms, dtype=object)
    bounds = shapely.bounds(array)
    grid = BoxGrid(bounds, 0.05)
    tree = shapely.STRtree(array)
    probes = [(rng.uniform(96, 107), rng.uniform(4, 22)) for _ in range(400)]
    # Points exactly on box edges and corners: envelopes include their edges.
    for minx, miny, maxx, maxy in bounds[:300][::7].tolist():
        probes += [(minx, miny), (maxx, maxy), (minx, (miny + maxy) / 2), ((minx + maxx) / 2, maxy)]
    for x, y in probes:
        assert sorted(grid.holding(x, y)) == _tree_answer(tree, shapely.Point(x, y))
        for half in (0.0005, 0.02, 2.0):  # 2 degrees spans more cells than a query walks: a scan
            assert sorted(grid.meeting(x - half, y - half, x + half, y + half)) == _tree_answer(
                tree, box(x - half, y - half, x + half, y + half))


def test_grid_of_nothing_finds_nothing():
    grid = BoxGrid(np.empty((0, 4)), 0.1)
    assert grid.holding(100.0, 7.0) == [] and grid.meeting(99, 6, 101, 8) == []


def test_closest_station_is_the_one_a_full_geodesic_scan_finds():
    rng = random.Random(7)
    stations = [station(i, lat=rng.uniform(5.6, 20.5), lon=rng.uniform(97.3, 105.6)) for i in range(1, 400)]
    # Two stations the same distance from a probe: the lower id wins, as before.
    stations += [station(500, lat=13.0, lon=100.1), station(401, lat=13.0, lon=99.9)]
    points = StationPoints(stations)
    everyone = np.arange(len(points.located), dtype=np.intp)
    some = everyone[::3]
    for lat, lon in [(13.0, 100.0)] + [(rng.uniform(5, 21), rng.uniform(97, 106)) for _ in range(300)]:
        for positions in (everyone, some):
            candidates = [points.located[n] for n in positions.tolist()]
            want = min(candidates, key=lambda s: (geodesic_m(lat, lon, s.lat, s.lon), s.id))
            got, metres = points.closest(positions, lat, lon)
            assert got == want
            assert metres == geodesic_m(lat, lon, want.lat, want.lon)
    assert points.closest(everyone, 13.0, 100.0)[0].id == 401


def test_nearest_within_keeps_to_the_covering_stations_and_the_limit():
    points = StationPoints([station(1, lat=7.0, lon=100.5), station(2, lat=7.0, lon=100.6),
                            station(3, lat=7.5, lon=100.5)])
    near_2 = (7.0, 100.59)
    assert points.nearest_within({1: None, 2: None}, np.array([0, 1]), *near_2, 30_000)[0].id == 2
    assert points.nearest_within({1: None}, np.array([0]), *near_2, 30_000)[0].id == 1
    assert points.nearest_within({3: None}, np.array([2]), *near_2, 30_000) == (None, None)


def test_memoised_mou_coverage_follows_the_day_asked_about():
    expires = date(2025, 6, 30)
    index = build(mous=[mou(101, 1, end=expires)])
    before, after = date(2025, 6, 15), date(2025, 7, 1)
    # Same index, same (PAO, category): each day gets its own answer, in any order.
    assert index.route(*IN_1, "crime", PAO, before).rule == "area"
    assert index.route(*IN_1, "crime", PAO, after).rule == "area_without_mou"
    assert index.route(*IN_1, "crime", PAO, before).mou_id == 101


def test_rebuilt_index_routes_on_the_new_mous_not_the_old_memo():
    first = build(mous=[mou(101, 1)])
    assert first.route(*IN_1, "crime", PAO, DAY).mou_id == 101  # memoised in the first index
    ended = build(mous=[mou(101, 1, end=date(2025, 6, 1)), mou(102, 1, categories=["drugs"])])
    d = ended.route(*IN_1, "crime", PAO, DAY)
    assert (d.rule, d.mou_id) == ("area_without_mou", None)
    assert "has no MOU" in d.explanation_en
    renewed = build(mous=[mou(103, 1, start=date(2025, 6, 2))])
    assert renewed.route(*IN_1, "crime", PAO, DAY).mou_id == 103
    # The old index still answers from its own data.
    assert first.route(*IN_1, "crime", PAO, DAY).mou_id == 101


def test_outside_coverage_names_the_nearest_covering_station_beyond_the_limit_in_both_languages():
    index = build(areas=[], max_nearest_m=1000.0)
    d = index.route(7.3, 100.51, "crime", PAO, DAY)
    assert d.rule == "outside_coverage"
    # Station 3 (7.035, 100.52) is the nearest, ~29 km away; both sentences name it.
    assert "Test Station 3" in d.explanation_en and "สถานีตำรวจทดสอบ3" in d.explanation_th
