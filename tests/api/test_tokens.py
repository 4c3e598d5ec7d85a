"""Tokens and keys: hashed at rest, shown once, revocable (401 after), rate limited per token, CLI and page."""
import re

from app.api.models import ApiToken, TokenKind
from app.api.tokens import hash_token
from app.extensions import db
from tests.api.helpers import bearer, token_for
from tests.triage.helpers import signed_in


def test_only_the_hash_is_stored(world):
    secret = token_for(world.member)
    row = db.session.scalar(db.select(ApiToken))
    assert row.token_hash == hash_token(secret) and secret not in (row.token_hash, row.prefix, row.label)
    assert secret.startswith(f"rkt_{row.prefix}_") and row.kind == TokenKind.TOKEN


def test_a_revoked_token_gets_401(client, world):
    secret = token_for(world.west_desk)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    row = db.session.scalar(db.select(ApiToken))
    assert row.last_used_at is not None
    row.revoked_at = row.last_used_at
    db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_a_disabled_user_s_token_gets_401(client, world):
    secret = token_for(world.west_desk)
    world.west_desk.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_rate_limit_is_per_token_and_answers_429_in_the_json_shape(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per day")
    first, second = token_for(world.member), token_for(world.member2)
    for _ in range(3):
        assert client.get("/api/v1/categories", headers=bearer(first)).status_code == 200
    response = client.get("/api/v1/stations", headers=bearer(first))  # one budget across endpoints
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and error["message"] and error["message_th"] and error["fields"] == {}
    assert client.get("/api/v1/categories", headers=bearer(second)).status_code == 200
    # Open311 keys have their own budget, and the public answers one per address
    key = token_for(world.member, kind=TokenKind.APIKEY)
    assert client.get(f"/open311/v2/services.json?jurisdiction_id=songkhla&api_key={key}").status_code == 200
    for _ in range(3):
        client.get("/open311/v2/discovery.json")
    limited = client.get("/open311/v2/discovery.xml")
    assert limited.status_code == 429 and limited.content_type.startswith("text/xml")


def test_settings_page_creates_shows_once_and_revokes(app, world):
    client = signed_in(app, world.member)
    page = client.get("/settings/tokens")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    created = client.post("/settings/tokens", data={"label": "Ward office system", "kind": "token"})
    html = created.get_data(as_text=True)
    secret = re.search(r"<code>(rkt_[0-9a-f]{8}_[A-Za-z0-9_-]+)</code>", html).group(1)
    assert "Ward office system" in html
    api = app.test_client()
    assert api.get("/api/v1/me", headers=bearer(secret)).get_json()["username"] == world.member.username
    again = client.get("/settings/tokens").get_data(as_text=True)
    assert secret not in again and secret.split("_")[1] in again
    row = db.session.scalar(db.select(ApiToken))
    assert client.post(f"/settings/tokens/{row.id}/revoke").status_code == 302
    assert api.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    key_page = client.post("/settings/tokens", data={"label": "", "kind": "apikey"}).get_data(as_text=True)
    assert re.search(r"<code>rkk_[0-9a-f]{8}_", key_page)


def test_settings_page_is_signed_in_and_csrf_protected(app, world, monkeypatch):
    anonymous = app.test_client()
    assert anonymous.get("/settings/tokens").status_code == 302
    other = signed_in(app, world.member2)
    mine = token_for(world.member)
    row = db.session.scalar(db.select(ApiToken).where(ApiToken.prefix == mine.split("_")[1]))
    assert other.post(f"/settings/tokens/{row.id}/revoke").status_code == 404  # not theirs
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert other.post("/settings/tokens", data={"label": "x", "kind": "token"}).status_code == 400
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 1


def test_cli_creates_prints_once_lists_and_revokes(app, client, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tokens", "create", "--user", world.west_desk.username, "--label", "station system"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    result = runner.invoke(args=["apikeys", "create", "--user", world.member.username])
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("rkk_")
    assert client.get(f"/open311/v2/requests.json?jurisdiction_id=songkhla&api_key={key}").status_code == 200
    assert client.get("/api/v1/me", headers=bearer(key)).status_code == 401  # a key is not a Bearer token
    listed = runner.invoke(args=["tokens", "list"]).output
    assert secret.split("_")[1] in listed and "station system" in listed and key.split("_")[1] not in listed
    assert runner.invoke(args=["tokens", "revoke", secret.split("_")[1]]).exit_code == 0
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert runner.invoke(args=["tokens", "create", "--user", "nobody"]).exit_code != 0
