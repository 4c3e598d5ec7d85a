"""Every response carries a strict CSP and the other security headers; HSTS only in production."""
from app.core.security import content_security_policy
from tests.factories import make_user


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
