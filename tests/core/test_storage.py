"""The storage contract, the same for the local folder and a real S3 store (SeaweedFS), and its CLI."""
import hashlib
import io

import pytest

from app.core.storage import LocalStorage, StorageUnavailable, get_storage, storage_from_url
from app.core.storage_cli import check_files, migrate_files


@pytest.fixture(params=["file", "s3"])
def storage(request, tmp_path):
    """Each contract test runs once per backend."""
    if request.param == "file":
        return storage_from_url((tmp_path / "files").as_uri())
    server = request.getfixturevalue("s3_server")
    config = server.config()
    return storage_from_url(config["STORAGE_URL"], config)


def test_save_read_exists_delete(storage):
    assert not storage.exists("2026/12/abc-public.jpg")
    storage.save("2026/12/abc-public.jpg", b"\xff\xd8jpeg")
    assert storage.exists("2026/12/abc-public.jpg")
    assert storage.read("2026/12/abc-public.jpg") == b"\xff\xd8jpeg"
    with storage.open("2026/12/abc-public.jpg") as stream:
        assert stream.read(2) == b"\xff\xd8"
    storage.save("2026/12/abc-public.jpg", b"second")  # overwrite replaces whole
    assert storage.read("2026/12/abc-public.jpg") == b"second"
    storage.delete("2026/12/abc-public.jpg")
    storage.delete("2026/12/abc-public.jpg")  # already gone: not an error
    assert not storage.exists("2026/12/abc-public.jpg")


def test_missing_key_is_file_not_found(storage):
    with pytest.raises(FileNotFoundError):
        storage.read("2026/12/never-stored.jpg")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../b", "Upper/case", ""])
def test_keys_outside_the_root_are_refused(storage, key):
    with pytest.raises(ValueError):
        storage.save(key, b"x")


def test_keys_lists_everything_stored(storage):
    for key in ("a/one.jpg", "a/b/two.sealed", "exports/3.csv.gz"):
        storage.save(key, key.encode())
    assert sorted(storage.keys()) == ["a/b/two.sealed", "a/one.jpg", "exports/3.csv.gz"]


def test_large_file_upload_round_trips(storage):
    data = hashlib.sha256(b"seed").digest() * 400_000  # 12.8 MB: multipart on S3
    storage.save_file("exports/big.csv.gz", io.BytesIO(data))
    assert hashlib.sha256(storage.read("exports/big.csv.gz")).digest() == hashlib.sha256(data).digest()


def test_migrate_copies_and_verifies_then_check_agrees(storage, tmp_path):
    source = LocalStorage(tmp_path / "old")
    for key in ("2026/01/x-original.sealed", "2026/01/x-public.jpg", "2026/01/x-thumb.jpg"):
        source.save(key, key.encode() * 100)
    assert migrate_files(source, storage) == (3, 0, 0)
    assert migrate_files(source, storage) == (0, 3, 0)  # a second run copies nothing
    assert storage.read("2026/01/x-public.jpg") == source.read("2026/01/x-public.jpg")
    expected = {"2026/01/x-original.sealed": "photos", "2026/01/x-public.jpg": "photos", "2026/01/gone.jpg": "photos"}
    missing, orphans = check_files(storage, expected)
    assert missing == ["2026/01/gone.jpg"]
    assert orphans == ["2026/01/x-thumb.jpg"]


def test_a_store_that_is_down_raises_storage_unavailable(tmp_path):
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = storage_from_url("s3://ruamkan-test/x", {"S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
                                                    "STORAGE_TIMEOUT": 1})
    with pytest.raises(StorageUnavailable):
        down.save("a/b.jpg", b"x")
    with pytest.raises(StorageUnavailable):
        down.read("a/b.jpg")


def test_unknown_urls_are_refused():
    for url in ("ftp://x/y", "file://host/path", "s3:///nobucket"):
        with pytest.raises(ValueError):
            storage_from_url(url)


def test_app_storage_follows_storage_url(app, db, tmp_path):
    app.config["STORAGE_URL"] = (tmp_path / "chosen").as_uri()
    try:
        get_storage().save("k/v.jpg", b"1")
        assert (tmp_path / "chosen" / "k" / "v.jpg").read_bytes() == b"1"
    finally:
        app.config["STORAGE_URL"] = None
