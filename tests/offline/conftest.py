"""A live server with a routed world and real Chromium as a phone whose signal comes and goes."""
import io
import os
import random
import re
import time

import pytest

from app.extensions import db
from tests.factories import PASSWORD
from tests.live import BROWSER_ARGS, PHONE, LiveServer, block_outside_network

SONGKHLA = {"latitude": 7.2, "longitude": 100.55, "accuracy": 12}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The app on 127.0.0.1 with categories, a PAO, two stations under MOU and a council member."""
    from tests.reports.factories_reports import make_world

    folder = tmp_path_factory.mktemp("offline")
    server = LiveServer(folder, TILE_URL="https://tiles.invalid/{z}/{x}/{y}.png",
                        PHOTO_STORAGE_DIR=str(folder / "photos"))
    with server.app.app_context():
        server.world = make_world(prefix="SKO")
        with server:
            yield server
        db.session.remove()


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Real Chromium through Playwright."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def phone(browser, live):
    """A fresh 360x740 phone (its own storage and service worker), in English, outside network blocked."""
    context = browser.new_context(**PHONE, base_url=live.url, locale="en-GB", geolocation=SONGKHLA,
                                  permissions=["geolocation"], service_workers="allow")
    block_outside_network(context, live.url)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and page.errors.append(message.text))
    yield page
    context.close()


def sign_in(page, user, lang="en"):
    """Sign in through the login form, in the given language."""
    page.goto(f"/language/{lang}?next=/accounts/login")
    page.fill("#username", user.username)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home"))


def eventually(page, script, timeout=10.0):
    """Poll an (async) script in the page until it returns something truthy; return that.

    Not page.wait_for_function: it evaluates its predicate with eval, which the CSP refuses.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script)
        if value or time.monotonic() > deadline:
            assert value, f"still false after {timeout} s: {script}"
            return value
        time.sleep(0.1)


def wait_until_offline_ready(page):
    """Wait for the worker to control the page and the form and list to be kept on the phone."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    eventually(page, "!!navigator.serviceWorker.controller")
    eventually(page, """async () => {
        const cache = await caches.open('ruamkan-pages');
        return !!(await cache.match(location.origin + '/reports/new')) &&
               !!(await cache.match(location.origin + '/reports/mine'));
    }""", timeout=20.0)


def phone_photos(count, width=4032, height=3024):
    """JPEGs like a phone camera's (3-4 MB): smooth scene, mid-scale texture and sensor noise.

    One scene is drawn and the others are its mirror images: the same weight, different bytes, and
    three times faster than drawing each.
    """
    from PIL import Image

    rnd = random.Random(8)
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    blocks = Image.frombytes("RGB", (64, 48), rnd.randbytes(64 * 48 * 3)).resize((width, height),
                                                                               Image.Resampling.BICUBIC)
    image = Image.blend(base, blocks, 0.6)
    texture = Image.frombytes("RGB", (width // 4, height // 4), rnd.randbytes(width // 4 * height // 4 * 3))
    image = Image.blend(image, texture.resize((width, height), Image.Resampling.BILINEAR), 0.3)
    noise = Image.frombytes("L", (width, height), rnd.randbytes(width * height)).convert("RGB")
    image = Image.blend(image, noise, 0.05)
    variants = [image, image.transpose(Image.Transpose.FLIP_LEFT_RIGHT), image.transpose(Image.Transpose.ROTATE_180)]
    photos = []
    for variant in variants[:count]:
        out = io.BytesIO()
        variant.save(out, "JPEG", quality=90)
        photos.append(out.getvalue())
    return photos


@pytest.fixture(scope="session")
def camera_photos(tmp_path_factory):
    """Three 4032x3024 JPEG files of 3-4 MB each, noisy enough not to shrink trivially."""
    folder = tmp_path_factory.mktemp("camera")
    paths = []
    for number, data in enumerate(phone_photos(3), start=1):
        path = folder / f"IMG_000{number}.jpg"
        path.write_bytes(data)
        paths.append(path)
    return paths
