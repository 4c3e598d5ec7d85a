"""A real server on 127.0.0.1 and real Chromium (Playwright) emulating a cheap phone."""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.conftest import require_service

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SONGKHLA = {"latitude": 7.2, "longitude": 100.55, "accuracy": 12}  # inside the test West Station area


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app served by werkzeug in a thread, on a file SQLite database with a small routed world."""
    from tests.reports.factories_reports import make_world

    folder = tmp_path_factory.mktemp("browser")
    config = type("BrowserConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'browser.db'}", "INSTANCE_DIR": str(folder),
        "WTF_CSRF_ENABLED": True, "TILE_URL": "https://tiles.invalid/{z}/{x}/{y}.png"})
    app = create_app(config)
    with app.app_context():
        db.create_all()
        world = make_world(prefix="SKA")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield {"url": f"http://127.0.0.1:{server.server_port}", "world": world, "app": app}
        server.shutdown()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    """Real Chromium, or skip when it is not installed (CI installs Debian's chromium)."""
    if not Path(CHROMIUM).exists():
        require_service(f"Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _local_only(route):
    # Tiles and anything else outside: refused at once, so nothing waits on a network that is not there.
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture()
def phone(browser, live_server):
    """A 360x740 touch phone with location permission at a Songkhla position; outside network blocked."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, geolocation=SONGKHLA, permissions=["geolocation"],
                                  locale="th-TH", base_url=live_server["url"])
    context.route("**/*", _local_only)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
