"""Fixtures for intake tests: a routed world, a signed-in council member, a clean routing cache."""
import pytest

from app.reports.routing_service import clear_index_cache
from tests.reports.factories_reports import make_world


@pytest.fixture()
def world(app, db):
    """Categories, a PAO, two neighbouring stations with areas and MOUs, and a council member."""
    with app.test_request_context():
        clear_index_cache()
    world = make_world()
    yield world
    with app.test_request_context():
        clear_index_cache()


@pytest.fixture()
def member_client(world, login):
    """A test client signed in as the world's council member."""
    return login(world.member)


@pytest.fixture(params=["file", "s3"])
def photo_dir(request, app, tmp_path, monkeypatch):
    """Store photos in a folder of this test only, then again in a fresh prefix of a real S3 store (SeaweedFS)."""
    monkeypatch.setitem(app.config, "PHOTO_STORAGE_DIR", str(tmp_path / "photos"))
    if request.param == "s3":
        request.getfixturevalue("s3_app")
    return tmp_path / "photos"


def stored_keys():
    """Return every key in the test's photo storage, whichever backend it is."""
    from app.core.storage import get_storage

    return list(get_storage().keys())


def get_en(client, path):
    """GET a page in English."""
    return client.get(path + ("&" if "?" in path else "?") + "lang=en")
