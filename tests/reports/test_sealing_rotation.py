"""Sealing-key rotation through `flask sealing`: everything sealed under the old key moves to the new one."""
import io

import pytest
from cryptography.fernet import Fernet

from app.delivery.services import set_station_webhook
from app.extensions import db
from app.reports.models import Report
from app.reports.phone_index import phone_index
from app.reports.services import open_original_photo, reveal_contact
from app.security.sealing import unseal
from tests.factories import make_user
from tests.reports.factories_reports import form_data, jpeg_bytes

OLD, NEW, STRANGER = (Fernet.generate_key().decode() for _ in range(3))
PHONE = "0891234567"  # the form keeps digits only


@pytest.fixture()
def sealed_world(app, world, member_client, photo_dir, monkeypatch):
    """A report with a sealed contact and photo, and a station webhook secret, all sealed under OLD."""
    monkeypatch.setitem(app.config, "SEALING_KEY", OLD)
    data = form_data(world, resident_name="สมศรี ใจดี", resident_phone="089-123-4567", consent="y")
    data["photos"] = [(io.BytesIO(jpeg_bytes()), "a.jpg")]
    response = member_client.post("/reports/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    secret = set_station_webhook(world.west, "http://127.0.0.1:9/hook")
    db.session.commit()
    return world, secret


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["sealing", *args])


def test_rotate_moves_every_token_and_photo_to_the_new_key(app, sealed_world, monkeypatch):
    world, secret = sealed_world
    monkeypatch.setitem(app.config, "SEALING_KEY", f"{NEW},{OLD}")

    check = _run(app, "check")
    assert check.exit_code == 1
    assert "reports.resident_phone_sealed" in check.output and "photo originals" in check.output

    dry = _run(app, "rotate", "--dry-run")
    assert dry.exit_code == 0 and "4 would be re-sealed" in dry.output
    assert _run(app, "check").exit_code == 1  # a dry run changes nothing

    rotated = _run(app, "rotate")
    assert rotated.exit_code == 0, rotated.output
    assert "5 re-sealed" in rotated.output  # the four sealed values, and the phone index rebuilt
    assert _run(app, "check").exit_code == 0
    assert "0 re-sealed, 4 current" in _run(app, "rotate").output  # a second pass has nothing to do

    # with only the new key left, everything still opens
    monkeypatch.setitem(app.config, "SEALING_KEY", NEW)
    db.session.expire_all()
    report = db.session.scalar(db.select(Report))
    officer = make_user(role="desk_officer", station=world.west)
    assert reveal_contact(report, officer, "call back")["phone"] == PHONE
    assert open_original_photo(report.photos[0], officer)[:2] == b"\xff\xd8"
    assert unseal(world.west.webhook_secret_sealed) == secret
    assert report.resident_phone_index == phone_index(PHONE)  # PDPA lookups find it under the new key


def test_tokens_no_configured_key_opens_are_reported_and_fail_the_command(app, sealed_world, monkeypatch):
    monkeypatch.setitem(app.config, "SEALING_KEY", STRANGER)
    result = _run(app, "rotate")
    assert result.exit_code == 1
    assert "UNREADABLE" in result.output and "4 unreadable" in result.output


def test_new_key_prints_a_usable_fernet_key(app):
    result = _run(app, "new-key")
    assert result.exit_code == 0
    Fernet(result.output.strip().encode())
