"""Hostile input never gets a 500, and no `next=` sends the browser to another site."""
import json

import pytest

from tests.accounts.helpers import code_for
from tests.factories import PASSWORD, make_user

# Each is followed by a browser to another host when the check looks at the raw text only.
OFFSITE = ["//evil.com", "\t//evil.com", " //evil.com", "/\\evil.com", "\\\\evil.com", "/\t/evil.com",
           "\n//evil.com", "/\r\n/evil.com", "https:evil.com", "https://evil.com", "java\nscript:alert(1)",
           "javascript:alert(1)", "\x00//evil.com", "/%2F/evil.com", "/%5Cevil.com", "\x1f/\\/evil.com",
           "http:\\\\evil.com", "//evil.com/%0D%0ASet-Cookie:x=1", "/a\nb"]


def _stays_here(location):
    return location.startswith("/") and not location.startswith("//") and "\\" not in location \
        and not any(ord(c) < 0x21 for c in location)


@pytest.mark.parametrize("payload", OFFSITE)
def test_language_switch_never_leaves_the_site(client, payload):
    response = client.get("/language/en", query_string={"next": payload})
    if response.status_code == 400:  # a NUL or other control character: refused before any view
        assert "Location" not in response.headers
        return
    assert response.status_code == 302
    assert _stays_here(response.headers["Location"]), response.headers["Location"]


def test_language_switch_keeps_a_path_on_this_host(client):
    response = client.get("/language/en", query_string={"next": "/reports/mine?page=2"})
    assert response.headers["Location"] == "/reports/mine?page=2"


@pytest.mark.parametrize("payload", OFFSITE)
def test_sign_in_never_leaves_the_site(client, db, payload):
    user = make_user()
    response = client.post("/accounts/login", query_string={"next": payload},
                           data={"username": user.username, "password": PASSWORD})
    if response.status_code == 400:  # a NUL or other control character: refused before any view
        assert "Location" not in response.headers
        return
    assert response.status_code == 302
    assert _stays_here(response.headers["Location"]), response.headers["Location"]


@pytest.mark.parametrize("payload", ["\t//evil.com", "/\\evil.com", "/\n/evil.com"])
def test_two_factor_sign_in_never_leaves_the_site(client, db, payload):
    from app.accounts.models import Role
    user = make_user(role=Role.ADMIN)
    response = client.post("/accounts/login", query_string={"next": payload},
                           data={"username": user.username, "password": PASSWORD})
    assert response.headers["Location"].endswith("/accounts/2fa")
    response = client.post("/accounts/2fa", data={"code": code_for(user)})
    assert response.status_code == 302
    assert _stays_here(response.headers["Location"]), response.headers["Location"]


def test_sign_in_keeps_a_path_on_this_host(client, db):
    user = make_user()
    response = client.post("/accounts/login", query_string={"next": "/reports/mine"},
                           data={"username": user.username, "password": PASSWORD})
    assert response.headers["Location"] == "/reports/mine"


def test_huge_id_in_the_path_is_a_404(client, db, login):
    login(make_user())
    assert client.get("/reports/99999999999999999999999").status_code == 404


def test_huge_page_number_is_ignored(client, db, login):
    login(make_user())
    assert client.get("/reports/mine?page=99999999999999999999999").status_code == 200


def test_deep_json_is_a_clear_400(client, db):
    from app.api.tokens import create_token
    _token, secret = create_token(make_user())
    body = "[" * 10000 + "]" * 10000
    response = client.post("/api/v1/reports", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "deep-1"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "nests deeper" in error["message"] and "ชั้น" in error["message_th"]


def test_large_json_is_a_clear_400(app, client, db):
    from app.api.tokens import create_token
    _token, secret = create_token(make_user())
    body = json.dumps({"narrative": "x" * (app.config["JSON_MAX_BYTES"] + 1)})
    response = client.post("/api/v1/reports", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "big-1"})
    assert response.status_code == 400
    assert "larger than" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("text", ["\\ud800 lone surrogate", "a NUL \\u0000 here"])
def test_unstorable_text_in_json_is_a_400_naming_the_field(client, db, text):
    from app.api.tokens import create_token
    _token, secret = create_token(make_user())
    body = '{"category": "crime.theft", "lat": 7.2, "lon": 100.6, "narrative": "' + text + '"}'
    response = client.post("/api/v1/reports", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "sur-1"})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith("narrative:")


@pytest.mark.parametrize("path", ["/accounts/login", "/api/v1/categories", "/open311/v2/services.json"])
def test_a_method_the_resource_lacks_is_a_405_that_says_which_it_has(client, db, path):
    response = client.open(path, method="TRACE")
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert "GET" in allowed and "TRACE" not in allowed and "DELETE" not in allowed
    if path.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_options_on_the_api_lists_only_the_documented_methods(client, db):
    response = client.options("/api/v1/reports")
    assert response.status_code == 204
    assert {m.strip() for m in response.headers["Allow"].split(",")} == {"GET", "POST", "HEAD", "OPTIONS"}
