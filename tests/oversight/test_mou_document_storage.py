"""Signed MOU documents in the app's one file store (a folder, then a real S3 store: SeaweedFS): stored under
`mou/`, served only through the app, checked by `flask storage check`, carried by `flask storage migrate`,
imported from their old folder; a store that is down answers 503, keeps the form and writes nothing."""
import io
import socket

import pytest

from app.core.storage import LocalStorage, get_storage
from app.stations.models import Mou, MouRecord
from tests.oversight.helpers import PDF, signed_in


@pytest.fixture(params=["file", "s3"])
def backend(request, app, files_dir):
    """Each test runs with the test's own folder (files_dir), then with a fresh prefix of the SeaweedFS bucket."""
    if request.param == "s3":
        request.getfixturevalue("s3_app")
    return request.param


@pytest.fixture()
def coordinator(app, world):
    return signed_in(app, world.coordinator)


def _upload(client, mou, data=PDF, lang="en"):
    return client.post(f"/oversight/mous/{mou.id}/document?lang={lang}",
                       data={"document": (io.BytesIO(data), "signed.pdf")}, content_type="multipart/form-data")


def _check(app):
    return app.test_cli_runner().invoke(args=["storage", "check", "--list"])


def test_a_document_lives_in_the_file_store_and_only_the_app_serves_it(app, db, world, coordinator, backend):
    mou = world.mous["west"]
    assert _upload(coordinator, mou).status_code == 302
    record = db.session.get(MouRecord, mou.id)
    storage = get_storage()
    assert storage.url.startswith("s3://ruamkan-test/" if backend == "s3" else "file://")
    assert record.document_key.startswith(f"mou/{mou.id}/") and storage.read(record.document_key) == PDF
    url = f"/oversight/mous/{mou.id}/document"
    document = coordinator.get(url)
    assert document.status_code == 200 and document.data == PDF
    assert document.headers["Cache-Control"] == "private, no-store"
    assert app.test_client().get(url).status_code in (302, 401)
    assert signed_in(app, world.west_desk).get(url).data == PDF  # police of the MOU's station
    assert signed_in(app, world.east_desk).get(url).status_code == 404
    assert signed_in(app, world.other_coordinator).get(url).status_code == 404
    assert signed_in(app, world.member).get(url).status_code == 403
    result = _check(app)
    assert result.exit_code == 0, result.output
    assert "1 files expected, 0 missing, 0 without a row" in result.output


def test_a_new_document_replaces_the_file_once_committed(app, db, world, coordinator, backend):
    mou = world.mous["west"]
    assert _upload(coordinator, mou).status_code == 302
    first = db.session.get(MouRecord, mou.id).document_key
    newer = PDF.replace(b"1.4", b"1.7")
    assert _upload(coordinator, mou, newer).status_code == 302
    db.session.expire_all()
    second = db.session.get(MouRecord, mou.id).document_key
    assert second != first and list(get_storage().keys()) == [second]
    assert coordinator.get(f"/oversight/mous/{mou.id}/document").data == newer
    assert "0 missing, 0 without a row" in _check(app).output


def test_storage_check_finds_a_lost_document_and_a_stray_one(app, db, world, coordinator, backend):
    mou = world.mous["west"]
    assert _upload(coordinator, mou).status_code == 302
    key = db.session.get(MouRecord, mou.id).document_key
    get_storage().delete(key)
    get_storage().save("mou/999/stray.pdf", PDF)
    result = _check(app)
    assert result.exit_code == 1
    assert f"missing (mou documents): {key}" in result.output
    assert "no row: mou/999/stray.pdf" in result.output
    assert coordinator.get(f"/oversight/mous/{mou.id}/document").status_code == 404


