"""Abuse limits: oversize bodies get 413, report submissions are limited per user, sign-in and the API too."""
import uuid
from types import SimpleNamespace

import pytest
from flask_babel import force_locale, gettext

from app import create_app
from app.accounts.models import Role
from app.api.models import TokenKind
from app.extensions import db, limiter
from app.reports.models import Report
from app.reports.routing_service import clear_index_cache
from config import TestConfig
from tests.api.helpers import bearer, new_report_body, token_for
from tests.conftest import require_service
from tests.factories import PASSWORD, make_user
from tests.reports.factories_reports import form_data, make_world


@pytest.fixture(autouse=True)
def fresh_limits(app, monkeypatch):
    """Empty counters before and after; budgets a test does not lower are out of reach."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    monkeypatch.setitem(app.config, "SUBMIT_RATE_LIMIT", "100000 per minute")
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture()
def world(app, db):
    """A PAO ("songkhla") with West and East under MOU, two council members and a desk officer of West."""
    with app.test_request_context():
        clear_index_cache()
    base = make_world(prefix="LIM")
    base.pao.code = "songkhla"
    member2 = make_user(role=Role.COUNCIL_MEMBER, pao=base.pao)
    west_desk = make_user(role=Role.DESK_OFFICER, station=base.west)
    db.session.commit()
    yield SimpleNamespace(pao=base.pao, west=base.west, member=base.member, member2=member2, west_desk=west_desk,
                          category=base.category)
    with app.test_request_context():
        clear_index_cache()


def _place(n):
    """Return a spot n km north in West's area: far enough apart that no duplicate check asks to confirm."""
    return {"lat": f"{7.12 + 0.01 * n:.4f}", "lon": "100.5500"}


def _form(world, n, **overrides):
    return form_data(world, **_place(n), **overrides)


def _api(client, secret, world, n, key=None):
    place = _place(n)
    body = new_report_body(world, lat=float(place["lat"]), lon=float(place["lon"]))
    return client.post("/api/v1/reports", json=body, headers=bearer(secret, **{"Idempotency-Key": key or f"k{n}"}))


def _open311(client, key, n, **fields):
    place = _place(n)
    data = {"jurisdiction_id": "songkhla", "service_code": "crime.theft", "lat": place["lat"], "long": place["lon"],
            "description": f"Motorbikes are stolen at market number {n} every weekend.", "api_key": key, **fields}
    return client.post("/open311/v2/requests.json", data=data)


NOT_SENT = "Your report was NOT sent: too many reports were sent from your account in a short time."


def _thai(msgid):
    """Return the Thai catalogue's text for msgid (the msgid itself until its translation is merged)."""
    with force_locale("th"):
        return gettext(msgid)


def _count():
    db.session.rollback()  # see what the requests committed
    return db.session.scalar(db.select(db.func.count(Report.id)))


# --- 413: too large -----------------------------------------------------------------------------

def test_max_content_length_is_configured():
    assert TestConfig.MAX_CONTENT_LENGTH == 60 * 1024 * 1024


