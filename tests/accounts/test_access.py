"""Role decorators and query scopes: other stations' and PAOs' reports are simply not found."""
import pytest

from app.accounts.models import Role
from tests.factories import make_pao, make_report, make_station, make_user


@pytest.fixture()
def world(db):
    pao_a, pao_b = make_pao(), make_pao()
    station_a, station_b = make_station(), make_station()
    member_a = make_user(role=Role.COUNCIL_MEMBER, pao=pao_a)
    report_a = make_report(filed_by=member_a, station=station_a)
    return {
        "report": report_a,
        "filer": member_a,
        "other_member_same_pao": make_user(role=Role.COUNCIL_MEMBER, pao=pao_a),
        "member_other_pao": make_user(role=Role.COUNCIL_MEMBER, pao=pao_b),
        "desk_same_station": make_user(role=Role.DESK_OFFICER, station=station_a),
        "commander_same_station": make_user(role=Role.STATION_COMMANDER, station=station_a),
        "desk_other_station": make_user(role=Role.DESK_OFFICER, station=station_b),
        "commander_other_station": make_user(role=Role.STATION_COMMANDER, station=station_b),
        "coordinator_same_pao": make_user(role=Role.PAO_COORDINATOR, pao=pao_a),
        "coordinator_other_pao": make_user(role=Role.PAO_COORDINATOR, pao=pao_b),
        "admin": make_user(role=Role.ADMIN),
    }


@pytest.mark.parametrize("who,expected", [
    ("filer", 200), ("desk_same_station", 200), ("commander_same_station", 200),
    ("coordinator_same_pao", 200), ("admin", 200),
    ("other_member_same_pao", 404), ("member_other_pao", 404), ("desk_other_station", 404),
    ("commander_other_station", 404), ("coordinator_other_pao", 404),
])
def test_report_page_is_scoped(client, login, world, who, expected):
    login(world[who])
    response = client.get(f"/reports/{world['report'].id}")
    assert response.status_code == expected


def test_home_lists_only_in_scope_reports(client, login, world):
    login(world["desk_other_station"])
    assert world["report"].reference_number not in client.get("/home").get_data(as_text=True)
    client.post("/accounts/logout")
    login(world["desk_same_station"])
    assert world["report"].reference_number in client.get("/home").get_data(as_text=True)


def test_role_required_gives_403(client, login, world):
    login(world["desk_same_station"])
    assert client.get("/stations/coverage").status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(f"/reports/{world['report'].id}")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
