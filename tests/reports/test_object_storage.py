"""Photos in a real S3 store (SeaweedFS): sealed before upload, served only through the app, and a store
that is down answers 503 with the form's content kept and nothing half-written."""
import io
import socket

from app.core.storage import get_storage
from app.extensions import db
from app.reports.models import Report, ReportPhoto
from app.reports.staging import StagedPhoto
from app.security.sealing import unseal_bytes
from tests.reports.factories_reports import WEST_POINT, form_data, jpeg_bytes


def _post(client, data):
    response = client.post("/reports/new?lang=en", data=data, content_type="multipart/form-data")
    return response, response.get_data(as_text=True)


def test_photos_go_to_the_object_store_sealed_and_are_served_by_the_app(s3_app, member_client, world, app):
    original = jpeg_bytes(gps=WEST_POINT, description="Somchai 0812345678")
    data = form_data(world)
    data["photos"] = [(io.BytesIO(original), "one.jpg")]
    response, _page = _post(member_client, data)
    assert response.status_code == 302
    photo = db.session.scalar(db.select(ReportPhoto))
    storage = get_storage()
    assert storage.url.startswith("s3://ruamkan-test/")
    sealed = storage.read(photo.original_key)  # the object itself, as the store holds it
    assert original not in sealed and b"Somchai" not in sealed and unseal_bytes(sealed) == original
    public = member_client.get(f"/reports/photos/{photo.id}/public.jpg")
    assert public.status_code == 200 and public.data == storage.read(photo.public_key)
    assert "private" in public.headers["Cache-Control"]
    anonymous = app.test_client().get(f"/reports/photos/{photo.id}/public.jpg")
    assert anonymous.status_code in (302, 401)
    # `flask storage check`: every row has its objects and no object lacks a row.
    result = app.test_cli_runner().invoke(args=["storage", "check", "--list"])
    assert result.exit_code == 0, result.output
    assert "3 files expected, 0 missing, 0 without a row" in result.output


def test_storage_check_finds_a_lost_object(s3_app, member_client, world, app):
    data = form_data(world)
    data["photos"] = [(io.BytesIO(jpeg_bytes()), "one.jpg")]
    assert _post(member_client, data)[0].status_code == 302
    photo = db.session.scalar(db.select(ReportPhoto))
    get_storage().delete(photo.thumb_key)
    get_storage().save("2026/01/stray-public.jpg", b"x")
    result = app.test_cli_runner().invoke(args=["storage", "check", "--list"])
    assert result.exit_code == 1
    assert f"missing (photos): {photo.thumb_key}" in result.output
    assert "no row: 2026/01/stray-public.jpg" in result.output


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_store_down_answers_503_keeps_the_form_and_writes_nothing(app, member_client, world, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_URL", "s3://ruamkan-down/photos")
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setitem(app.config, "STORAGE_TIMEOUT", 1)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    data = form_data(world, narrative="ขโมยรถจักรยานยนต์ที่ตลาดทุกคืนวันเสาร์")
    data["photos"] = [(io.BytesIO(jpeg_bytes()), "a.jpg"), (io.BytesIO(jpeg_bytes(color=(0, 90, 0))), "b.jpg")]
    response, page = _post(member_client, data)
    assert response.status_code == 503
    assert "Photos cannot be stored right now" in page and "NOT sent" in page
    assert "ขโมยรถจักรยานยนต์ที่ตลาดทุกคืนวันเสาร์" in page and "Behind the fresh market" in page
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 0
    assert db.session.scalar(db.select(db.func.count(StagedPhoto.id))) == 0
    # In Thai (the default language) too.
    data["photos"] = [(io.BytesIO(jpeg_bytes()), "a.jpg")]
    thai = member_client.post("/reports/new?lang=th", data=data, content_type="multipart/form-data")
    assert thai.status_code == 503 and "รายงานจึงยังไม่ถูกส่ง" in thai.get_data(as_text=True)

