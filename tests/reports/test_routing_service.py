"""Routing service: the cached index follows the data version; decisions, events and re-routing are stored."""
from datetime import date

import pytest

from app.accounts.models import Role
from app.reports.models import ReportEvent, ReportStatus, RoutingDecision
from app.reports.routing_service import (
    ManualRoutingError,
    clear_index_cache,
    get_index,
    preview_route,
    reroute_open_reports,
    route_by_hand,
    route_report,
)
from app.routing import RoutingInputError
from app.stations.importers import import_areas
from app.stations.services import bump_routing_version, routing_version
from tests.factories import make_category, make_mou, make_pao, make_report, make_station, make_user
from tests.stations.helpers import EAST, IN_EAST, IN_WEST, WEST, collection, feature, write_json


@pytest.fixture(autouse=True)
def fresh_routing_index(app):
    """Drop the cached index: emptied tables restart the version counter, which would look current."""
    with app.app_context():
        clear_index_cache()
    yield
    with app.app_context():
        clear_index_cache()


@pytest.fixture()
def world(db, tmp_path):
    """Two stations with neighbouring areas, both under an all-category MOU; a coordinator station."""
    coordinator = make_station(code="coordinator", lat=7.2, lon=100.6)
    west = make_station(code="west", lat=IN_WEST[0], lon=IN_WEST[1])
    east = make_station(code="east", lat=IN_EAST[0], lon=IN_EAST[1])
    pao = make_pao(code="songkhla", coordinator=coordinator)
    for station in (west, east):
        make_mou(pao=pao, station=station)
    category = make_category(code="traffic")
    import_areas(write_json(tmp_path / "areas.geojson", collection(feature("west", WEST), feature("east", EAST))),
                 key="station")
    return {"pao": pao, "west": west, "east": east, "coordinator": coordinator, "category": category,
            "tmp_path": tmp_path}


def test_index_is_cached_until_the_version_changes(world):
    index = get_index()
    assert index.version == routing_version() and index.area_count == 2
    assert get_index() is index
    bump_routing_version()
    rebuilt = get_index()
    assert rebuilt is not index and rebuilt.version == index.version + 1


def test_area_import_changes_the_preview(world):
    north = (7.08, 100.47)  # just outside both squares
    before = preview_route(lat=north[0], lon=north[1], category="traffic", pao="songkhla")
    assert (before.station_code, before.rule) == ("east", "nearest")
    import_areas(write_json(world["tmp_path"] / "b.geojson", collection(feature("west", WEST.buffer(0.1)))),
                 key="station")
    after = preview_route(lat=north[0], lon=north[1], category=world["category"], pao=world["pao"])
    assert (after.station_code, after.rule) == ("west", "area")
    assert after.index_version == routing_version() > before.index_version


def test_preview_rejects_bad_input(world):
    with pytest.raises(RoutingInputError) as error:
        preview_route(lat=91, lon=100.4, category="traffic", pao="songkhla")
    assert error.value.field == "lat"
    with pytest.raises(RoutingInputError):
        preview_route(lat=7, lon=100.4, category="nope", pao="songkhla")
    with pytest.raises(RoutingInputError):
        preview_route(lat=7, lon=100.4, category="traffic", pao="nope")


def test_route_report_stores_decision_event_and_station(world, db):
    actor = make_user(role=Role.COUNCIL_MEMBER, pao=world["pao"])
    report = make_report(filed_by=actor, category=world["category"], lat=IN_WEST[0], lon=IN_WEST[1])
    assert report.station is None
    decision = route_report(report, actor=actor)
    assert report.station == world["west"]
    assert (decision.rule, decision.reason, decision.station, decision.decided_by_id) == (
        "area", "initial", world["west"], actor.id)
    assert decision.responsible_station_id == world["west"].id and decision.mou_id is not None
    assert decision.area_id is not None and decision.distance_to_edge_m > 0
    assert decision.distance_to_station_m == pytest.approx(0, abs=1)
    assert decision.data_version == routing_version()
    assert world["west"].name_th in decision.explanation_th and world["west"].name_en in decision.explanation_en
    [event] = report.events
    assert (event.kind, event.actor_id) == ("routed", actor.id)
    before, after = event.payload.pop("before"), event.payload.pop("after")
    assert event.payload == {"station_code": "west", "rule": "area", "previous_station_code": None,
                             "decision_id": decision.id}
    assert (before["station_code"], after["station_code"]) == (None, "west")  # every change says before and after


def test_route_report_without_mou_goes_to_the_coordinator(world, db):
    traffic_only = make_pao(code="satun", coordinator=world["coordinator"])
    report = make_report(pao=traffic_only, category=world["category"], lat=IN_EAST[0], lon=IN_EAST[1])
    decision = route_report(report, at=date(2025, 1, 1))
    assert (decision.rule, report.station, decision.responsible_station) == (
        "area_without_mou", world["coordinator"], world["east"])
    assert decision.mou_id is None


