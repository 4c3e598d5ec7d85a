"""Hotspots: a cell shows only from the minimum count up; drug reports never below it, never as points."""
import json
from datetime import date, datetime

import pytest

from app.extensions import db
from app.oversight.hotspots import hotspot_cells
from app.oversight.scope import Filters, Scope
from tests.oversight.helpers import filed, signed_in

MAY = datetime(2026, 5, 4, 3, 0)
CELL = (7.2345, 100.5678)  # inside the cell 7.23-7.24, 100.56-100.57
OTHER_CELL = (7.3012, 100.6123)


def put(world, count, *, category=None, where=CELL):
    for n in range(count):
        filed(member=world.member, station=world.west, category=category or world.theft, created_at=MAY,
              lat=where[0] + n * 0.0003, lon=where[1] + n * 0.0002)
    db.session.commit()


def cells(world, **filters):
    return hotspot_cells(Scope(pao=world.pao), Filters(date(2026, 5, 1), date(2026, 5, 1), **filters), min_count=5)


def test_four_reports_in_a_cell_are_not_shown_five_are(db, world):
    put(world, 4)
    data = cells(world)
    assert (data["cells"], data["elsewhere"], data["total"]) == ([], 4, 4)
    put(world, 1)
    data = cells(world)
    assert [c["count"] for c in data["cells"]] == [5]
    assert data["cells"][0]["bounds"] == [[7.23, 100.56], [7.24, 100.57]]  # snapped to the grid
    assert data["elsewhere"] == 0


def test_drug_reports_below_the_minimum_never_count_in_a_cell(db, world):
    put(world, 5)  # theft: the cell is shown
    put(world, 4, category=world.dealing)  # drugs in the same cell, one short of the minimum
    put(world, 3, category=world.dealing, where=OTHER_CELL)
    data = cells(world)
    assert [c["count"] for c in data["cells"]] == [5]  # the four drug reports are not added to it
    assert data["elsewhere"] == 7
    assert cells(world, category=world.categories["drugs"])["cells"] == []
    put(world, 1, category=world.dealing)
    assert [c["count"] for c in cells(world)["cells"]] == [10]
    assert [c["count"] for c in cells(world, category=world.categories["drugs"])["cells"]] == [5]


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
    assert "7.2345" not in text and "100.5678" not in text and "7.3012" not in text


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
