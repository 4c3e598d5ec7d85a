"""The application factory and its configurations."""
import pytest

from app import create_app
from config import DEV_SECRET, Config, ProductionConfig, TestConfig


def test_factory_builds_test_app(app):
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == TestConfig.SQLALCHEMY_DATABASE_URI
    assert {"home", "accounts", "reports", "stations"} <= set(app.blueprints)


def test_default_config_uses_sqlite_in_instance_folder():
    assert Config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///") or "DATABASE_URL" in __import__("os").environ
    assert Config.SQLALCHEMY_DATABASE_URI.endswith("instance/ruamkan.db") or "DATABASE_URL" in __import__("os").environ
    assert Config.SESSION_COOKIE_HTTPONLY and Config.SESSION_COOKIE_SAMESITE == "Lax"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "SEALING_KEY"])
def test_production_refuses_to_start_without_secrets(monkeypatch, missing):
    env = {"SECRET_KEY": "a-long-random-production-secret", "DATABASE_URL": "sqlite://",
           "SEALING_KEY": "x" * 44}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app(ProductionConfig)


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", DEV_SECRET)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SEALING_KEY", "x" * 44)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_every_secret_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SEALING_KEY", "x" * 44)
    config = type("Prod", (ProductionConfig,), {"SQLALCHEMY_DATABASE_URI": "sqlite://",
                                                 "SECRET_KEY": "a-long-random-production-secret",
                                                 "INSTANCE_DIR": str(tmp_path),
                                                 "PUBLIC_BASE_URL": "https://ruamkan.example"})
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert "max-age=" in app.test_client().get("/healthz-not-there").headers["Strict-Transport-Security"]


def test_health_check_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_page_is_a_friendly_404_in_thai_by_default(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in response.get_data(as_text=True)


def test_unknown_page_in_english(client):
    response = client.get("/no/such/page?lang=en")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_server_error_page_hides_the_traceback(tmp_path):
    app = create_app(type("T", (TestConfig,), {"INSTANCE_DIR": str(tmp_path)}))

    @app.get("/_boom_for_test")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/_boom_for_test?lang=en")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Server error" in body and "secret internals" not in body


def test_production_refuses_to_start_without_a_public_address(monkeypatch, tmp_path):
    for name, value in (("SECRET_KEY", "a-long-random-production-secret"), ("DATABASE_URL", "sqlite://"),
                        ("SEALING_KEY", "x" * 44)):
        monkeypatch.setenv(name, value)
    config = type("Prod", (ProductionConfig,), {"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_DIR": str(tmp_path),
                                                 "PUBLIC_BASE_URL": ""})
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app(config)


def test_the_default_config_links_to_the_host_it_is_reached_at():
    # a fixed default (it was http://127.0.0.1:5000) gave residents dead tracking links
    assert Config.PUBLIC_BASE_URL == __import__("os").environ.get("PUBLIC_BASE_URL", "")


@pytest.mark.parametrize(("guess", "page"), [("/login", "/accounts/login"), ("/admin", "/home"),
                                             ("/report", "/reports/new"), ("/track", "/reports/track")])
def test_addresses_newcomers_guess_lead_to_the_real_page(client, guess, page):
    response = client.get(guess)
    assert response.status_code == 301 and response.headers["Location"].endswith(page)
