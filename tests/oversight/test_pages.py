"""The dashboard and summary pages: who may open them, what they show, and no inline script or style."""
import re

import pytest

from app.extensions import db
from app.oversight.rollup import refresh_rollups
from tests.oversight.helpers import signed_in

PERIOD = "from=2026-03&to=2026-04"


@pytest.fixture()
def rolled(db, timeline):
    refresh_rollups()
    db.session.commit()
    return timeline


def assert_strict_csp_friendly(html):
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert " style=" not in html, "style attribute"


def test_the_coordinator_dashboard_shows_the_pao_figures(app, world, rolled):
    page = signed_in(app, world.coordinator).get(f"/oversight/?{PERIOD}&lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "West Station" in html and "East Station" in html and "Far Station</th>" not in html
    assert '<svg class="chart-svg"' in html and "<title id=\"chart-months-title\">" in html
    assert "<desc id=" in html and "<table class=\"figures" in html
    assert "March 2026" in html and "2 h / 30 h" in html  # West: median / 90% to acknowledge
    assert_strict_csp_friendly(html)


def test_thai_pages_show_buddhist_era_years(app, world, rolled):
    html = signed_in(app, world.coordinator).get(f"/oversight/?{PERIOD}&lang=th").get_data(as_text=True)
    assert "มีนาคม 2569" in html and "เม.ย. 69" in html
    assert "2026" not in re.sub(r'(value|href|action)="[^"]*"', "", html)


def test_a_member_sees_only_their_own_figures(app, world, rolled):
    html = signed_in(app, world.member2).get(f"/oversight/?{PERIOD}&lang=en").get_data(as_text=True)
    assert "Your own reports only" in html
    assert "West Station</th><td>1</td>" in html.replace("\n", "").replace("  ", "")


def test_another_pao_coordinator_cannot_reach_this_pao(app, world, rolled):
    client = signed_in(app, world.other_coordinator)
    html = client.get(f"/oversight/?{PERIOD}&pao=songkhla&lang=en").get_data(as_text=True)
    assert "West Station</th>" not in html and "Far Station" in html
    assert client.get("/oversight/summary?month=2026-03&pao=songkhla&lang=en").get_data(as_text=True).count(
        "West Station") == 0


@pytest.mark.parametrize("who, status", [("west_desk", 403), ("admin", 200), ("member", 200)])
def test_who_may_open_the_dashboard(app, world, rolled, who, status):
    assert signed_in(app, getattr(world, who)).get(f"/oversight/?{PERIOD}").status_code == status


def test_the_admin_may_pick_a_pao_or_see_all(app, world, rolled):
    client = signed_in(app, world.admin)
    assert "Far Station" in client.get(f"/oversight/?{PERIOD}&lang=en").get_data(as_text=True)
    one = client.get(f"/oversight/?{PERIOD}&pao=songkhla&lang=en").get_data(as_text=True)
    assert "Far Station</th>" not in one and "West Station" in one
    assert client.get(f"/oversight/?{PERIOD}&pao=nowhere").status_code == 404


def test_unknown_filter_values_are_dropped(app, world, rolled):
    page = signed_in(app, world.coordinator).get("/oversight/?from=garbage&to=2026-13&category=nope&station=x")
    assert page.status_code == 200


def test_the_monthly_summary_is_printable_in_thai(app, world, rolled):
    page = signed_in(app, world.coordinator).get("/oversight/summary?month=2026-03&lang=th")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "มีนาคม 2569" in html and "กุมภาพันธ์ 2569" in html and "เมษายน 2569" in html
    assert "css/oversight.css" in html and "data-print" in html and "oversight_print.js" in html
    assert "<details open>" in html
    assert_strict_csp_friendly(html)
    assert signed_in(app, world.coordinator).get("/oversight/summary?month=2569-03").status_code == 200


def test_pages_work_before_any_rollup(app, world, timeline):
    html = signed_in(app, world.coordinator).get(f"/oversight/?{PERIOD}&lang=en").get_data(as_text=True)
    assert "have not been computed yet" in html
    assert db.session.scalar(db.text("select count(*) from stats_rollups")) == 0