def test_reroute_moves_only_reports_whose_station_changes(world, db):
    pao = world["pao"]
    coordinator_user = make_user(role=Role.PAO_COORDINATOR, pao=pao)
    in_west = make_report(pao=pao, category=world["category"], lat=IN_WEST[0], lon=IN_WEST[1])
    in_east = make_report(pao=pao, category=world["category"], lat=IN_EAST[0], lon=IN_EAST[1])
    closed = make_report(pao=pao, category=world["category"], lat=IN_EAST[0], lon=IN_EAST[1],
                         status=ReportStatus.CLOSED)
    forwarded = make_report(pao=pao, category=world["category"], lat=IN_EAST[0], lon=IN_EAST[1])
    for report in (in_west, in_east, closed, forwarded):
        route_report(report)
    route_by_hand(forwarded, world["west"], actor=coordinator_user, note="the resident lives in west",
                  reason="manual")
    assert reroute_open_reports(pao=pao) == 0

    # East's area is handed to west: only open, automatically routed reports in it move.
    import_areas(write_json(world["tmp_path"] / "b.geojson", collection(feature("west", WEST.union(EAST)))),
                 key="station")
    db.session.delete(world["east"].areas[0])
    bump_routing_version()
    db.session.flush()
    assert reroute_open_reports(pao="songkhla", actor=coordinator_user) == 1
    assert in_east.station == world["west"] and closed.station == world["east"]
    assert forwarded.station == world["west"] and forwarded.routing_decisions[-1].rule == "manual"
    latest = in_east.routing_decisions[-1]
    assert (latest.reason, latest.rule, latest.decided_by_id) == ("reroute", "area", coordinator_user.id)
    assert in_east.events[-1].kind == "rerouted"
    assert in_east.events[-1].payload["previous_station_code"] == "east"
    assert len(in_west.routing_decisions) == 1
    assert reroute_open_reports() == 0


def test_route_manually_records_who_and_why(world, db):
    coordinator_user = make_user(role=Role.PAO_COORDINATOR, pao=world["pao"])
    report = make_report(pao=world["pao"], category=world["category"], lat=IN_WEST[0], lon=IN_WEST[1])
    route_report(report)
    decision = route_by_hand(report, world["east"], actor=coordinator_user, note="ตลาดอยู่ฝั่งตะวันออก", reason="manual")[0]
    assert report.station == world["east"]
    assert (decision.rule, decision.reason, decision.decided_by_id) == ("manual", "manual", coordinator_user.id)
    assert coordinator_user.display_name in decision.explanation_en and "ตลาดอยู่ฝั่งตะวันออก" in decision.explanation_th
    assert world["east"].name_th in decision.explanation_th and world["east"].name_en in decision.explanation_en
    assert decision.distance_to_station_m > 1000
    event = report.events[-1]
    assert event.kind == "rerouted" and event.payload["rule"] == "manual"
    assert event.payload["previous_station_code"] == "west" and event.payload["note"] == "ตลาดอยู่ฝั่งตะวันออก"
    assert db.session.scalar(db.select(db.func.count(RoutingDecision.id))) == 2
    assert db.session.scalar(db.select(db.func.count(ReportEvent.id))) == 2
    with pytest.raises(ManualRoutingError):
        route_by_hand(report, world["east"], actor=coordinator_user, note="again", reason="manual")[0]
    with pytest.raises(ManualRoutingError):
        route_by_hand(report, world["west"], actor=coordinator_user, note=" ", reason="manual")[0]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_report_page_shows_the_routing_explanation_and_history(world, db, login, lang):
    member = make_user(role=Role.COUNCIL_MEMBER, pao=world["pao"])
    coordinator_user = make_user(role=Role.PAO_COORDINATOR, pao=world["pao"])
    report = make_report(filed_by=member, category=world["category"], lat=IN_WEST[0], lon=IN_WEST[1])
    route_report(report, actor=member)
    manual = route_by_hand(report, world["east"], actor=coordinator_user, note="market side", reason="manual")[0]
    db.session.commit()
    # One language per test: requests inside a test share the app context, where the language is cached.
    html = login(member).get(f"/reports/{report.id}?lang={lang}").get_data(as_text=True)
    routing = html[html.index("routing-title"):]
    assert routing.index(manual.explanation(lang)) < routing.index("<table>")  # the latest, above the history
    assert routing.count("<time datetime=") >= 2 and world["west"].name(lang) in routing
    if lang == "en":  # Thai labels depend on the catalogue being compiled
        assert "Routing history" in routing and "Forwarded by hand" in routing
