"""Routing engine behaviour on a synthetic world near Hat Yai: every rule and edge case."""
from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from shapely.geometry import Polygon, box

from app.routing import AreaInput, CategoryInput, MouInput, PaoInput, RoutingIndex, StationInput

DAY = date(2025, 6, 15)
PAO = "songkhla"
LAT0 = 7.0
METRES_PER_DEG_LAT = 110_574.0
METRES_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))

#                 lon 100.50   100.52   100.54   100.56        100.60  100.62  100.64
#  lat 7.03-7.07: [ station 3: square with a hole 100.51-100.53 x 7.04-7.06 ]
#  lat 7.00-7.02: [ station 1 | station 2 ]      [ station 4 (station 5 inside) ] [ station 6 ]
AREA_1 = box(100.50, 7.00, 100.52, 7.02)
AREA_2 = box(100.52, 7.00, 100.54, 7.02)
AREA_3 = Polygon(
    [(100.50, 7.03), (100.54, 7.03), (100.54, 7.07), (100.50, 7.07)],
    holes=[[(100.51, 7.04), (100.53, 7.04), (100.53, 7.06), (100.51, 7.06)]],
)
AREA_4 = box(100.56, 7.00, 100.60, 7.04)
AREA_5 = box(100.57, 7.01, 100.58, 7.02)
AREA_6 = box(100.62, 7.00, 100.64, 7.02)

IN_1 = (7.01, 100.51)
IN_2 = (7.01, 100.53)
IN_HOLE_3 = (7.05, 100.52)
IN_OVERLAP_4_5 = (7.015, 100.575)
IN_6 = (7.01, 100.63)
ON_EDGE_1_2 = (7.01, 100.52)


def station(id_, *, lat=None, lon=None, located=True):
    """Return station id_ named 'Station <id>' / 'สถานี <id>', at its area's middle unless told."""
    if located and lat is None:
        lat, lon = {1: IN_1, 2: IN_2, 3: (7.035, 100.52), 4: (7.035, 100.59), 5: IN_OVERLAP_4_5,
                    6: IN_6}.get(id_, (7.01, 100.51))
    return StationInput(id_, f"st{id_}", f"สถานีตำรวจทดสอบ{id_}", f"Test Station {id_}", lat, lon)


def default_stations():
    """Return stations 1-6; station 6 has no known point."""
    return [station(i) for i in range(1, 6)] + [station(6, located=False)]


def default_areas():
    """Return one area per station, ids equal to station ids."""
    geoms = [AREA_1, AREA_2, AREA_3, AREA_4, AREA_5, AREA_6]
    return [AreaInput(i, i, g) for i, g in enumerate(geoms, start=1)]


def mou(id_, station_id, *, pao=PAO, start=date(2020, 1, 1), end=None, status="active",
        categories=None):
    """Return a MOU; categories None means all."""
    cats = None if categories is None else frozenset(categories)
    return MouInput(id_, pao, station_id, start, end, status, cats)


def default_mous():
    """Return an all-category MOU for every station, MOU id = 100 + station id."""
    return [mou(100 + i, i) for i in range(1, 7)]


CATEGORIES = [
    CategoryInput("crime", None, "อาชญากรรม", "Crime"),
    CategoryInput("crime.theft", "crime", "ลักทรัพย์", "Theft"),
    CategoryInput("drugs", None, "ยาเสพติด", "Drugs"),
    CategoryInput("traffic", None, "จราจร", "Traffic"),
]


def pao(*, coordinator=1):
    """Return the Songkhla PAO with the given coordinating station id."""
    return PaoInput(PAO, "องค์การบริหารส่วนจังหวัดสงขลา", "Songkhla PAO", coordinator)


def build(*, stations=None, areas=None, mous=None, coordinator=1, paos=None, **kwargs):
    """Return a RoutingIndex over the synthetic world, with any part replaced."""
    return RoutingIndex(
        default_stations() if stations is None else stations,
        default_areas() if areas is None else areas,
        default_mous() if mous is None else mous,
        CATEGORIES,
        [pao(coordinator=coordinator)] if paos is None else paos,
        **kwargs,
    )


def north_of(lat, lon, metres):
    """Return (lat, lon) moved north by metres (small distances, flat-earth)."""
    return lat + metres / METRES_PER_DEG_LAT, lon


