"""End to end in real Chromium: a member files a report, the desk works it, the member closes it."""
import os
import re

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.reports.models import Report, ReportStatus
from tests.accounts.helpers import pass_two_factor
from tests.factories import PASSWORD, make_user
from tests.live import BROWSER_ARGS, PHONE, LiveServer, block_outside_network

pytestmark = pytest.mark.browser
SONGKHLA = {"latitude": 7.2, "longitude": 100.55, "accuracy": 12}  # inside the test West Station area


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A live server with a routed world and a desk officer at West Station."""
    from tests.reports.factories_reports import make_world

    server = LiveServer(tmp_path_factory.mktemp("triage_live"), TILE_URL="https://tiles.invalid/{z}/{x}/{y}.png")
    with server.app.app_context():
        world = make_world(prefix="SKA")
        desk = make_user(role=Role.DESK_OFFICER, station=world.west, username="desk.west", language="en")
        db.session.commit()
        names = {"member": world.member.username, "desk": desk.username, "category": world.category.name_en}
    with server:
        yield server, names


@pytest.fixture(scope="module")
def chromium(chromium_path):
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS, headless=True)
        yield browser
        browser.close()


def new_page(chromium, base_url, **options):
    context = chromium.new_context(base_url=base_url, **options)
    block_outside_network(context, base_url)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def sign_in(page, username, lang):
    page.goto(f"/language/{lang}?next=/accounts/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    pass_two_factor(page, username)
    page.wait_for_url(re.compile(r"/home"))


def test_a_report_from_filing_to_closing(chromium, live):
    server, names = live
    member = new_page(chromium, server.url, **PHONE, geolocation=SONGKHLA, permissions=["geolocation"])
    desk = new_page(chromium, server.url, viewport={"width": 1280, "height": 900})

    # The council member files a report on a phone, through the real form.
    sign_in(member, names["member"], "en")
    member.goto("/reports/new")
    member.select_option("#category_id", label=names["category"])
    member.fill("#narrative", "Motorbikes are stolen from the market car park every Saturday evening.")
    member.locator("#locate-btn").tap()
    member.wait_for_function("() => document.getElementById('lat').value !== ''")
    member.locator("#preview-station").wait_for()
    member.wait_for_load_state("networkidle")
    member.locator("#submit-report").tap()
    member.wait_for_url(re.compile(r"/reports/\d+/receipt$"))
    reference = member.locator("#reference").inner_text()
    report_id = int(re.search(r"/reports/(\d+)/receipt", member.url).group(1))

    # The desk officer finds it in the station queue and acknowledges it, then asks a question.
    sign_in(desk, names["desk"], "en")
    desk.goto("/triage/")
    desk.locator("#queue a", has_text=reference).click()
    desk.wait_for_url(re.compile(rf"/triage/reports/{report_id}$"))
    desk.locator("#do-acknowledge").click()
    desk.locator(".flash-success", has_text="acknowledged").wait_for()
    desk.locator("#open-ask_question").click()
    desk.fill("#ask_question-text", "Which entrance of the car park do they use?")
    desk.locator("#do-ask_question").click()
    desk.locator(".flash-success", has_text="question was sent").wait_for()
    assert "Waiting for information" in desk.locator("#report-status").inner_text()

    # The member answers on their report's page.
    member.goto(f"/reports/{report_id}")
    member.locator("text=Which entrance of the car park do they use?").first.wait_for()
    answer = member.locator("form[action*='/questions/']")
    answer.locator("textarea").fill("The north entrance, next to the bank.")
    answer.locator("button[type=submit]").tap()
    member.locator(".flash-success").wait_for()

    # The desk sees the answer, and records an outcome for the member.
    desk.goto(f"/triage/reports/{report_id}")
    assert "The north entrance, next to the bank." in desk.locator("#timeline").inner_text()
    assert "Acknowledged" in desk.locator("#report-status").inner_text()
    desk.locator("#open-record_outcome").click()
    desk.select_option("#record_outcome-outcome", "patrol_increased")
    desk.fill("#record_outcome-note", "Patrols at the north entrance every Saturday evening.")
    desk.locator("#do-record_outcome").click()
    desk.locator(".flash-success", has_text="outcome was recorded").wait_for()

    # The member reads the outcome and confirms it: the report is closed.
    member.goto(f"/reports/{report_id}")
    assert "Patrols at the north entrance" in member.locator("#timeline").inner_text()
    member.locator("form[action$='/confirm'] button").tap()
    member.locator(".flash-success").wait_for()
    assert "Closed" in member.locator(".badge-closed").first.inner_text()
    with server.app.app_context():
        assert db.session.get(Report, report_id).status == ReportStatus.CLOSED
        db.session.remove()

    # The queue works as cards on a phone too: nothing scrolls sideways.
    desk.set_viewport_size({"width": 360, "height": 740})
    desk.goto("/triage/?status=all")
    desk.locator("#queue", has_text=reference).wait_for()
    assert desk.evaluate("document.documentElement.scrollWidth") <= 360
    assert member.errors == [] and desk.errors == []


def test_the_station_map_draws_open_reports_without_tiles(chromium, live):
    from app.accounts.models import User
    from tests.factories import make_report

    server, names = live
    with server.app.app_context():
        desk_user = db.session.scalar(db.select(User).where(User.username == names["desk"]))
        make_report(filed_by=make_user(role=Role.COUNCIL_MEMBER), station=desk_user.station, lat=7.21, lon=100.56)
        db.session.commit()
        db.session.remove()
    desk = new_page(chromium, server.url)
    sign_in(desk, names["desk"], "en")
    desk.goto("/triage/map")
    desk.locator("#triage-map[data-loaded]").wait_for()
    assert int(desk.locator("#triage-map").get_attribute("data-loaded")) >= 1
    assert desk.locator("#triage-map .leaflet-interactive").count() >= 1
    assert desk.errors == []
