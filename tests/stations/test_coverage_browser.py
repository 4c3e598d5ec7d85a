"""The coverage map in real Chromium: areas draw under a strict CSP with tiles blocked, popups open."""
import pytest

from app.accounts.models import Role
from app.accounts.services import create_user
from app.categories.services import seed_categories
from app.extensions import db
from app.stations.importers import import_areas
from tests.accounts.helpers import pass_two_factor
from tests.factories import make_mou, make_pao, make_station
from tests.live import BROWSER_ARGS, LiveServer, block_outside_network
from tests.stations.helpers import EAST, WEST, collection, feature, write_json

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'")


@pytest.fixture(scope="module")
def map_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("coverage")
    server = LiveServer(tmp)
    server.app.after_request(_strict_csp)
    with server.app.app_context():
        seed_categories()
        west = make_station(code="west", name_en="West Station", lat=7.02, lon=100.42)
        make_station(code="east", name_en="East Station", lat=7.02, lon=100.47)
        pao = make_pao(code="songkhla", coordinator=west)
        make_mou(pao=pao, station=west)
        import_areas(write_json(tmp / "a.geojson", collection(feature("west", WEST), feature("east", EAST))),
                     key="station")
        create_user(username="admin", role=Role.ADMIN, password="pw-secret-123")
        db.session.commit()
    with server:
        yield server


def _strict_csp(response):
    response.headers["Content-Security-Policy"] = STRICT_CSP
    return response


def test_map_draws_areas_and_points_without_tiles(map_server, chromium_path):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
        context = browser.new_context(locale="en-US")
        block_outside_network(context, map_server.url)
        page = context.new_page()
        problems = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "tile" not in m.text
                and "net::ERR_FAILED" not in m.text else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{map_server.url}/accounts/login?lang=en")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill("pw-secret-123")
        page.get_by_role("button", name="Sign in").click()
        pass_two_factor(page, "admin")  # made by create_user: enrols at this first sign-in
        page.wait_for_url("**/home")
        page.goto(f"{map_server.url}/stations/coverage")
        shapes = page.locator("#coverage-map path.leaflet-interactive")
        shapes.first.wait_for()
        assert shapes.count() == 4  # two areas, two station points
        fills = {shapes.nth(i).get_attribute("fill") for i in range(shapes.count())}
        assert {"rgb(30, 138, 60)", "rgb(138, 148, 160)"} <= fills  # covered (all) and no MOU
        assert page.locator("table").is_visible()
        page.locator("#coverage-map").click(position={"x": 5, "y": 5})
        shapes.first.click(force=True)
        popup = page.locator(".coverage-popup")
        popup.wait_for()
        assert "Station" in popup.inner_text() and "Code:" in popup.inner_text()
        assert problems == []
        browser.close()
