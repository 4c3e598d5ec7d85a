"""Every response carries a strict CSP and the other security headers; HSTS only in production."""
import os
import re

import pytest
from cryptography.fernet import Fernet

from app import create_app
from app.accounts.models import Role
from app.extensions import db as _db
from app.extensions import limiter
from app.security.headers import content_security_policy
from config import ProductionConfig
from tests.factories import PASSWORD, make_user


def test_pages_carry_a_strict_csp(client, db, login):
    pages = ["/accounts/login", "/no/such/page"]
    for path in pages:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers
    login(make_user())
    assert "Content-Security-Policy" in client.get("/home").headers


def test_tile_server_is_allowed_for_images_only():
    csp = content_security_policy("https://tiles.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://tiles.example.org" in csp
    assert "tiles.example.org" not in csp.split("img-src")[0]
    assert "img-src 'self' data: blob:;" in content_security_policy("")


# --- production: Secure cookies and HSTS ------------------------------------------------------

@pytest.fixture()
def production_app(request, tmp_path, monkeypatch):
    """An app under ProductionConfig (its checks satisfied from the environment), on its own SQLite file.

    Parametrize indirectly with a number of trusted proxy hops (default 0).
    """
    secret, database = "prod-like-secret-" + "x" * 32, f"sqlite:///{tmp_path / 'prod.db'}"
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.setenv("SEALING_KEY", Fernet.generate_key().decode())
    config = type("ProductionLike", (ProductionConfig,), {
        "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": database, "INSTANCE_DIR": str(tmp_path),
        "SEALING_KEY": os.environ["SEALING_KEY"], "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "TRUSTED_PROXY_HOPS": getattr(request, "param", 0), "PUBLIC_BASE_URL": "https://ruamkan.example"})
    saved = dict(vars(limiter))  # create_app binds the one Limiter to this app's storage
    app = create_app(config)
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()
    vars(limiter).clear()
    vars(limiter).update(saved)


def _cookies(response):
    """Return {name: Set-Cookie header} of a response."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def test_production_refuses_to_start_without_its_secrets(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "SEALING_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL, SEALING_KEY"):
        create_app(ProductionConfig)


def test_production_cookies_are_secure_httponly_lax_and_pages_send_hsts(production_app):
    user = make_user(role=Role.COUNCIL_MEMBER)  # no second factor: signed in by the password alone
    _db.session.commit()
    client = production_app.test_client()
    page = client.get("/accounts/login", base_url="https://ruamkan.example")
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/accounts/login", base_url="https://ruamkan.example",
                           headers={"Referer": "https://ruamkan.example/accounts/login"},
                           data={"username": user.username, "password": PASSWORD, "remember": "y",
                                 "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    cookies = _cookies(response)
    assert set(cookies) == {"session"}  # "keep me signed in" is a server-side session, not a remember cookie
    flags = [part.strip() for part in cookies["session"].split(";")]
    assert "Secure" in flags and "HttpOnly" in flags and "SameSite=Lax" in flags, cookies["session"]
    assert "Strict-Transport-Security" in client.get("/healthz", base_url="https://ruamkan.example").headers


def test_development_cookies_are_httponly_and_lax_but_not_secure(client, db):
    user = make_user(role=Role.COUNCIL_MEMBER)
    response = client.post("/accounts/login", data={"username": user.username, "password": PASSWORD,
                                                    "remember": "y"})
    cookies = _cookies(response)
    assert set(cookies) == {"session"}
    flags = [part.strip() for part in cookies["session"].split(";")]
    assert "HttpOnly" in flags and "SameSite=Lax" in flags and "Secure" not in flags, cookies["session"]
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize(("production_app", "recorded"), [(0, "10.0.0.9"), (1, "203.0.113.7")],
                         indirect=["production_app"])
def test_client_address_comes_from_the_proxy_only_when_trusted(production_app, recorded):
    from app.accounts.models import AccountEvent

    client = production_app.test_client()
    where = {"base_url": "https://ruamkan.example", "environ_base": {"REMOTE_ADDR": "10.0.0.9"}}
    page = client.get("/accounts/login", **where)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/accounts/login", data={"username": "nobody", "password": "x", "csrf_token": token},
                           headers={"X-Forwarded-For": "203.0.113.7",
                                    "Referer": "https://ruamkan.example/accounts/login"}, **where)
    assert response.status_code == 400
    assert _db.session.scalar(_db.select(AccountEvent.ip)) == recorded
