"""The app can be installed: manifest, icons, service worker script and the offline page."""
import io
import json

import pytest
from PIL import Image

from tests.factories import PASSWORD


@pytest.fixture()
def client(live):
    """A test client in its own app context (Flask-WTF keeps a request's CSRF token in g)."""
    with live.app.app_context():
        yield live.app.test_client()


def test_manifest_is_served_with_its_content_type_and_icons(client):
    response = client.get("/offline/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"].startswith("ร่วมกัน")
    assert manifest["short_name"] == "ร่วมกัน"
    assert manifest["start_url"] == "/home"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b4f8a"
    assert manifest["description"]
    purposes = set()
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200, icon["src"]
        assert image.mimetype == "image/png"
        width, height = Image.open(io.BytesIO(image.data)).size
        assert f"{width}x{height}" == icon["sizes"]
        assert len(image.data) < 20_000  # small icons: a phone on a thin signal downloads them
        purposes.add(icon["purpose"])
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    assert purposes == {"any", "maskable"}


def test_every_page_links_the_manifest_and_the_offline_scripts(client):
    page = client.get("/accounts/login").get_data(as_text=True)
    assert 'rel="manifest" href="/offline/manifest.webmanifest"' in page
    assert 'id="offline-js"' in page
    assert "<script>" not in page and " onclick=" not in page  # no inline script for the coming CSP


def test_service_worker_controls_the_whole_site_and_names_its_version(client):
    response = client.get("/offline/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    config = json.loads(body.split("\n", 1)[0].removeprefix("self.RUAMKAN_CONFIG = ").rstrip(";"))
    assert config["formUrl"] == "/reports/new"
    assert set(config["pages"]) == {"/home", "/reports/new", "/reports/mine"}
    assert "/static/js/intake.js" in config["precache"]
    assert "/stations/leaflet/leaflet.js" in config["precache"]
    for url in config["precache"] + config["scripts"]:
        assert client.get(url).status_code == 200, url
    assert len(config["version"]) == 16
    assert client.get("/offline/sw.js").get_data(as_text=True) == body  # stable while nothing changes


def test_offline_page_belongs_to_nobody(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert 'id="offline-page"' in response.get_data(as_text=True)
    assert "Sign out" not in response.get_data(as_text=True)


def test_session_gives_a_fresh_token_only_to_a_signed_in_user(live, client):
    anonymous = client.get("/offline/session")
    assert anonymous.json == {"user": None, "csrf_token": None}
    assert anonymous.headers["Cache-Control"] == "no-store"
    login_page = client.get("/accounts/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/accounts/login", data={"username": live.world.member.username, "password": PASSWORD,
                                         "csrf_token": token})
    signed_in = client.get("/offline/session").json
    assert signed_in["user"] == str(live.world.member.id)
    assert signed_in["csrf_token"]
