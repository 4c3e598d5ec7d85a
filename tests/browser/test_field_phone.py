"""The field walk-through on real phones (360 and 390 px, Thai and English): doubts about the pin caught
before sending, photos kept through every round-trip, the question banner, the menu and the map's base layer."""
import json
import re

import pyotp
import pytest
from shapely.geometry import box, mapping

from app.accounts.models import Role
from app.extensions import db
from app.reports.models import Report
from app.reports.workflow import perform
from app.stations.adminareas import import_admin_areas
from tests.browser.conftest import CHROMIUM_ARGS, _local_only  # noqa: F401 - the same network rules
from tests.factories import PASSWORD, TOTP_SECRET, make_report, make_user
from tests.reports.factories_reports import WEST_POINT, jpeg_bytes

pytestmark = pytest.mark.browser

BANGKOK = {"latitude": 13.7563, "longitude": 100.5018, "accuracy": 20}
AT_SEA = (7.20, 100.75)
FAR_PHOTO = (7.25, 100.65)
PHONES = [pytest.param(360, "th", id="360-th"), pytest.param(390, "en", id="390-en")]
WORDS = {
    "th": {"outside": "นอกจังหวัดสงขลา", "sea": "อยู่ในทะเล", "photo": "รูปถ่ายนี้ถ่ายห่างจากหมุด", "kept": "รูปภาพของท่านยังอยู่"},
    "en": {"outside": "Outside Songkhla province", "sea": "at sea", "photo": "The photo was taken about",
           "kept": "Your photos are kept."},
}


@pytest.fixture(scope="module")
def field(live_server, tmp_path_factory):
    """The live world with two Songkhla tambon imported and the PAO's province set."""
    props = {"amphoe_code": "9001", "amphoe_th": "เมืองสงขลา", "amphoe_en": "Mueang Songkhla",
             "province_code": "90", "province_th": "สงขลา", "province_en": "Songkhla"}
    features = [{"type": "Feature", "geometry": mapping(box(100.50, 7.10, 100.60, 7.30)),
                 "properties": {"tambon_code": "900101", "tambon_th": "บ่อยาง", "tambon_en": "Bo Yang", **props}},
                {"type": "Feature", "geometry": mapping(box(100.60, 7.10, 100.70, 7.30)),
                 "properties": {"tambon_code": "900102", "tambon_th": "เขารูปช้าง", "tambon_en": "Khao Rup Chang",
                                **props}}]
    path = tmp_path_factory.mktemp("areas") / "tambon.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    import_admin_areas(path)
    world = live_server["world"]
    world.pao.province_code, world.pao.province_th, world.pao.province_en = "90", "สงขลา", "Songkhla"
    db.session.commit()
    return live_server


