"""Routing input validation: bad request values, bad build data, and the input records' rules."""
from datetime import date
from decimal import Decimal

import pytest
from shapely.geometry import LineString, Point, box

from app.routing import (
    AreaInput,
    CategoryInput,
    MouInput,
    PaoInput,
    RoutingIndex,
    RoutingInputError,
    StationInput,
)

DAY = date(2025, 6, 15)


def tiny_index(**kwargs):
    """Return a one-station, one-area index around Hat Yai."""
    parts = dict(
        stations=[StationInput(1, "hat_yai", "สภ.หาดใหญ่", "Hat Yai", 7.0084, 100.4767)],
        areas=[AreaInput(1, 1, box(100.40, 6.95, 100.55, 7.05))],
        mous=[MouInput(1, "songkhla", 1, date(2020, 1, 1), None, "active", None)],
        categories=[CategoryInput("crime", None, "อาชญากรรม", "Crime")],
        paos=[PaoInput("songkhla", "อบจ.สงขลา", "Songkhla PAO", 1)],
    )
    parts.update(kwargs)
    return RoutingIndex(**parts)


@pytest.mark.parametrize(
    "lat, lon, field",
    [
        (float("nan"), 100.5, "lat"),
        (7.0, float("nan"), "lon"),
        (float("inf"), 100.5, "lat"),
        (7.0, float("-inf"), "lon"),
        (91, 100.5, "lat"),
        (-90.0001, 100.5, "lat"),
        (7.0, -181, "lon"),
        (7.0, 180.5, "lon"),
        (None, 100.5, "lat"),
        (7.0, None, "lon"),
        ("abc", 100.5, "lat"),
        (7.0, "", "lon"),
        ("nan", 100.5, "lat"),
        (True, 100.5, "lat"),
        (7.0, False, "lon"),
        ([7.0], 100.5, "lat"),
        (10**400, 100.5, "lat"),
        (7.0, "1e400", "lon"),
    ],
)
def test_bad_coordinates_raise_routing_input_error(lat, lon, field):
    index = tiny_index()
    for call in (lambda: index.route(lat, lon, "crime", "songkhla", DAY), lambda: index.locate(lat, lon)):
        with pytest.raises(RoutingInputError) as caught:
            call()
        assert caught.value.field == field
        assert caught.value.message_en and caught.value.message_th
        assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("lat, lon", [(90, 180), (-90, -180), ("7.0", " 100.5 "), (Decimal("7"), 100)])
def test_edge_and_numeric_string_coordinates_are_accepted(lat, lon):
    assert tiny_index().route(lat, lon, "crime", "songkhla", DAY).rule in (
        "area", "outside_coverage")


@pytest.mark.parametrize("category", ["drugs", "", None, 3, "CRIME"])
def test_unknown_category_raises(category):
    with pytest.raises(RoutingInputError) as caught:
        tiny_index().route(7.0, 100.5, category, "songkhla", DAY)
    assert caught.value.field == "category_code"


def test_error_message_caps_a_huge_client_value():
    with pytest.raises(RoutingInputError) as caught:
        tiny_index().route(7.0, 100.5, "x" * 10_000, "songkhla", DAY)
    assert len(caught.value.message_en) < 100 and len(caught.value.message_th) < 100


@pytest.mark.parametrize("pao_code", ["pattani", "", None])
def test_unknown_pao_raises(pao_code):
    with pytest.raises(RoutingInputError) as caught:
        tiny_index().route(7.0, 100.5, "crime", pao_code, DAY)
    assert caught.value.field == "pao_code"
    assert caught.value.to_dict()["field"] == "pao_code"


@pytest.mark.parametrize("at", [None, "2025-06-15", 1750000000])
def test_bad_time_raises(at):
    with pytest.raises(RoutingInputError) as caught:
        tiny_index().route(7.0, 100.5, "crime", "songkhla", at)
    assert caught.value.field == "at"


def test_build_rejects_area_of_unknown_station():
    with pytest.raises(ValueError, match="unknown station"):
        tiny_index(areas=[AreaInput(1, 99, box(0, 0, 1, 1))])


def test_build_rejects_mou_and_coordinator_of_unknown_station():
    with pytest.raises(ValueError, match="MOU 5"):
        tiny_index(mous=[MouInput(5, "songkhla", 99, DAY, None, "active", None)])
    with pytest.raises(ValueError, match="coordinator"):
        tiny_index(paos=[PaoInput("songkhla", "อบจ.สงขลา", "Songkhla PAO", 99)])


def test_build_rejects_non_polygon_area_and_duplicate_ids():
    for geometry in (Point(0, 0), LineString([(0, 0), (1, 1)]), None):
        with pytest.raises(ValueError, match="Polygon"):
            tiny_index(areas=[AreaInput(1, 1, geometry)])
    with pytest.raises(ValueError, match="duplicate"):
        tiny_index(areas=[AreaInput(1, 1, box(0, 0, 1, 1)), AreaInput(1, 1, box(1, 0, 2, 1))])


def test_empty_index_routes_to_coordinator():
    index = tiny_index(stations=[StationInput(1, "a", "ก", "A", None, None)], areas=[], mous=[])
    assert index.area_count == 0 and index.locate(7.0, 100.5) == []
    d = index.route(7.0, 100.5, "crime", "songkhla", DAY)
    assert (d.rule, d.station_id, d.distance_to_station_m) == ("outside_coverage", 1, None)


def test_mou_activity_and_coverage_rules():
    m = MouInput(1, "p", 1, date(2025, 1, 1), date(2025, 12, 31), "active", frozenset({"crime"}))
    assert not m.is_active_on(date(2024, 12, 31))
    assert m.is_active_on(date(2025, 1, 1)) and m.is_active_on(date(2025, 12, 31))
    assert not m.is_active_on(date(2026, 1, 1))
    assert m.covers(("crime.theft", "crime")) and not m.covers(("drugs",))
    assert MouInput(2, "p", 1, DAY, None, "active", None).covers(("anything",))
    assert not MouInput(3, "p", 1, DAY, None, "ended", None).is_active_on(DAY)


def test_station_located_needs_both_finite_coordinates():
    assert StationInput(1, "a", "ก", "A", 7.0, 100.0).located
    assert not StationInput(1, "a", "ก", "A", 7.0, None).located
    assert not StationInput(1, "a", "ก", "A", float("nan"), 100.0).located