# ---------------------------------------------------------------- rule 1: area


def test_point_inside_area_routes_to_its_station():
    d = build().route(*IN_1, "crime", PAO, DAY)
    assert (d.rule, d.station_id, d.station_code, d.area_id) == ("area", 1, "st1", 1)
    assert (d.responsible_station_id, d.responsible_station_code, d.mou_id) == (1, "st1", 101)
    assert d.near_boundary is False and d.neighbour_station_id is None
    assert d.overlapping_station_codes == ()
    # Centre of a 0.02-degree square: ~1.1 km to the nearest edge (north/south, latitude).
    assert d.distance_to_edge_m == pytest.approx(0.01 * METRES_PER_DEG_LAT, rel=0.01)
    assert d.distance_to_station_m == pytest.approx(0.0, abs=0.01)


def test_area_rule_explanation_names_station_and_mou_in_both_languages():
    d = build().route(*IN_2, "drugs", PAO, DAY)
    assert "Test Station 2" in d.explanation_en and "MOU #102" in d.explanation_en
    assert "Songkhla PAO" in d.explanation_en and "Drugs" in d.explanation_en
    assert "สถานีตำรวจทดสอบ2" in d.explanation_th and "ยาเสพติด" in d.explanation_th
    # Thai display uses the Buddhist Era year.
    assert "2568" in d.explanation_th


def test_decision_to_dict_is_json_serialisable_with_required_keys():
    d = build().route(*ON_EDGE_1_2, "crime", PAO, DAY)
    data = json.loads(json.dumps(d.to_dict()))
    for key in ("station_id", "station_code", "rule", "area_id", "mou_id", "explanation_th",
                "explanation_en", "distance_to_station_m", "distance_to_edge_m", "near_boundary",
                "neighbour_station_code", "responsible_station_id", "overlapping_station_codes"):
        assert key in data
    assert data["overlapping_station_codes"] == ["st2"]
    assert data["routed_on"] == "2025-06-15"


def test_index_version_is_kept_and_copied_to_decisions():
    index = build(version=42)
    assert index.version == 42
    assert index.route(*IN_1, "crime", PAO, DAY).index_version == 42


# ---------------------------------------------------------------- boundaries


def test_point_on_shared_boundary_is_deterministic_and_near_boundary():
    index = build()
    assert [a.id for a in index.locate(*ON_EDGE_1_2)] == [1, 2]
    decisions = {index.route(*ON_EDGE_1_2, "crime", PAO, DAY) for _ in range(3)}
    assert len(decisions) == 1
    d = decisions.pop()
    # Equal areas: the lower station id wins.
    assert (d.rule, d.station_id, d.area_id) == ("area", 1, 1)
    assert d.near_boundary is True
    assert (d.neighbour_station_id, d.neighbour_station_code) == (2, "st2")
    assert d.neighbour_distance_m == pytest.approx(0.0, abs=0.01)
    assert d.overlapping_station_codes == ("st2",)
    assert "boundary" in d.explanation_en and "Test Station 2" in d.explanation_en
    assert "แนวเขต" in d.explanation_th and "สถานีตำรวจทดสอบ2" in d.explanation_th


def test_point_near_neighbour_boundary_flags_the_neighbour():
    lat, lon = IN_1[0], 100.52 - 50 / METRES_PER_DEG_LON
    d = build().route(lat, lon, "crime", PAO, DAY)
    assert (d.rule, d.station_id) == ("area", 1)
    assert d.near_boundary is True and d.neighbour_station_code == "st2"
    assert d.neighbour_distance_m == pytest.approx(50, abs=1)
    assert d.distance_to_edge_m == pytest.approx(50, abs=1)
    assert d.overlapping_station_codes == ()
    assert "50 m" in d.explanation_en and "Test Station 2" in d.explanation_en
    assert "50 ม." in d.explanation_th


def test_point_beyond_near_boundary_distance_is_not_flagged():
    lat, lon = IN_1[0], 100.52 - 150 / METRES_PER_DEG_LON
    d = build().route(lat, lon, "crime", PAO, DAY)
    assert d.near_boundary is False and d.neighbour_station_id is None
    d = build(near_boundary_m=200).route(lat, lon, "crime", PAO, DAY)
    assert d.near_boundary is True and d.neighbour_station_code == "st2"