def test_oversize_report_form_gets_the_bilingual_413_page(app, client, login, world, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    login(world.member)
    data = _form(world, 1, narrative="x" * 5000)
    thai = client.post("/reports/new", data=data)
    assert thai.status_code == 413 and thai.content_type.startswith("text/html")
    assert "ขนาดใหญ่เกินไป" in thai.get_data(as_text=True)
    english = client.post("/reports/new?lang=en", data=data)
    assert english.status_code == 413
    assert "What you sent is too large" in english.get_data(as_text=True)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production: the size, not the token
    assert client.post("/reports/new", data=data).status_code == 413
    assert _count() == 0


def test_oversize_api_and_open311_requests_get_json_413(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    secret, key = token_for(world.member), token_for(world.member, kind=TokenKind.APIKEY)
    body = new_report_body(world, narrative="x" * 5000)
    response = client.post("/api/v1/reports", json=body, headers=bearer(secret, **{"Idempotency-Key": "big"}))
    assert response.status_code == 413 and response.is_json
    error = response.get_json()["error"]
    assert error["code"] == "too_large" and error["message"] and error["message_th"]
    response = _open311(client, key, 1, description="x" * 5000)
    assert response.status_code == 413 and response.get_json() == [
        {"code": 413, "description": "The request is too large."}]
    xml = client.post("/open311/v2/requests.xml", data={"api_key": key, "description": "x" * 5000})
    assert xml.status_code == 413 and xml.content_type.startswith("text/xml") and b"<code>413</code>" in xml.data
    assert _count() == 0


# --- 429: report submissions, one budget per user -----------------------------------------------

def test_form_submissions_are_limited_with_a_clear_429_and_a_retry_still_gets_its_receipt(
        app, client, login, world, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMIT_RATE_LIMIT", "2 per hour")
    login(world.member)
    first = _form(world, 1)
    assert client.post("/reports/new", data=first).status_code == 302
    assert client.post("/reports/new", data=_form(world, 2)).status_code == 302

    refused = client.post("/reports/new?lang=en", data=_form(world, 3))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    page = refused.get_data(as_text=True)
    assert "Your report was NOT sent" in page and "Please send it again after" in page
    assert 'href="/reports/new"' in page
    thai = client.post("/reports/new?lang=th", data=_form(world, 3)).get_data(as_text=True)
    assert '<html lang="th">' in thai and _thai(NOT_SENT) in thai
    assert _count() == 2

    # A retry of an accepted report (its answer was lost) is not a new submission: it gets the receipt.
    retry = client.post("/reports/new", data=first)
    assert retry.status_code == 302 and retry.headers["Location"].endswith("/receipt")
    assert client.get("/reports/new").status_code == 200  # reading the form is not limited
    assert _count() == 2


def test_the_limit_is_per_user_not_per_address(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMIT_RATE_LIMIT", "1 per hour")
    first, second = token_for(world.member), token_for(world.member2)
    assert _api(client, first, world, 1).status_code == 201
    assert _api(client, first, world, 2).status_code == 429
    assert _api(client, second, world, 3).status_code == 201  # same address, another member
    # A second token of the same member does not buy a second budget.
    assert _api(client, token_for(world.member), world, 4).status_code == 429


def test_api_submissions_get_a_json_429_with_retry_after_and_retries_pass(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMIT_RATE_LIMIT", "2 per hour")
    secret = token_for(world.member)
    first = _api(client, secret, world, 1)
    assert first.status_code == 201 and _api(client, secret, world, 2).status_code == 201
    refused = _api(client, secret, world, 3)
    assert refused.status_code == 429 and refused.is_json
    error = refused.get_json()["error"]
    assert error["code"] == "rate_limited" and error["message"] and error["message_th"]
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    retry = _api(client, secret, world, 1)  # same Idempotency-Key as the first: its report again
    assert retry.status_code == 200 and retry.get_json()["reference"] == first.get_json()["reference"]
    assert client.get("/api/v1/reports", headers=bearer(secret)).status_code == 200  # reading is not limited
    assert _count() == 2


def test_open311_submissions_are_limited_and_a_repeated_request_returns_the_first(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMIT_RATE_LIMIT", "1 per hour")
    key = token_for(world.member, kind=TokenKind.APIKEY)
    first = _open311(client, key, 1)
    assert first.status_code == 200, first.get_data(as_text=True)
    refused = _open311(client, key, 2)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()[0]["code"] == 429
    again = _open311(client, key, 1)  # the same request without an Idempotency-Key: derived key, first result
    assert again.status_code == 200
    assert again.get_json()[0]["service_request_id"] == first.get_json()[0]["service_request_id"]
    assert _count() == 1


def test_form_api_and_open311_share_one_budget(app, client, login, world, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMIT_RATE_LIMIT", "2 per hour")
    assert _api(client, token_for(world.member), world, 1).status_code == 201
    login(world.member)
    assert client.post("/reports/new", data=_form(world, 2)).status_code == 302
    assert _open311(client, token_for(world.member, kind=TokenKind.APIKEY), 3).status_code == 429
    assert _count() == 2


def test_callers_the_views_refuse_do_not_use_anyones_budget(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMIT_RATE_LIMIT", "1 per hour")
    desk = token_for(world.west_desk)
    for n in range(3):  # refused by the view (403), never counted, never 429
        assert _api(client, desk, world, n).status_code == 403
        assert _open311(client, "rkk_00000000_" + "x" * 43, n).status_code == 403
    assert _api(client, token_for(world.member), world, 5).status_code == 201


def test_the_api_budget_still_covers_report_creation(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2 per minute")
    secret = token_for(world.member)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    assert _api(client, secret, world, 1).status_code == 201
    limited = _api(client, secret, world, 2)
    assert limited.status_code == 429 and limited.get_json()["error"]["code"] == "rate_limited"
    assert "Retry-After" in limited.headers
    assert _count() == 1


def test_api_rate_limit_answers_json_429_with_retry_after(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    secret = token_for(world.member)
    codes = [client.get("/api/v1/categories", headers=bearer(secret)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/me", headers=bearer(secret))
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 60


def test_made_up_tokens_share_the_address_budget(app, client, world, monkeypatch):
    """Each well-formed but unknown token must not open a fresh budget (a free pass for guessing)."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    codes = [client.get("/api/v1/me", headers=bearer(f"rkt_{n:08x}_" + "x" * 43)).status_code for n in range(5)]
    assert codes == [401, 401, 401, 429, 429]


def test_login_limit_still_answers_the_generic_429_page(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    user = make_user(role=Role.COUNCIL_MEMBER)
    wrong = {"username": user.username, "password": "no"}
    assert [client.post("/accounts/login?lang=en", data=wrong).status_code for _ in range(2)] == [400, 400]
    limited = client.post("/accounts/login?lang=en", data={"username": user.username, "password": PASSWORD})
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    page = limited.get_data(as_text=True)
    assert "Too many attempts" in page and "report" not in page.split('<main')[1].split("</main>")[0].lower()


# --- where the counters live -------------------------------------------------------------------


def _app_with_storage(tmp_path, uri):
    config = type("LimitsConfig", (TestConfig,), {"INSTANCE_DIR": str(tmp_path), "RATELIMIT_STORAGE_URI": uri,
                                                  "LOGIN_RATE_LIMIT": "1 per minute"})
    return create_app(config)


def test_limiter_storage_comes_from_ratelimit_storage_uri(tmp_path):
    _app_with_storage(tmp_path, "memory://")
    assert type(limiter.storage).__name__ == "MemoryStorage"
    try:
        import redis  # noqa: F401
    except ImportError:
        # Without the client library a redis:// URI must stop the start, never fall back to memory quietly.
        with pytest.raises(Exception, match="(?i)redis"):
            _app_with_storage(tmp_path, "redis://127.0.0.1:6379/15")
        pytest.skip("the `redis` package is not installed: redis:// storage cannot be exercised")
    app = _app_with_storage(tmp_path, "redis://127.0.0.1:6379/15")
    assert type(limiter.storage).__name__ == "RedisStorage"
    if not limiter.storage.check():
        require_service("Redis on 127.0.0.1:6379")
    with app.app_context():
        db.create_all()
    client, unique = app.test_client(), {"username": f"nobody-{uuid.uuid4().hex}", "password": "x"}
    try:
        assert [client.post("/accounts/login", data=unique).status_code for _ in range(2)] == [400, 429]
    finally:
        limiter.reset()
        with app.app_context():
            db.engine.dispose()


def test_an_app_built_with_limits_off_switches_the_shared_limiter_off(tmp_path):
    """The bench scripts build such apps in the test process (tests/bench, tests/oversight/test_bench.py)."""
    config = type("NoLimits", (TestConfig,), {"INSTANCE_DIR": str(tmp_path), "RATELIMIT_ENABLED": False})
    create_app(config)
    assert limiter.enabled is False


def test_the_next_test_has_the_session_apps_limits_back(app, client, world):
    """Runs after the test above: conftest binds the limiter to the session's app again after every test."""
    assert limiter.enabled is True and type(limiter.storage).__name__ == "MemoryStorage"
    app.config["LOGIN_RATE_LIMIT"] = "2 per day"
    try:
        wrong = {"username": f"nobody-{uuid.uuid4().hex}", "password": "x"}
        assert [client.post("/accounts/login", data=wrong).status_code for _ in range(3)] == [400, 400, 429]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = TestConfig.LOGIN_RATE_LIMIT
