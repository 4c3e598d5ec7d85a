"""What a report with three phone photos costs to send once the phone has made the photos smaller."""
import re

import pytest
from playwright.sync_api import expect

from tests.live import type_place
from tests.offline.conftest import sign_in

pytestmark = pytest.mark.browser


def test_three_camera_photos_cost_a_fraction_of_their_size_to_send(phone, live, camera_photos):
    original = sum(path.stat().st_size for path in camera_photos)
    assert all(3_000_000 < path.stat().st_size < 4_500_000 for path in camera_photos)
    sign_in(phone, live.world.member)
    phone.goto("/reports/new")
    sent, probes = {}, []

    def measure(route):
        if route.request.method == "POST":
            sent["body"] = len(route.request.post_data_buffer or b"")
        route.continue_()

    def measure_probe(route):
        probes.append(len(route.request.post_data_buffer or b""))
        route.continue_()

    phone.context.route(re.compile(r".*/reports/new$"), measure)
    phone.context.route(re.compile(r".*/reports/api/photo-location$"), measure_probe)
    phone.select_option("#category_id", str(live.world.category.id))
    phone.fill("#narrative", "Three photos of the burnt-out motorbikes dumped by the canal last night.")
    type_place(phone, "7.1500", "100.5100")
    phone.set_input_files("#photos", files=[str(path) for path in camera_photos])
    expect(phone.locator("#offline-photos")).to_contain_text("Photos ready: 3", timeout=30000)
    photos = phone.evaluate("""() => Array.from(document.getElementById('photos').files,
                                                 f => ({name: f.name, size: f.size, type: f.type}))""")
    assert [p["type"] for p in photos] == ["image/jpeg"] * 3
    compressed = sum(p["size"] for p in photos)
    phone.locator("#submit-report").tap()
    phone.wait_for_url(re.compile(r"/reports/\d+/receipt$"))
    receipt = len(phone.content().encode())
    print(f"\nthree photos: {original:,} bytes taken, {compressed:,} bytes after the phone made them "
          f"smaller ({compressed / original:.1%}); the whole report posted: {sent['body']:,} bytes; "
          f"intake.js's photo GPS look-ups before it: {sum(probes):,} bytes; the receipt page back: "
          f"about {receipt:,} bytes")
    assert compressed < original * 0.2
    assert sent["body"] < compressed + 20_000  # the form fields add little
    assert phone.errors == []