def _phone(browser, server, width, lang, geolocation=None):
    context = browser.new_context(viewport={"width": width, "height": 780}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, permissions=["geolocation"],
                                  geolocation=geolocation or {"latitude": WEST_POINT[0], "longitude": WEST_POINT[1],
                                                              "accuracy": 12},
                                  locale="th-TH" if lang == "th" else "en-US", base_url=server["url"])
    context.route("**/*", _local_only)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def _sign_in(page, user, lang):
    page.goto(f"/language/{lang}?next=/accounts/login")
    page.fill("#username", user.username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    if page.locator("#code").count():  # staff: the second factor
        page.fill("#code", pyotp.TOTP(TOTP_SECRET).now())
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()
    assert "/home" in page.url, page.url


def _start(page, narrative="Motorbikes stolen at the market car park every weekend evening."):
    page.goto("/reports/new")
    page.select_option("#category_id", index=1)
    if narrative:
        page.fill("#narrative", narrative)


def _locate(page):
    page.locator("#locate-btn").tap()
    page.wait_for_function("() => document.getElementById('lat').value !== ''")
    page.locator("#preview-station").wait_for()


def _send(page):
    with page.expect_navigation():
        page.locator("#submit-report").tap()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width, lang", PHONES)
def test_a_stale_gps_fix_in_bangkok_must_be_confirmed(browser, field, width, lang):
    # each phone somewhere else in Bangkok, so that the second is not taken for a duplicate of the first
    here = dict(BANGKOK, latitude=BANGKOK["latitude"] + (width - 360) / 100)
    context, page = _phone(browser, field, width, lang, geolocation=here)
    try:
        _sign_in(page, field["world"].member, lang)
        _start(page)
        _locate(page)
        warning = page.locator('#place-warnings [data-kind="outside_province"]')
        warning.wait_for()
        assert WORDS[lang]["outside"] in warning.inner_text()
        assert page.locator("#outside-confirm").is_visible()
        _send(page)  # not confirmed: the form comes back, nothing filed
        assert "/reports/new" in page.url and page.locator('[data-kind="outside_province"]').count() == 1
        page.check("#confirm_outside")
        _send(page)
        assert re.search(r"/reports/\d+/receipt$", page.url), page.url
        page.locator("#receipt-why summary").tap()
        assert WORDS[lang]["outside"].split()[0].lower() in page.locator("#receipt-why").inner_text().lower()
        assert page.errors == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


@pytest.mark.parametrize("width, lang", PHONES)
def test_a_pin_at_sea_and_a_photo_far_from_the_pin_are_named(browser, field, width, lang):
    context, page = _phone(browser, field, width, lang)
    try:
        _sign_in(page, field["world"].member, lang)
        _start(page)
        page.locator("#place-more summary").tap()
        page.fill("#lat", str(AT_SEA[0]))
        page.fill("#lon", str(AT_SEA[1]))
        page.locator("#lon").dispatch_event("change")
        sea = page.locator('#place-warnings [data-kind="offshore"]')
        sea.wait_for()
        assert WORDS[lang]["sea"] in sea.inner_text() and page.locator("#boundary-confirm").is_visible()

        _locate(page)  # back on land, in the West tambon
        page.locator('#place-warnings [data-kind="offshore"]').wait_for(state="detached")
        page.set_input_files("#photos", files=[{"name": "far.jpg", "mimeType": "image/jpeg",
                                                "buffer": jpeg_bytes(size=(800, 600), gps=FAR_PHOTO)}])
        far = page.locator('#place-warnings [data-kind="photo_far"]')
        far.wait_for()
        assert WORDS[lang]["photo"] in far.inner_text()
        _send(page)
        assert page.locator("#kept-photos li").count() == 1  # the server kept the photo
        page.check("#confirm_place")
        _send(page)
        if "/receipt" not in page.url:  # the other phone filed here first: the duplicate step, photo still kept
            assert page.locator("#kept-photos li").count() == 1
            page.check("#confirm_new")
            _send(page)
        assert re.search(r"/reports/\d+/receipt$", page.url), page.url
        report = db.session.scalar(db.select(Report).order_by(Report.id.desc()))
        db.session.refresh(report)
        assert len(report.photos) == 1
        assert page.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width, lang", PHONES)
def test_photos_survive_a_validation_error_and_the_duplicate_step(browser, field, width, lang):
    context, page = _phone(browser, field, width, lang)
    try:
        _sign_in(page, field["world"].member, lang)
        _start(page, narrative="")
        _locate(page)
        page.set_input_files("#camera", files=[{"name": "image.jpg", "mimeType": "image/jpeg",
                                                "buffer": jpeg_bytes(size=(1600, 1200), gps=WEST_POINT)}])
        page.locator("#chosen-photos li").wait_for()
        _send(page)  # no narrative: the form comes back with the photo kept
        assert page.locator("#narrative-err").is_visible()
        assert WORDS[lang]["kept"] in page.locator("#form-errors").inner_text()
        assert page.locator("#kept-photos li").count() == 1
        page.wait_for_function("document.querySelector('#kept-photos img').complete")  # loaded or broken
        assert page.evaluate("document.querySelector('#kept-photos img').naturalWidth") > 0
        page.fill("#narrative", "Motorbikes stolen at the market car park every weekend evening.")
        _send(page)
        if "/receipt" not in page.url:  # an earlier test filed here: the duplicate step, photo still kept
            assert page.locator("#kept-photos li").count() == 1
            page.check("#confirm_new")
            _send(page)
        assert re.search(r"/reports/\d+/receipt$", page.url), page.url
        report = db.session.scalar(db.select(Report).order_by(Report.id.desc()))
        db.session.refresh(report)
        assert len(report.photos) == 1
        link = page.locator("#track-link").get_attribute("href")
        assert link.startswith(field["url"] + "/reports/track/")  # the host the member reached
        assert page.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width, lang", PHONES)
def test_a_police_question_shows_at_the_top_with_the_reply_box(browser, field, width, lang):
    world = field["world"]
    # its own report, so the test does not depend on what earlier tests filed
    report = make_report(filed_by=world.member, station=world.west, category=world.category,
                         lat=WEST_POINT[0], lon=WEST_POINT[1])
    officer = make_user(role=Role.DESK_OFFICER, station=world.west)
    perform(report, "acknowledge", officer)
    perform(report, "ask_question", officer, text="Which gate of the market?")
    db.session.commit()
    context, page = _phone(browser, field, width, lang)
    try:
        _sign_in(page, world.member, lang)
        assert page.locator("#to-do-answer").is_visible()
        page.locator("#to-do-answer").tap()
        page.locator(f"a:has-text('{report.reference_number}')").tap()
        # the report's own question banner (the list page's "waiting for you" box is an .action-needed too,
        # and may still be on screen while the report page loads)
        banner = page.locator("section[id^='action-needed-']").first
        assert "Which gate of the market?" in banner.inner_text()
        assert banner.bounding_box()["y"] < 400  # at the top, not under the timeline
        banner.locator("textarea").fill("The north gate, by the fish stalls.")
        banner.locator("button[type=submit]").tap()
        page.wait_for_load_state("networkidle")
        assert page.locator("section[id^='action-needed-']").count() == 0
        assert page.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width, lang", PHONES)
def test_the_menu_fits_and_its_last_item_is_reachable(browser, field, width, lang):
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    context, page = _phone(browser, field, width, lang)
    try:
        _sign_in(page, admin, lang)
        sign_out = page.locator(".nav button", has_text="ออกจากระบบ" if lang == "th" else "Sign out")
        box_ = sign_out.bounding_box()
        assert sign_out.is_visible() and box_["x"] >= 0 and box_["x"] + box_["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_the_form_map_draws_tambon_outlines_without_tiles(browser, field):
    context, page = _phone(browser, field, 390, "th")
    try:
        _sign_in(page, field["world"].member, "th")
        _start(page)
        _locate(page)
        page.wait_for_function("() => Number(document.getElementById('map').dataset.baseAreas) > 0")
        assert "ต.บ่อยาง" in page.locator("#map").inner_text()  # the tambon's name on the map
        assert "ต.บ่อยาง อ.เมืองสงขลา จ.สงขลา" in page.locator("#preview-place").inner_text()
        assert page.errors == []
    finally:
        context.close()
