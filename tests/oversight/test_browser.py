"""Real Chromium on a 360 px phone: the dashboard fits, the hotspot map draws squares without tiles."""
import os
from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.categories.models import Category
from app.categories.services import seed_categories
from app.core.timeutil import utcnow
from app.extensions import db
from app.oversight.rollup import refresh_rollups
from tests.accounts.helpers import pass_two_factor
from tests.factories import PASSWORD, make_mou, make_pao, make_station, make_user
from tests.live import BROWSER_ARGS, PHONE, LiveServer, block_outside_network
from tests.oversight.helpers import filed, step

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A live app with oversight registered, a PAO, a station and a dozen reports in one grid cell."""
    folder = tmp_path_factory.mktemp("oversight_live")
    with LiveServer(folder, TILE_URL="https://tiles.invalid/{z}/{x}/{y}.png") as live:
        with live.app.app_context():
            seed_categories()
            west = make_station(code="west", name_th="สถานีตำรวจภูธรเมืองสงขลา (สภ.เมืองสงขลา)", name_en="West")
            pao = make_pao(code="songkhla", prefix="SKA")
            make_mou(pao=pao, station=west)
            member = make_user(role=Role.COUNCIL_MEMBER, pao=pao, username="member")
            make_user(role=Role.PAO_COORDINATOR, pao=pao, username="coordinator")
            desk = make_user(role=Role.DESK_OFFICER, station=west, username="desk")
            theft = db.session.scalar(db.select(Category).where(Category.code == "crime.theft"))
            for n in range(12):
                created = utcnow() - timedelta(days=n * 3, hours=5)
                report = filed(member=member, station=west, category=theft, created_at=created,
                               lat=7.2012 + n * 0.0002, lon=100.5512, amphoe="9001")
                step(report, "acknowledge", desk, created + timedelta(hours=n + 1))
            refresh_rollups()
            db.session.commit()
        yield live


@pytest.fixture()
def phone(server, chromium_path):
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS, headless=True)
        context = browser.new_context(**PHONE, locale="th-TH", base_url=server.url)
        block_outside_network(context, server.url)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto("/accounts/login")
        page.fill("#username", "coordinator")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        pass_two_factor(page, "coordinator")
        page.wait_for_url("**/home")
        yield page
        browser.close()


def test_the_dashboard_fits_a_phone(phone):
    phone.goto("/oversight/?lang=th")
    assert phone.locator("h1").count() == 1
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways: {width}px"
    chart = phone.locator("svg.chart-svg").first.bounding_box()
    assert chart["width"] <= 360 and chart["height"] > 40
    assert phone.errors == []


def test_the_hotspot_map_draws_squares_without_tiles(phone):
    phone.goto("/oversight/hotspots")
    phone.wait_for_selector("#hotspot-map path.leaflet-interactive", timeout=10000)
    assert phone.locator("#hotspot-map path.leaflet-interactive").count() >= 1
    assert phone.locator("#hotspot-map .leaflet-marker-icon").count() == 0  # never a point
    assert phone.errors == []


def test_an_empty_hotspot_map_says_so_on_the_map(phone):
    phone.goto("/oversight/hotspots?category=drugs.dealing")  # no drug reports: no square may be shown
    note = phone.locator("#hotspot-map .map-note")
    note.wait_for(timeout=10000)
    assert "5" in note.inner_text() and note.is_visible()
    box = note.bounding_box()
    map_box = phone.locator("#hotspot-map").bounding_box()
    assert map_box["y"] <= box["y"] and box["y"] + box["height"] <= map_box["y"] + map_box["height"]
    assert phone.errors == []


def test_the_summary_has_a_print_button(phone):
    phone.goto("/oversight/summary")
    assert phone.locator("button[data-print]").is_visible()
    phone.emulate_media(media="print")
    assert not phone.locator("button[data-print]").is_visible()
    assert phone.errors == []


def test_zooming_in_asks_for_finer_squares_of_the_view(phone):
    phone.goto("/oversight/hotspots")
    phone.wait_for_selector("#hotspot-map path.leaflet-interactive", timeout=10000)
    # the first answer is the province grid; the fitted view then asks for its own zoom and bounds
    phone.wait_for_selector("#hotspot-map[data-grid-zoom='2'], #hotspot-map[data-grid-zoom='3']", timeout=10000)
    for _n in range(3):  # double-click the square: the map zooms in around it
        phone.locator("#hotspot-map path.leaflet-interactive").first.dblclick()
        phone.wait_for_timeout(600)
    phone.wait_for_selector("#hotspot-map[data-grid-zoom='3']", timeout=10000)
    assert phone.locator("#hotspot-map path.leaflet-interactive").count() >= 1
    assert phone.errors == []