def test_own_coast_is_not_a_neighbour_boundary():
    # 30 m inside the west edge of area 1, where no other station's area lies.
    lat, lon = IN_1[0], 100.50 + 30 / METRES_PER_DEG_LON
    d = build().route(lat, lon, "crime", PAO, DAY)
    assert d.distance_to_edge_m == pytest.approx(30, abs=1)
    assert d.near_boundary is False and d.neighbour_station_id is None


def test_two_areas_of_the_same_station_are_not_neighbours():
    areas = [AreaInput(1, 1, AREA_1), AreaInput(2, 1, AREA_2)]
    d = build(areas=areas).route(*ON_EDGE_1_2, "crime", PAO, DAY)
    assert (d.station_id, d.area_id) == (1, 1)
    assert d.near_boundary is False and d.overlapping_station_codes == ()


# ---------------------------------------------------------------- holes and overlaps


def test_point_in_hole_is_not_in_the_area_and_falls_to_nearest():
    index = build()
    assert index.locate(*IN_HOLE_3) == []
    d = index.route(*IN_HOLE_3, "crime", PAO, DAY)
    assert d.rule == "nearest" and d.area_id is None and d.responsible_station_id is None
    # Station 3's point (7.035, 100.52) is ~1.66 km south; every other station is further.
    assert d.station_id == 3 and d.mou_id == 103
    assert d.distance_to_station_m == pytest.approx(0.015 * METRES_PER_DEG_LAT, rel=0.01)
    assert d.distance_to_edge_m is None
    assert "no jurisdiction area" in d.explanation_en and "Test Station 3" in d.explanation_en
    assert "ไม่อยู่ในเขตรับผิดชอบ" in d.explanation_th


def test_overlapping_areas_smaller_wins_and_explanation_says_so():
    index = build()
    assert [a.id for a in index.locate(*IN_OVERLAP_4_5)] == [5, 4]
    d = index.route(*IN_OVERLAP_4_5, "crime", PAO, DAY)
    assert (d.rule, d.station_id, d.area_id) == ("area", 5, 5)
    assert d.overlapping_station_codes == ("st4",)
    assert "smaller area" in d.explanation_en and "Test Station 4" in d.explanation_en
    assert "ทับซ้อน" in d.explanation_th and "สถานีตำรวจทดสอบ4" in d.explanation_th


def test_overlap_with_equal_areas_lower_station_id_wins():
    areas = [AreaInput(10, 4, AREA_1), AreaInput(11, 2, AREA_1), AreaInput(12, 3, AREA_1)]
    index = build(areas=areas)
    assert [a.station_id for a in index.locate(*IN_1)] == [2, 3, 4]
    d = index.route(*IN_1, "crime", PAO, DAY)
    assert (d.station_id, d.area_id) == (2, 11)
    assert d.overlapping_station_codes == ("st3", "st4")


def test_overlap_prefers_a_station_with_a_covering_mou_over_a_smaller_area():
    mous = [m for m in default_mous() if m.station_id != 5]
    d = build(mous=mous).route(*IN_OVERLAP_4_5, "crime", PAO, DAY)
    assert (d.rule, d.station_id, d.area_id, d.responsible_station_id) == ("area", 4, 4, 4)
    assert d.overlapping_station_codes == ("st5",)
    assert "covering MOU" in d.explanation_en


# ---------------------------------------------------------------- MOU validity


@pytest.mark.parametrize(
    "start, end, status, routed_to_area",
    [
        (date(2020, 1, 1), DAY - timedelta(days=1), "active", False),  # expired yesterday
        (DAY + timedelta(days=1), None, "active", False),  # starts tomorrow
        (date(2020, 1, 1), DAY, "active", True),  # expires today: still in force
        (DAY, None, "active", True),  # starts today
        (date(2020, 1, 1), None, "ended", False),
    ],
)
def test_mou_validity_on_the_routing_day(start, end, status, routed_to_area):
    mous = [mou(7, 2, start=start, end=end, status=status)]
    d = build(mous=mous).route(*IN_2, "crime", PAO, DAY)
    if routed_to_area:
        assert (d.rule, d.station_id, d.mou_id) == ("area", 2, 7)
    else:
        assert (d.rule, d.station_id, d.mou_id) == ("area_without_mou", 1, None)
        assert d.responsible_station_id == 2


