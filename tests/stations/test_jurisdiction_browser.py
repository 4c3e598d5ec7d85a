"""The jurisdiction editor on a 390 px phone in real Chromium, strict CSP, no tiles: a coordinator taps a
tambon, assigns it to a station, publishes, and sees the open report that moves."""
import pytest

from app.accounts.models import Role
from app.accounts.services import create_user
from app.extensions import db
from app.reports.routing_service import route_report
from tests.accounts.helpers import pass_two_factor
from tests.factories import make_report
from tests.live import BROWSER_ARGS, LiveServer, block_outside_network
from tests.stations.jurisdiction_world import IN_900102, build_world
from tests.stations.test_coverage_browser import _strict_csp

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jurisdiction")
    server = LiveServer(tmp)
    server.app.after_request(_strict_csp)
    with server.app.app_context():
        world = build_world(tmp)
        report = make_report(pao=world["pao"], category=world["category"], lat=IN_900102[0], lon=IN_900102[1])
        route_report(report)
        create_user(username="coord", role=Role.PAO_COORDINATOR, password="pw-secret-123", pao=world["pao"],
                    preferred_language="en")
        db.session.commit()
        server.reference = report.reference_number
    with server:
        yield server


def test_tap_assign_publish_on_a_phone(editor_server, chromium_path):
    url = editor_server.url
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844},
                                      device_scale_factor=2, is_mobile=True, has_touch=True)
        block_outside_network(context, url)
        page = context.new_page()
        problems = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{url}/accounts/login?lang=en")
        page.get_by_label("Username").fill("coord")
        page.get_by_label("Password").fill("pw-secret-123")
        page.get_by_role("button", name="Sign in").click()
        pass_two_factor(page, "coord")
        page.goto(f"{url}/stations/jurisdiction")
        tambon = page.locator('#jurisdiction-map path[data-tambon="900102"]')
        tambon.wait_for()
        assert page.locator("#jurisdiction-map path.leaflet-interactive").count() == 4
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        tambon.tap()
        assert page.locator('input[data-tambon="900102"]').is_checked()
        assert page.locator("#jurisdiction-map").get_attribute("data-selected") == "1"
        page.select_option("#station", "east")
        page.get_by_role("button", name="Assign and save the draft").click()
        page.wait_for_selector(".flash-success")
        assert "1 tambon assigned" in page.locator(".flash-success").inner_text()
        page.get_by_role("button", name="Publish…").click()
        moved = page.locator("#moved-count")
        moved.wait_for()
        assert "1 open report(s) would move" in moved.inner_text()
        assert editor_server.reference in page.content()
        page.get_by_role("button", name="Confirm: publish this version").click()
        done = page.locator(".flash-success")
        done.wait_for()
        assert "Version 1 is published" in done.inner_text() and "1 open report(s) moved" in done.inner_text()
        assert problems == []
        browser.close()
