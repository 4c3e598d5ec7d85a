"""The database:// rate-limit storage: fixed windows that count exactly, roll over, and clear."""
import os
import time

import pytest
import sqlalchemy as sa

from app.security.limiter_storage import DatabaseStorage, RateLimitCounter, storage_uri


@pytest.fixture()
def storage(app, tmp_path):
    """A storage over the engine under test: the PostgreSQL test database, or a SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        url = f"sqlite:///{tmp_path / 'limits.db'}"
        engine = sa.create_engine(url)
        RateLimitCounter.__table__.create(engine)
        engine.dispose()
    store = DatabaseStorage(storage_uri(url))
    store.reset()
    yield store
    store.reset()


def test_counts_add_up_within_a_window_and_keys_are_separate(storage):
    assert [storage.incr("login/1.2.3.4", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("login/5.6.7.8", 60, amount=2) == 2
    assert storage.get("login/1.2.3.4") == 3 and storage.get("nobody") == 0
    assert time.time() + 55 < storage.get_expiry("login/1.2.3.4") <= time.time() + 60


def test_a_new_window_starts_from_zero_when_the_last_has_passed(storage):
    storage.incr("k", 1)
    storage.incr("k", 1)
    time.sleep(1.1)
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1


def test_clear_and_reset(storage):
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.reset() == 1 and storage.get("b") == 0
    assert storage.check() is True


def test_the_uri_names_the_database_and_nothing_else_is_accepted():
    with pytest.raises(ValueError, match="database URL"):
        DatabaseStorage("database://")
