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


@pytest.fixture()
def photo_dir(app, tmp_path):
    """Store photos in a folder of this test only."""
    app.config["PHOTO_STORAGE_DIR"] = str(tmp_path / "photos")
    yield tmp_path / "photos"
    app.config.pop("PHOTO_STORAGE_DIR", None)


def forget_locale():
    """Forget the language cached in `g`: the db fixture's app context outlives each test request.

    Flask-Babel and app.core.i18n cache the locale on `g`; requests made by the test client reuse the
    fixture's app context, so without this the first request's language sticks for the whole test.
    """
    from flask import g
    from flask_babel import refresh

    refresh()
    g.pop("lang", None)


def get_en(client, path):
    """GET a page in English, whatever language earlier requests of the test used."""
    forget_locale()
    return client.get(path + ("&" if "?" in path else "?") + "lang=en")