@pytest.mark.parametrize(
    "at",
    [
        datetime(2025, 6, 14, 18, 0),  # naive = UTC, already 15 June in Bangkok
        datetime(2025, 6, 14, 17, 0, tzinfo=UTC),  # exactly midnight in Bangkok
        datetime(2025, 6, 15, 0, 30, tzinfo=ZoneInfo("Asia/Bangkok")),
    ],
)
def test_datetimes_use_the_bangkok_calendar_day(at):
    mous = [mou(7, 2, start=DAY)]
    d = build(mous=mous).route(*IN_2, "crime", PAO, at)
    assert (d.rule, d.mou_id, d.routed_on) == ("area", 7, DAY)


def test_datetime_still_the_day_before_in_bangkok():
    mous = [mou(7, 2, start=DAY)]
    at = datetime(2025, 6, 14, 16, 59, tzinfo=UTC)
    d = build(mous=mous).route(*IN_2, "crime", PAO, at)
    assert d.rule == "area_without_mou" and d.routed_on == DAY - timedelta(days=1)


def test_mou_for_another_pao_does_not_count():
    mous = [mou(7, 2, pao="pattani")]
    paos = [pao(), PaoInput("pattani", "อบจ.ปัตตานี", "Pattani PAO", None)]
    d = build(mous=mous, paos=paos).route(*IN_2, "crime", PAO, DAY)
    assert d.rule == "area_without_mou"


# ---------------------------------------------------------------- MOU categories


def test_mou_not_covering_the_category_sends_to_coordinator():
    mous = [mou(7, 2, categories={"traffic"})]
    d = build(mous=mous).route(*IN_2, "drugs", PAO, DAY)
    assert (d.rule, d.station_id, d.responsible_station_id, d.mou_id) == (
        "area_without_mou", 1, 2, None)
    # The coordinator must know whom to forward to: the area's station is named.
    assert "Test Station 2" in d.explanation_en and "Test Station 1" in d.explanation_en
    assert "coordinating station" in d.explanation_en
    assert "สถานีตำรวจทดสอบ2" in d.explanation_th and "ผู้ประสานงาน" in d.explanation_th


def test_parent_code_covers_sub_category():
    mous = [mou(7, 2, categories={"crime"})]
    index = build(mous=mous)
    assert index.route(*IN_2, "crime.theft", PAO, DAY).rule == "area"
    assert index.route(*IN_2, "crime", PAO, DAY).rule == "area"
    assert index.route(*IN_2, "drugs", PAO, DAY).rule == "area_without_mou"


def test_sub_category_does_not_cover_its_parent():
    mous = [mou(7, 2, categories={"crime.theft"})]
    index = build(mous=mous)
    assert index.route(*IN_2, "crime.theft", PAO, DAY).rule == "area"
    assert index.route(*IN_2, "crime", PAO, DAY).rule == "area_without_mou"


def test_all_categories_mou_covers_everything():
    index = build(mous=[mou(7, 2, categories=None)])
    for code in ("crime", "crime.theft", "drugs", "traffic"):
        assert index.route(*IN_2, code, PAO, DAY).mou_id == 7


def test_several_valid_mous_report_the_lowest_id():
    mous = [mou(9, 2), mou(8, 2, categories={"crime"}), mou(3, 2, status="ended")]
    assert build(mous=mous).route(*IN_2, "crime", PAO, DAY).mou_id == 8


# ---------------------------------------------------------------- coordinator


def test_pao_without_coordinator_area_without_mou_goes_to_manual_queue():
    d = build(mous=[], coordinator=None).route(*IN_2, "crime", PAO, DAY)
    assert (d.rule, d.station_id, d.station_code) == ("area_without_mou", None, None)
    assert d.responsible_station_code == "st2" and d.distance_to_station_m is None
    assert "manual queue" in d.explanation_en and "Test Station 2" in d.explanation_en
    assert "คิว" in d.explanation_th


def test_area_without_mou_measures_distance_to_the_coordinator():
    d = build(mous=[]).route(*IN_2, "crime", PAO, DAY)
    assert d.station_id == 1
    assert d.distance_to_station_m == pytest.approx(0.02 * METRES_PER_DEG_LON, rel=0.01)


# ---------------------------------------------------------------- stations without a point


