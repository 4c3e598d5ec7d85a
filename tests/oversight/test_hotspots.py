"""Hotspots: a cell shows only from the minimum count up; drug reports never below it, never as points."""
import json
import random
from datetime import date, datetime

import pytest

from app.core.timeutil import utcnow
from app.extensions import db
from app.oversight.hotspots import hotspot_cells
from app.oversight.rollup import refresh_rollups
from app.oversight.scope import Filters, Scope
from tests.oversight.helpers import filed, signed_in

MAY = datetime(2026, 5, 4, 3, 0)
CELL = (7.2345, 100.5678)  # inside the cell 7.23-7.24, 100.56-100.57
OTHER_CELL = (8.1012, 99.6123)  # in another 0.64° square: no subtraction between the two


def put(world, count, *, category=None, where=CELL):
    for n in range(count):
        filed(member=world.member, station=world.west, category=category or world.theft, created_at=MAY,
              lat=where[0] + n * 0.0003, lon=where[1] + n * 0.0002)
    db.session.commit()
    refresh_rollups(rebuild_all=True)  # what the worker's rollup job does every few minutes
    db.session.commit()


def cells(world, source="rollups", **filters):
    return hotspot_cells(Scope(pao=world.pao), Filters(date(2026, 5, 1), date(2026, 5, 1), **filters), min_count=5,
                         source=source)


@pytest.mark.parametrize("source", ["rollups", "direct"])
def test_four_reports_in_a_cell_are_not_shown_five_are(db, world, source):
    put(world, 4)
    data = cells(world, source)
    assert (data["cells"], data["elsewhere"], data["total"]) == ([], 4, 4)
    put(world, 1)
    data = cells(world, source)
    assert [c["count"] for c in data["cells"]] == [5]
    assert data["cells"][0]["bounds"] == [[7.23, 100.56], [7.24, 100.57]]  # snapped to the grid
    assert data["elsewhere"] == 0


@pytest.mark.parametrize("source", ["rollups", "direct"])
def test_drug_reports_below_the_minimum_never_count_in_a_cell(db, world, source):
    put(world, 5)  # theft: the cell is shown
    put(world, 4, category=world.dealing)  # drugs in the same cell, one short of the minimum
    put(world, 3, category=world.dealing, where=OTHER_CELL)
    data = cells(world, source)
    assert [c["count"] for c in data["cells"]] == [5]  # the four drug reports are not added to it
    assert data["elsewhere"] == 7
    assert cells(world, source, category=world.categories["drugs"])["cells"] == []
    put(world, 1, category=world.dealing)
    assert [c["count"] for c in cells(world, source)["cells"]] == [10]
    assert [c["count"] for c in cells(world, source, category=world.categories["drugs"])["cells"]] == [5]


def test_the_rollups_give_the_cells_the_reports_give_for_any_filters(db, world):
    rng = random.Random(7)
    categories = [world.theft, world.dealing, world.categories["traffic.street_racing"]]
    for _n in range(400):
        month = rng.choice([3, 4, 5, 6])
        filed(member=rng.choice([world.member, world.member2]), station=rng.choice([world.west, world.east, None]),
              category=rng.choice(categories), created_at=datetime(2026, month, rng.randint(1, 28), rng.randint(0, 23)),
              lat=7.2 + rng.random() * 0.04, lon=100.55 + rng.random() * 0.04)
    # the edges of the Bangkok month: 1 June 00:30 in Bangkok is still 31 May in UTC
    filed(member=world.member, station=world.west, category=world.theft, created_at=datetime(2026, 5, 31, 17, 30),
          lat=7.21, lon=100.56)
    db.session.commit()
    refresh_rollups(rebuild_all=True)
    db.session.commit()
    scopes = (Scope(pao=world.pao), Scope())
    filters = (Filters(date(2026, 3, 1), date(2026, 6, 1)), Filters(date(2026, 6, 1), date(2026, 6, 1)),
               Filters(date(2026, 4, 1), date(2026, 5, 1), category=world.categories["drugs"]),
               Filters(date(2026, 3, 1), date(2026, 6, 1), station=world.east, category=world.theft))
    for scope in scopes:
        for chosen in filters:
            for min_count in (1, 3, 5):
                rolled = hotspot_cells(scope, chosen, min_count=min_count, source="rollups")
                direct = hotspot_cells(scope, chosen, min_count=min_count, source="direct")
                assert {k: v for k, v in rolled.items() if k != "source"} == \
                       {k: v for k, v in direct.items() if k != "source"}
    assert hotspot_cells(scopes[0], filters[0], min_count=1)["total"] == 401


def test_members_see_their_own_reports_at_once_coordinators_as_of_the_last_refresh(app, db, world):
    put(world, 5)
    late = filed(member=world.member, station=world.west, category=world.theft, created_at=MAY, lat=CELL[0],
                 lon=CELL[1])
    late.updated_at = utcnow()  # filed (changed) after the last rollup run
    db.session.commit()
    url = "/oversight/hotspots.json?from=2026-05&to=2026-05"
    assert signed_in(app, world.member).get(url).get_json()["total"] == 6
    coordinator = signed_in(app, world.coordinator)
    assert coordinator.get(url).get_json()["total"] == 5
    page = coordinator.get("/oversight/hotspots?from=2026-05&to=2026-05").get_data(as_text=True)
    assert "ตัวเลข ณ" in page  # "figures as of" the last run
    refresh_rollups()  # the worker's next incremental run
    db.session.commit()
    assert coordinator.get(url).get_json()["total"] == 6
    member_page = signed_in(app, world.member).get("/oversight/hotspots?from=2026-05&to=2026-05")
    assert "ตัวเลข ณ" not in member_page.get_data(as_text=True)  # counted just now


def test_the_json_has_squares_and_never_a_report_point(app, db, world):
    put(world, 6)
    put(world, 4, category=world.dealing, where=OTHER_CELL)
    client = signed_in(app, world.coordinator)
    response = client.get("/oversight/hotspots.json?from=2026-05&to=2026-05")
    assert response.status_code == 200
    data = response.get_json()
    assert data["min_count"] == 5 and data["elsewhere"] == 4 and data["total"] == 10
    assert [f["properties"]["count"] for f in data["features"]] == [6]
    assert all(f["geometry"]["type"] == "Polygon" for f in data["features"])
    text = json.dumps(data)
    assert "7.2345" not in text and "100.5678" not in text and "8.1012" not in text


def test_the_minimum_comes_from_the_config(app, db, world, monkeypatch):
    put(world, 4)
    monkeypatch.setitem(app.config, "HOTSPOT_MIN_COUNT", 3)
    client = signed_in(app, world.coordinator)
    data = client.get("/oversight/hotspots.json?from=2026-05&to=2026-05").get_json()
    assert [f["properties"]["count"] for f in data["features"]] == [4]


@pytest.mark.parametrize("who", ["coordinator", "member", "admin"])
def test_the_hotspot_page_renders_for_each_viewer(app, db, world, who):
    put(world, 5)
    page = signed_in(app, getattr(world, who)).get("/oversight/hotspots?from=2026-05&to=2026-05")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="hotspot-map"' in html and "oversight_hotspots.js" in html
    assert "<script>" not in html and "style=" not in html
