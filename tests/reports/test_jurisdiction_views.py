"""The jurisdiction editor over HTTP: who may open it, assigning tambon and amphoe, publishing after the dry
run with the moved reports re-routed, comparing versions, and bad input answered without a 500."""
from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.reports.routing_service import clear_index_cache, route_report
from app.stations.jurisdiction import assignment_map, bangkok_today, get_draft, versions
from tests.factories import make_pao, make_report, make_user
from tests.stations.jurisdiction_world import IN_900102, build_world


@pytest.fixture()
def world(db, tmp_path):
    clear_index_cache()
    made = build_world(tmp_path)
    made["other"] = make_pao(code="satun")
    made["other"].province_code = "91"
    report = make_report(pao=made["pao"], category=made["category"], lat=IN_900102[0], lon=IN_900102[1])
    route_report(report)
    made["report"] = report
    db.session.commit()
    yield made
    clear_index_cache()


def coordinator(db, pao):
    made = make_user(role=Role.PAO_COORDINATOR, pao=pao)
    db.session.commit()
    return made


def test_coordinator_edits_publishes_and_compares(db, login, world):
    client = login(coordinator(db, world["pao"]))
    page = client.get("/stations/jurisdiction")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "ตำบล900102" in body and 'id="jurisdiction-map"' in body
    data = client.get("/stations/jurisdiction.geojson").get_json()
    assert sorted(f["properties"]["code"] for f in data["features"]) == ["900101", "900102", "900201", "900202"]
    assert all(f["properties"]["colour"] for f in data["features"])

    # A whole amphoe to east, then one tambon back to no station: the warning names it.
    assert client.post("/stations/jurisdiction/assign", data={"amphoe": "9001", "station": "east"}).status_code == 302
    client.post("/stations/jurisdiction/assign", data={"tambon": "900101", "station": "-"})
    draft = get_draft(world["pao"])
    assert assignment_map(draft) == {"900102": world["east"].id, "900201": world["east"].id,
                                     "900202": world["east"].id}
    page = client.get("/stations/jurisdiction").get_data(as_text=True)
    warnings = page[page.index('id="missing-count"'):page.index('id="assign-title"')]
    assert "flash-error" in warnings and "ตำบล900101" in warnings and "ตำบล900102" not in warnings

    today = bangkok_today().isoformat()
    preview = client.post("/stations/jurisdiction/publish", data={"effective_from": today, "note": "east"})
    assert preview.status_code == 200 and world["report"].reference_number in preview.get_data(as_text=True)
    db.session.expire_all()
    assert world["report"].station_id == world["west"].id and not versions(world["pao"])

    done = client.post("/stations/jurisdiction/publish",
                       data={"effective_from": today, "note": "east", "confirm": "yes"}, follow_redirects=True)
    assert done.status_code == 200
    db.session.expire_all()
    (version,) = versions(world["pao"])
    assert (version.number, version.moved_reports, version.note) == (1, 1, "east")
    assert world["report"].station_id == world["east"].id

    compared = client.get("/stations/jurisdiction/compare?a=1&b=draft")
    assert compared.status_code == 200 and 'id="change-count"' in compared.get_data(as_text=True)
    assert client.get("/stations/jurisdiction/compare?a=1&b=9").status_code == 404


def test_bad_input_keeps_what_was_typed(db, login, world):
    client = login(coordinator(db, world["pao"]))
    answer = client.post("/stations/jurisdiction/publish", data={"effective_from": "tomorrow", "note": "my note"})
    assert answer.status_code == 400
    body = answer.get_data(as_text=True)
    assert 'value="tomorrow"' in body and "my note" in body
    past = (bangkok_today() - timedelta(days=2)).isoformat()
    assert client.post("/stations/jurisdiction/publish", data={"effective_from": past}).status_code == 400
    assert client.post("/stations/jurisdiction/assign", data={"tambon": "100101", "station": "east"}).status_code == 302
    assert client.post("/stations/jurisdiction/assign", data={"tambon": "900101", "station": "nope"}).status_code == 400
    assert not versions(world["pao"])


def test_buddhist_era_day_is_accepted(db, login, world):
    client = login(coordinator(db, world["pao"]))
    day = bangkok_today()
    be = f"{day.year + 543}-{day.month:02d}-{day.day:02d}"
    client.post("/stations/jurisdiction/publish", data={"effective_from": be, "confirm": "yes"})
    db.session.expire_all()
    assert versions(world["pao"])[0].effective_from == day


def test_coordinator_of_another_pao_gets_404(db, login, world):
    client = login(coordinator(db, world["other"]))
    assert client.get("/stations/jurisdiction?pao=songkhla").status_code == 404
    assert client.get("/stations/jurisdiction.geojson?pao=songkhla").status_code == 404
    assert client.post("/stations/jurisdiction/assign?pao=songkhla",
                       data={"amphoe": "9001", "station": "east"}).status_code == 404
    assert client.post("/stations/jurisdiction/publish?pao=songkhla",
                       data={"effective_from": bangkok_today().isoformat(), "confirm": "yes"}).status_code == 404
    assert client.get("/stations/jurisdiction/compare?pao=songkhla&a=draft&b=draft").status_code == 404
    # Their own page shows nothing of songkhla.
    own = client.get("/stations/jurisdiction").get_data(as_text=True)
    assert "ตำบล900101" not in own and world["report"].reference_number not in own
    assert not versions(world["pao"])


@pytest.mark.parametrize("role", [Role.COUNCIL_MEMBER, Role.DESK_OFFICER, Role.STATION_COMMANDER])
def test_other_roles_are_refused(db, login, world, role):
    made = make_user(role=role, pao=world["pao"], station=world["west"] if role != Role.COUNCIL_MEMBER else None)
    db.session.commit()
    client = login(made)
    assert client.get("/stations/jurisdiction").status_code == 403
    assert client.post("/stations/jurisdiction/assign", data={"amphoe": "9001", "station": "east"}).status_code == 403
