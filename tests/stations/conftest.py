"""Fixtures for station tests: a fresh routing index per test (the database is emptied between tests)."""
import pytest

from app.reports.routing_service import clear_index_cache


@pytest.fixture(autouse=True)
def fresh_routing_index(app):
    """Drop the cached index: emptied tables restart the version counter, which would look current."""
    with app.app_context():
        clear_index_cache()
    yield
    with app.app_context():
        clear_index_cache()
