"""Hotspot zoom levels: per-zoom squares equal direct counts, and no zoom, bounds or subtraction shows fewer than k."""
import math
import random
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.oversight import grid
from app.oversight.hotspots import hotspot_cells
from app.oversight.models import HotspotCell
from app.oversight.rollup import refresh_rollups
from app.oversight.scope import Filters, Scope
from app.reports.models import Report
from tests.oversight.helpers import filed, signed_in

K = 5
CENTRES = [(7.05, 100.35), (7.21, 100.58), (7.23, 100.61), (7.62, 100.9), (6.9, 100.64)]


@pytest.fixture
def spread(db, world):
    """About 500 reports in clusters over four months, two categories, two stations, both members."""
    rng = random.Random(20)
    categories = [world.theft, world.dealing, world.categories["traffic.street_racing"]]
    for _n in range(500):
        lat, lon = rng.choice(CENTRES)
        filed(member=rng.choice([world.member, world.member2]), station=rng.choice([world.west, world.east]),
              category=rng.choice(categories), created_at=datetime(2026, rng.choice([3, 4, 5, 6]),
                                                                   rng.randint(1, 28), rng.randint(0, 23)),
              lat=lat + rng.gauss(0, 0.02), lon=lon + rng.gauss(0, 0.02))
    db.session.commit()
    refresh_rollups(rebuild_all=True)
    db.session.commit()
    return rng


def _filters(world, rng):
    first = date(2026, rng.choice([3, 4, 5]), 1)
    last = date(2026, rng.choice([first.month, 6]), 1)
    return Filters(first, last, category=rng.choice([None, world.categories["drugs"], world.theft]))


def _bounds(rng):
    south, west = 6.8 + rng.random() * 0.8, 100.2 + rng.random() * 0.8
    return south, west, south + rng.random() * 0.3, west + rng.random() * 0.3


