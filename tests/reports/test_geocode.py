"""Place search through geopy against a real local HTTP server, and a real unreachable one."""
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from app.reports.geocode import GeocodingUnavailable, search_places


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim's JSON output format."""

    requests = []

    def do_GET(self):  # noqa: N802 - the http.server API
        url = urlparse(self.path)
        query = parse_qs(url.query)
        FakeNominatim.requests.append((url.path, query, self.headers.get("User-Agent")))
        places = []
        if "ตลาด" in query.get("q", [""])[0] or "market" in query.get("q", [""])[0]:
            places = [
                {"place_id": 1, "lat": "7.2001234", "lon": "100.5951234", "display_name": "ตลาดสดเทศบาล, สงขลา",
                 "boundingbox": ["7.19", "7.21", "100.59", "100.60"], "class": "amenity", "type": "marketplace"},
                {"place_id": 2, "lat": "7.0101", "lon": "100.4701", "display_name": "Kim Yong Market, Hat Yai",
                 "boundingbox": ["7.00", "7.02", "100.46", "100.48"], "class": "amenity", "type": "marketplace"},
            ]
        body = json.dumps(places).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def nominatim(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNominatim.requests = []
    app.config.update(GEOCODER_DOMAIN=f"127.0.0.1:{server.server_port}", GEOCODER_SCHEME="http",
                      GEOCODER_USER_AGENT="ruamkan-test/1", GEOCODER_MIN_DELAY=0, GEOCODER_TIMEOUT=3)
    yield server
    server.shutdown()
    server.server_close()
    for key in ("GEOCODER_DOMAIN", "GEOCODER_SCHEME", "GEOCODER_USER_AGENT", "GEOCODER_MIN_DELAY", "GEOCODER_TIMEOUT"):
        app.config.pop(key, None)


@pytest.fixture()
def closed_port(app):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now: connections are refused
    app.config.update(GEOCODER_DOMAIN=f"127.0.0.1:{port}", GEOCODER_SCHEME="http", GEOCODER_MIN_DELAY=0,
                      GEOCODER_TIMEOUT=2)
    yield port
    for key in ("GEOCODER_DOMAIN", "GEOCODER_SCHEME", "GEOCODER_MIN_DELAY", "GEOCODER_TIMEOUT"):
        app.config.pop(key, None)


def test_search_returns_places_from_a_nominatim_server(app, nominatim):
    with app.test_request_context():
        places = search_places("ตลาดสด สงขลา", "th")
    assert places == [{"lat": 7.200123, "lon": 100.595123, "label": "ตลาดสดเทศบาล, สงขลา"},
                      {"lat": 7.0101, "lon": 100.4701, "label": "Kim Yong Market, Hat Yai"}]
    path, query, agent = FakeNominatim.requests[-1]
    assert path == "/search" and query["format"] == ["json"] and query["countrycodes"] == ["th"]
    assert query["accept-language"] == ["th"] and agent == "ruamkan-test/1"


def test_unreachable_geocoder_raises_a_clear_error(app, closed_port):
    with app.test_request_context():
        with pytest.raises(GeocodingUnavailable):
            search_places("market", "en")


def test_geocode_endpoint_success_and_nothing_found(member_client, nominatim):
    body = member_client.get("/reports/api/geocode?q=market").get_json()
    assert body["results"][0]["lat"] == 7.200123 and body["message"] is None
    body = member_client.get("/reports/api/geocode?q=nowhere&lang=en").get_json()
    assert body["results"] == [] and "No place was found" in body["message"]
    response = member_client.get("/reports/api/geocode?q=a")
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "q"


def test_geocode_endpoint_says_when_search_is_unavailable(member_client, closed_port):
    response = member_client.get("/reports/api/geocode?q=market&lang=en")
    assert response.status_code == 503
    assert "Place search is not available right now" in response.get_json()["error"]["message"]


def test_form_search_works_without_javascript(member_client, world, nominatim):
    from tests.reports.factories_reports import form_data

    data = form_data(world, lat="", lon="", place_query="ตลาด", find_place="1", address_text="")
    page = member_client.post("/reports/new?lang=en", data=data).get_data(as_text=True)
    assert 'name="use_place" value="7.200123,100.595123,ตลาดสดเทศบาล, สงขลา"' in page
    data.pop("find_place")
    data["use_place"] = "7.200123,100.595123,ตลาดสดเทศบาล, สงขลา"
    page = member_client.post("/reports/new?lang=en", data=data).get_data(as_text=True)
    assert 'id="lat" name="lat" type="text" value="7.200123"' in page
    assert 'value="ตลาดสดเทศบาล, สงขลา"' in page
    assert 'id="preview-station"' in page  # the pin's station is shown after the round trip


def test_form_search_unavailable_message_without_javascript(member_client, world, closed_port):
    from tests.reports.factories_reports import form_data

    data = form_data(world, place_query="market", find_place="1")
    response = member_client.post("/reports/new?lang=en", data=data)
    assert response.status_code == 200
    assert "Place search is not available right now" in response.get_data(as_text=True)