def test_documents_in_the_old_folder_are_imported_once(app, db, world, coordinator, backend, tmp_path,
                                                       monkeypatch):
    old = tmp_path / "mou_documents"
    monkeypatch.setitem(app.config, "MOU_DOCUMENT_DIR", str(old))
    west, east = world.mous["west"], world.mous["east"]
    LocalStorage(old).save(f"mou/{west.id}/abc123.pdf", PDF)  # as the app before STORAGE_URL kept it
    LocalStorage(old).save(f"mou/{west.id}/replaced.pdf", b"%PDF-1.4 older\n%%EOF")  # no row names it
    db.session.add(MouRecord(mou_id=west.id, document_key=f"mou/{west.id}/abc123.pdf", document_name="mou.pdf",
                             document_size=len(PDF)))
    db.session.commit()
    url = f"/oversight/mous/{west.id}/document"
    assert coordinator.get(url).status_code == 404
    assert _check(app).exit_code == 1

    runner = app.test_cli_runner()
    result = runner.invoke(args=["storage", "import-mou-documents"])
    assert result.exit_code == 0, result.output
    assert "copied 1, already there 0, in neither 0, failed 0" in result.output
    assert coordinator.get(url).data == PDF
    assert list(get_storage().keys()) == [f"mou/{west.id}/abc123.pdf"]
    assert _check(app).exit_code == 0
    again = runner.invoke(args=["storage", "import-mou-documents", "--from", str(old)])
    assert again.exit_code == 0 and "copied 0, already there 1" in again.output

    db.session.add(MouRecord(mou_id=east.id, document_key=f"mou/{east.id}/lost.pdf", document_name="mou.pdf",
                             document_size=1))
    db.session.commit()
    lost = runner.invoke(args=["storage", "import-mou-documents"])
    assert lost.exit_code == 1 and f"mou/{east.id}/lost.pdf" in lost.output and "in neither 1" in lost.output


def test_migrate_carries_the_documents_to_the_object_store(app, db, world, coordinator, s3_server, files_dir):
    mou = world.mous["west"]
    assert _upload(coordinator, mou).status_code == 302
    target = s3_server.config()
    app.config["S3_ENDPOINT_URL"] = target["S3_ENDPOINT_URL"]
    result = app.test_cli_runner().invoke(args=["storage", "migrate", "--to", target["STORAGE_URL"]])
    assert result.exit_code == 0 and "copied 1, already there 0, failed 0" in result.output, result.output
    app.config["STORAGE_URL"] = target["STORAGE_URL"]
    try:
        assert coordinator.get(f"/oversight/mous/{mou.id}/document").data == PDF
        assert _check(app).exit_code == 0
    finally:
        app.config["S3_ENDPOINT_URL"] = None


@pytest.fixture()
def store_down(app, monkeypatch):
    """An S3 store nobody answers: a closed port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setitem(app.config, "STORAGE_URL", "s3://ruamkan-down/files")
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setitem(app.config, "STORAGE_TIMEOUT", 1)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def test_store_down_answers_503_keeps_the_form_and_writes_nothing(app, db, world, coordinator, store_down):
    answer = coordinator.post("/oversight/mous/new?lang=en", content_type="multipart/form-data", data={
        "station": "far", "signed_on": "2026-01-05", "effective_from": "2026-02-01", "expires_on": "2027-01-31",
        "covers_all": "y", "document_ref": "อบจ.สข. 777/2569", "document": (io.BytesIO(PDF), "mou.pdf")})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "cannot be stored right now" in page and "nothing was saved" in page
    assert "อบจ.สข. 777/2569" in page and 'value="2027-01-31"' in page  # what was typed is kept
    assert db.session.scalar(db.select(Mou).where(Mou.pao_id == world.pao.id, Mou.station_id == world.far.id)) \
        is None

    mou = world.mous["west"]
    thai = _upload(coordinator, mou, lang="th")
    assert thai.status_code == 503 and "จึงยังไม่ได้บันทึกสิ่งใด" in thai.get_data(as_text=True)
    assert db.session.get(MouRecord, mou.id) is None  # no row names a file that is not there
