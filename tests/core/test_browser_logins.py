"""Each demo login works in a phone-sized Chromium window, in Thai and in English, staff with two-factor."""
import pytest

from app.accounts.models import Role
from app.demo.seed import DEMO_USERS, seed_demo
from app.extensions import db
from tests.accounts.helpers import pass_two_factor
from tests.live import BROWSER_ARGS, PHONE, LiveServer, block_outside_network

pytestmark = pytest.mark.browser
STAFF = {Role.DESK_OFFICER, Role.STATION_COMMANDER, Role.PAO_COORDINATOR, Role.ADMIN}
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live"))
    with server.app.app_context():
        seed_demo(server.app.config["DEMO_PASSWORD"], areas_dir="/nonexistent")
        db.session.commit()
    with server:
        yield server


@pytest.fixture(scope="module")
def browser(chromium_path):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("lang,signin,home_word", [("th", "เข้าสู่ระบบ", "สวัสดี"), ("en", "Sign in", "Hello")])
def test_every_demo_user_signs_in_on_a_phone(demo_server, browser, lang, signin, home_word):
    for username, display_name, role, _station in DEMO_USERS:
        context = browser.new_context(**PHONE, locale="th-TH" if lang == "th" else "en-US")
        block_outside_network(context, demo_server.url)
        page = context.new_page()
        page.goto(f"{demo_server.url}/accounts/login?lang={lang}")
        assert page.locator("h1").inner_text() == signin
        page.get_by_label("ชื่อผู้ใช้" if lang == "th" else "Username").fill(username)
        page.get_by_label("รหัสผ่าน" if lang == "th" else "Password").fill(demo_server.app.config["DEMO_PASSWORD"])
        page.get_by_role("button", name=signin).click()
        if role in STAFF:
            # police, coordinator and admin: enrolment the first time (read the key, compute the code,
            # see the recovery codes), a code from the app after that
            page.wait_for_url("**/accounts/2fa**")
            if page.url.endswith("/setup"):
                assert page.locator("svg.qr").is_visible()
                assert page.evaluate("document.documentElement.scrollWidth") <= 360
            pass_two_factor(page, username)
        page.wait_for_url("**/home")
        assert home_word in page.locator("h1").inner_text()
        assert display_name in page.locator("h1").inner_text()
        # nothing wider than the phone: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        context.close()


def test_wrong_password_in_the_browser_keeps_the_username(demo_server, browser):
    context = browser.new_context(**PHONE)
    block_outside_network(context, demo_server.url)
    page = context.new_page()
    page.goto(f"{demo_server.url}/accounts/login?lang=en")
    page.get_by_label("Username").fill("council")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Wrong username or password.").wait_for()  # the answer page, not the form that was sent
    assert page.get_by_label("Username").input_value() == "council"
    context.close()