def test_station_without_point_still_owns_its_area():
    d = build().route(*IN_6, "crime", PAO, DAY)
    assert (d.rule, d.station_id, d.mou_id) == ("area", 6, 106)
    assert d.distance_to_station_m is None
    assert "no recorded location" in d.explanation_en and "ยังไม่มีพิกัด" in d.explanation_th


def test_station_without_point_is_never_the_nearest():
    # Only station 6 (no point) has a MOU: nothing can be "nearest".
    d = build(areas=[], mous=[mou(7, 6)]).route(*IN_6, "crime", PAO, DAY)
    assert (d.rule, d.station_id) == ("outside_coverage", 1)


# ---------------------------------------------------------------- no area: nearest / outside


def test_no_areas_nearest_covering_station_within_limit():
    lat, lon = north_of(*IN_1, -10_000)  # south, away from the others
    d = build(areas=[]).route(lat, lon, "crime", PAO, DAY)
    assert (d.rule, d.station_id, d.mou_id) == ("nearest", 1, 101)
    assert d.distance_to_station_m == pytest.approx(10_000, rel=0.005)
    assert d.responsible_station_id is None and d.area_id is None
    assert "10 km" in d.explanation_en and "Test Station 1" in d.explanation_en
    assert "10 กม." in d.explanation_th and "สถานีตำรวจทดสอบ1" in d.explanation_th


def test_nearest_skips_stations_without_a_covering_mou():
    mous = [mou(7, 4), mou(8, 1, categories={"traffic"})]
    lat, lon = north_of(*IN_1, -10_000)  # south, away from the others
    d = build(areas=[], mous=mous).route(lat, lon, "crime", PAO, DAY)
    assert (d.rule, d.station_id, d.mou_id) == ("nearest", 4, 7)


def test_nearest_uses_geodesic_distance_to_pick_the_closest():
    stations = [station(1, lat=7.10, lon=100.50), station(2, lat=7.00, lon=100.61)]
    point = (7.00, 100.50)  # station 1 is ~11.06 km north, station 2 ~12.15 km east
    d = build(stations=stations, areas=[], mous=[mou(1, 1), mou(2, 2)]).route(
        *point, "crime", PAO, DAY)
    assert d.station_id == 1


def test_no_areas_beyond_limit_is_outside_coverage_to_coordinator():
    lat, lon = north_of(*IN_1, -40_000)
    d = build(areas=[]).route(lat, lon, "crime", PAO, DAY)
    assert (d.rule, d.station_id, d.mou_id) == ("outside_coverage", 1, None)
    assert d.distance_to_station_m == pytest.approx(40_000, rel=0.005)
    assert "30 km" in d.explanation_en and "Test Station 1" in d.explanation_en
    assert "30 กม." in d.explanation_th


def test_outside_coverage_without_coordinator_goes_to_manual_queue():
    lat, lon = north_of(*IN_1, -40_000)
    d = build(areas=[], coordinator=None).route(lat, lon, "crime", PAO, DAY)
    assert (d.rule, d.station_id, d.distance_to_station_m) == ("outside_coverage", None, None)
    assert "manual queue" in d.explanation_en


def test_max_nearest_is_configurable():
    lat, lon = north_of(*IN_1, -40_000)
    d = build(areas=[], max_nearest_m=50_000).route(lat, lon, "crime", PAO, DAY)
    assert (d.rule, d.station_id) == ("nearest", 1)


def test_sea_point_near_a_coast_flags_that_station_as_neighbour():
    # 60 m west of area 1 (outside every area); only station 4 has a MOU, ~11 km away.
    lat, lon = IN_1[0], 100.50 - 60 / METRES_PER_DEG_LON
    d = build(mous=[mou(7, 4)]).route(lat, lon, "crime", PAO, DAY)
    assert (d.rule, d.station_id) == ("nearest", 4)
    assert d.near_boundary is True and d.neighbour_station_code == "st1"


def test_input_order_does_not_change_decisions():
    forward, backward = build(), build(areas=default_areas()[::-1], stations=default_stations()[::-1])
    for point in (IN_1, ON_EDGE_1_2, IN_OVERLAP_4_5, IN_HOLE_3, IN_6):
        a = forward.route(*point, "crime", PAO, DAY)
        b = backward.route(*point, "crime", PAO, DAY)
        assert a == b
