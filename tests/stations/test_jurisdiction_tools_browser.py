"""The editor's map tools in real Chromium, strict CSP, no tiles: on a phone a coordinator draws a part of a
tambon by tapping its corners and box-selects with two taps; on a desktop they drag a box and drag a
station that has no point into place and save it."""
import pytest
import shapely

from app.accounts.models import Role
from app.accounts.services import create_user
from app.extensions import db
from app.stations.jurisdiction import get_draft
from app.stations.models import Pao, Station
from tests.accounts.helpers import pass_two_factor
from tests.factories import make_mou, make_station
from tests.live import BROWSER_ARGS, LiveServer, block_outside_network
from tests.stations.jurisdiction_world import build_world
from tests.stations.test_coverage_browser import _strict_csp

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PART = [(7.010, 100.430), (7.010, 100.445), (7.030, 100.445), (7.030, 100.430)]  # inside tambon 900102


@pytest.fixture(scope="module")
def tools_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jurisdiction_tools")
    server = LiveServer(tmp)
    server.app.after_request(_strict_csp)
    with server.app.app_context():
        world = build_world(tmp)
        make_mou(pao=world["pao"], station=make_station(code="lost", lat=None, lon=None))
        create_user(username="coord", role=Role.PAO_COORDINATOR, password="pw-secret-123", pao=world["pao"],
                    preferred_language="en")
        db.session.commit()
        server.pao = world["pao"].id
    with server:
        yield server


def _editor(browser, url, **device):
    context = browser.new_context(locale="en-US", **device)
    block_outside_network(context, url)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.goto(f"{url}/accounts/login?lang=en")
    page.get_by_label("Username").fill("coord")
    page.get_by_label("Password").fill("pw-secret-123")
    page.get_by_role("button", name="Sign in").click()
    pass_two_factor(page, "coord")
    page.goto(f"{url}/stations/jurisdiction")
    page.locator('#jurisdiction-map path[data-tambon="900102"]').wait_for()
    return page


def _screen(page, lat, lon):
    """Return the page (x, y) of a map position."""
    return page.evaluate("""([lat, lon]) => {
        const api = window.RuamkanJurisdiction, p = api.map.latLngToContainerPoint([lat, lon]);
        const r = api.el.getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", [lat, lon])


def _ticked(page):
    return sorted(page.eval_on_selector_all('input[name="tambon"]:checked', "boxes => boxes.map(b => b.value)"))


def test_draw_a_part_and_box_select_on_a_phone(tools_server, chromium_path):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
        page = _editor(browser, tools_server.url, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                       is_mobile=True, has_touch=True)
        page.locator("#jurisdiction-map").scroll_into_view_if_needed()
        page.get_by_role("button", name="Draw a part of a tambon").tap()
        for lat, lon in PART:
            page.touchscreen.tap(*_screen(page, lat, lon))
        assert page.locator("#jurisdiction-map").get_attribute("data-vertices") == "4"
        assert _ticked(page) == []  # taps while drawing tick no tambon
        page.get_by_role("button", name="Finish the drawing").tap()
        assert "4 points drawn" in page.locator("#part-drawn").inner_text()
        page.select_option("#part-station", "east")
        page.get_by_role("button", name="Give the drawn part to the station").tap()
        page.wait_for_selector(".flash-success")
        assert "goes to" in page.locator(".flash-success").inner_text()
        page.locator("#jurisdiction-map path[data-part]").first.wait_for()

        # Box select with two taps: a box over the middle of the west square meets 900101 and 900102.
        page.locator("#jurisdiction-map").scroll_into_view_if_needed()
        page.get_by_role("button", name="Select with a box").tap()
        page.touchscreen.tap(*_screen(page, 7.04, 100.415))
        page.touchscreen.tap(*_screen(page, 7.035, 100.435))
        page.locator('input[data-tambon="900102"]:checked').wait_for(state="attached")
        assert _ticked(page) == ["900101", "900102"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.problems == []
        browser.close()
    with tools_server.app.app_context():
        (part,) = get_draft(db.session.get(Pao, tools_server.pao)).parts
        assert part.tambon_code == "900102" and part.station.code == "east"
        assert shapely.from_wkb(part.geometry_wkb).bounds == pytest.approx((100.43, 7.01, 100.445, 7.03), abs=0.002)


def test_drag_a_box_and_place_a_station_on_a_desktop(tools_server, chromium_path):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
        page = _editor(browser, tools_server.url, viewport={"width": 1280, "height": 900})
        page.locator("#jurisdiction-map").scroll_into_view_if_needed()
        page.get_by_role("button", name="Select with a box").click()
        start, end = _screen(page, 7.045, 100.46), _screen(page, 7.005, 100.49)
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(*end, steps=5)
        page.mouse.up()
        page.locator('input[data-tambon="900202"]:checked').wait_for(state="attached")
        assert _ticked(page) == ["900201", "900202"]

        marker = page.locator('.place-marker[data-station="lost"]')
        assert "place me" in page.locator(".place-label").first.inner_text()
        box = marker.bounding_box()
        target = _screen(page, 7.02, 100.41)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(*target, steps=8)
        page.mouse.up()
        assert page.locator("#lat-lost").input_value() != ""
        lat, lon = float(page.locator("#lat-lost").input_value()), float(page.locator("#lon-lost").input_value())
        assert lat == pytest.approx(7.02, abs=0.002) and lon == pytest.approx(100.41, abs=0.002)
        page.locator('form.place-form[data-station="lost"] button').click()
        page.wait_for_selector(".flash-success")
        assert "is saved" in page.locator(".flash-success").inner_text()
        assert page.locator('.place-marker[data-station="lost"]').count() == 0  # placed: no longer waiting
        assert page.problems == []
        browser.close()
    with tools_server.app.app_context():
        station = db.session.scalar(db.select(Station).where(Station.code == "lost"))
        assert station.lat == pytest.approx(7.02, abs=0.002) and station.lon == pytest.approx(100.41, abs=0.002)
