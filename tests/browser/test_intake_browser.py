"""A council member files a report on a phone, end to end, in Thai and in English, with a photo."""
import re

import pytest

from tests.factories import PASSWORD
from tests.reports.factories_reports import jpeg_bytes

pytestmark = pytest.mark.browser


def _sign_in(page, world, lang):
    page.goto(f"/language/{lang}?next=/accounts/login")
    page.fill("#username", world.member.username)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home"))


def _file_report(page, world, narrative, category_label):
    page.goto("/reports/new")
    page.select_option("#category_id", label=category_label)
    page.fill("#narrative", narrative)
    page.locator("#locate-btn").tap()
    page.wait_for_function("() => document.getElementById('lat').value !== ''")
    page.locator(".leaflet-marker-icon").wait_for()  # the map loaded on demand, with its pin
    page.locator("#preview-station").wait_for()
    page.wait_for_load_state("networkidle")
    if page.locator("#duplicates").is_visible():  # an earlier test filed the same concern here
        page.check("#confirm_new")
    page.set_input_files("#photos", files=[{"name": "scene.jpg", "mimeType": "image/jpeg",
                                            "buffer": jpeg_bytes(size=(1200, 900), gps=(7.2001, 100.5501))}])
    page.locator("#photo-gps").wait_for()
    page.locator("#resident summary").tap()
    page.fill("#resident_name", "สมศรี รักดี")
    page.fill("#resident_phone", "081-234-5678")
    page.check("#consent")
    page.locator("#submit-report").tap()
    page.wait_for_url(re.compile(r"/reports/\d+/receipt$"))


def test_file_a_report_in_thai(phone, live_server):
    world = live_server["world"]
    _sign_in(phone, world, "th")
    _file_report(phone, world, "มีการลักรถจักรยานยนต์ที่ลานจอดรถตลาดทุกเย็นวันเสาร์", "ลักทรัพย์")
    assert phone.locator("html").get_attribute("lang") == "th"
    reference = phone.locator("#reference").inner_text()
    assert re.fullmatch(r"SKA-25\d\d-\d{6}", reference)
    assert "สภ.ตะวันตก" in phone.locator("#receipt-station").inner_text()
    assert phone.locator("svg.qr").count() == 1
    assert phone.errors == []
    # The page fits a 360 px phone: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_file_a_report_in_english(phone, live_server):
    world = live_server["world"]
    _sign_in(phone, world, "en")
    phone.goto("/reports/new")
    assert phone.locator("#submit-report").inner_text() == "Send report"
    _file_report(phone, world, "Strangers check the parked motorbikes at the market every Saturday evening.",
                 "Suspicious activity")
    assert "Add to this report" not in phone.content()
    assert "West Station" in phone.locator("#receipt-station").inner_text()
    assert "The report was sent." in phone.content()
    detail = phone.locator("a", has_text="Open the report")
    detail.tap()
    phone.wait_for_url(re.compile(r"/reports/\d+$"))
    phone.locator(".photos img").first.wait_for()
    # the element is there before its picture: wait until the browser has finished with it (loaded or broken)
    phone.wait_for_function("document.querySelector('.photos img').complete")
    assert phone.evaluate("document.querySelector('.photos img').naturalWidth") == 320
    assert phone.errors == []


def test_emergency_category_shows_call_191_and_personal_data_warning(phone, live_server):
    world = live_server["world"]
    _sign_in(phone, world, "en")
    phone.goto("/reports/new")
    assert phone.locator("#emergency-box").is_hidden()
    phone.select_option("#category_id", str(world.emergency_category.id))
    assert phone.locator("#emergency-box").is_visible()
    assert phone.locator("#emergency-box a[href='tel:191']").is_visible()
    phone.fill("#narrative", "The attacker's brother is on 089-999-8888, ID 1-2345-67890-12-1.")
    phone.locator("#narrative").evaluate("el => el.blur()")
    phone.locator("#pii-warning").wait_for()
    assert "a phone number, a citizen ID number" in phone.locator("#pii-text").inner_text()
    assert phone.errors == []