def test_every_zoom_square_equals_the_direct_count(app, spread, world):
    for _n in range(12):
        chosen = _filters(world, spread)
        zoom = spread.randrange(grid.FINEST + 1)
        factor = grid.FACTORS[zoom]
        query = select(HotspotCell.cell_row, HotspotCell.cell_col, func.sum(HotspotCell.reports)).where(
            HotspotCell.zoom == zoom, HotspotCell.pao_id == world.pao.id, HotspotCell.month >= chosen.first,
            HotspotCell.month <= chosen.last)
        if chosen.category is not None:
            query = query.where(HotspotCell.category_id.in_(chosen.category_ids()))
        rolled = {(r, c): n for r, c, n in db.session.execute(query.group_by(HotspotCell.cell_row,
                                                                             HotspotCell.cell_col))}
        direct = {}
        for lat, lon in db.session.execute(select(Report.lat, Report.lon).where(
                Report.pao_id == world.pao.id, *chosen.clauses())):
            square = (math.floor(lat * 100 + 1e-9) // factor, math.floor(lon * 100 + 1e-9) // factor)
            direct[square] = direct.get(square, 0) + 1
        assert rolled == direct and sum(direct.values()) > 0


def test_rollups_and_reports_give_the_same_squares_for_any_zoom_and_bounds(app, spread, world):
    for _n in range(25):
        chosen, zoom = _filters(world, spread), spread.randrange(grid.FINEST + 1)
        bounds = _bounds(spread) if spread.random() < 0.7 else None
        scope = spread.choice([Scope(pao=world.pao), Scope()])
        rolled = hotspot_cells(scope, chosen, min_count=K, zoom=zoom, bounds=bounds, source="rollups")
        direct = hotspot_cells(scope, chosen, min_count=K, zoom=zoom, bounds=bounds, source="direct")
        rolled.pop("source"), direct.pop("source")
        assert rolled == direct


def _shown(scope, chosen, zoom, bounds=None):
    data = hotspot_cells(scope, chosen, min_count=K, zoom=zoom, bounds=bounds)
    size = grid.cell_degrees(data["zoom"])
    return {(round(c["bounds"][0][0] / size), round(c["bounds"][0][1] / size)): c["count"] for c in data["cells"]}


def test_no_square_and_no_difference_between_zooms_is_under_k(app, spread, world):
    scope = Scope(pao=world.pao)
    seen = 0
    for chosen in [_filters(world, spread) for _n in range(6)] + [Filters(date(2026, 3, 1), date(2026, 6, 1))]:
        shown = {zoom: _shown(scope, chosen, zoom) for zoom in range(grid.FINEST + 1)}
        for squares in shown.values():
            assert all(count >= K for count in squares.values())
            seen += len(squares)
        for coarse in range(grid.FINEST):
            for fine in range(coarse + 1, grid.FINEST + 1):
                step = grid.FACTORS[coarse] // grid.FACTORS[fine]
                for (row, col), count in shown[coarse].items():
                    inside = sum(n for (r, c), n in shown[fine].items() if (r // step, c // step) == (row, col))
                    assert count - inside == 0 or count - inside >= K, (coarse, fine, count, inside)
    assert seen > 20  # the data does show squares: the check above is not vacuous


def test_bounds_show_exactly_the_whole_map_inside_them(app, spread, world):
    scope, chosen = Scope(pao=world.pao), Filters(date(2026, 3, 1), date(2026, 6, 1))
    for _n in range(20):
        zoom, bounds = spread.randrange(grid.FINEST + 1), _bounds(spread)
        data = hotspot_cells(scope, chosen, min_count=K, zoom=zoom, bounds=bounds)
        assert data["total"] is None and data["elsewhere"] is None  # no count of what the bounds hide
        visible = grid.cell_range(bounds, data["zoom"])
        whole = {cell: n for cell, n in _shown(scope, chosen, data["zoom"]).items() if grid.in_range(cell, visible)}
        assert _shown(scope, chosen, data["zoom"], bounds) == whole


def test_a_parent_less_its_shown_child_never_reveals_a_few_reports(db, world):
    # 5 thefts in one 0.01° cell and 3 more reports two cells away, in the same 0.16° square
    for n in range(5):
        filed(member=world.member, station=world.west, category=world.theft, created_at=datetime(2026, 5, 4),
              lat=7.2345 + n * 0.0003, lon=100.5678)
    for n in range(3):
        filed(member=world.member, station=world.west, category=world.theft, created_at=datetime(2026, 5, 4),
              lat=7.2645 + n * 0.0003, lon=100.5878)
    db.session.commit()
    refresh_rollups(rebuild_all=True)
    db.session.commit()
    scope, may = Scope(pao=world.pao), Filters(date(2026, 5, 1), date(2026, 5, 1))
    assert list(_shown(scope, may, 1).values()) == [8]
    # showing the 5 at a finer zoom would leave 8 - 5 = 3 reports to subtract: the 5 are hidden too
    assert _shown(scope, may, 2) == {} and _shown(scope, may, 3) == {}
    assert hotspot_cells(scope, may, min_count=K, zoom=3)["elsewhere"] == 8


def test_too_wide_bounds_fall_back_to_a_coarser_zoom():
    assert grid.fit_zoom(3, (5.0, 97.0, 21.0, 106.0)) < 3
    assert grid.fit_zoom(3, (7.0, 100.5, 7.2, 100.7)) == 3
    assert grid.fit_zoom(2, None) == 2


def test_the_json_takes_a_zoom_and_bounds_and_ignores_bad_ones(app, spread, world):
    client = signed_in(app, world.coordinator)
    base = "/oversight/hotspots.json?from=2026-03&to=2026-06"
    whole = client.get(base + "&zoom=3").get_json()
    assert whole["zoom"] == 3 and whole["total"] == 500
    boxed = client.get(base + "&zoom=3&bbox=7.15,100.5,7.3,100.7").get_json()
    assert boxed["total"] is None and 0 < len(boxed["features"]) < len(whole["features"])
    for feature in boxed["features"]:
        (west, south), _se, (east, north) = feature["geometry"]["coordinates"][0][:3]
        assert north > 7.15 and south < 7.3 and east > 100.5 and west < 100.7
    for bad in ("&zoom=9&bbox=x,1,2,3", "&zoom=-1&bbox=nan,1,2,3", "&bbox=1,2,3", "&zoom=abc&bbox=inf,0,1,1"):
        response = client.get(base + bad)
        assert response.status_code == 200 and response.get_json()["total"] == 500
    assert client.get(base).get_json()["zoom"] == grid.PROVINCE
