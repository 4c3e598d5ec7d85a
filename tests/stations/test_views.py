"""Station pages: who may open them, the coverage map data, uploads that fail cleanly, PAOs, re-routing."""
import io
import json

import pytest

from app.accounts.models import Role
from app.categories.models import Category
from app.reports.routing_service import route_report
from app.stations.importers import import_areas
from app.stations.models import JurisdictionArea, Mou, Pao, Station
from tests.factories import make_category, make_mou, make_pao, make_report, make_station, make_user
from tests.stations.helpers import EAST, IN_EAST, WEST, collection, feature, write_json


def count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture()
def world(db, tmp_path):
    west = make_station(code="west", lat=7.02, lon=100.42)
    east = make_station(code="east", lat=7.02, lon=100.47)
    far = make_station(code="far", lat=None, lon=None)
    pao = make_pao(code="songkhla", coordinator=far)
    other = make_pao(code="satun")
    make_mou(pao=pao, station=west)
    make_mou(pao=other, station=east)
    make_category(code="traffic")
    import_areas(write_json(tmp_path / "a.geojson", collection(feature("west", WEST), feature("east", EAST))),
                 key="station")
    db.session.commit()
    return {"pao": pao, "other": other, "west": west, "east": east, "far": far}


def user(db, role, **kwargs):
    made = make_user(role=role, **kwargs)
    db.session.commit()
    return made


@pytest.mark.parametrize("role, status", [(Role.ADMIN, 200), (Role.PAO_COORDINATOR, 200),
                                          (Role.COUNCIL_MEMBER, 403), (Role.DESK_OFFICER, 403)])
def test_coverage_page_by_role(db, login, world, role, status):
    client = login(user(db, role, pao=world["pao"] if role in (Role.PAO_COORDINATOR, Role.COUNCIL_MEMBER) else None))
    page = client.get("/stations/coverage")
    assert page.status_code == status
    assert client.get("/stations/coverage.geojson").status_code == status
    if status == 403:
        assert client.post("/reports/reroute", data={"pao": "songkhla"}).status_code == 403
    if status == 200:
        html = page.get_data(as_text=True)
        assert 'id="coverage-map"' in html and "/stations/leaflet/leaflet.js" in html and "js/coverage.js" in html
        assert "<script>" not in html and "onclick" not in html
        assert "<table>" in html and "west" in html


def test_anonymous_is_sent_to_login(client, world):
    assert client.get("/stations/coverage").status_code == 302


def test_coverage_data_is_coloured_for_the_coordinators_own_pao(db, login, world):
    client = login(user(db, Role.PAO_COORDINATOR, pao=world["pao"]))
    data = client.get("/stations/coverage.geojson?pao=satun").get_json()  # ?pao is ignored for coordinators
    areas = {f["properties"]["code"]: f for f in data["features"] if f["properties"]["kind"] == "area"}
    points = {f["properties"]["code"] for f in data["features"] if f["properties"]["kind"] == "station"}
    assert areas["west"]["properties"]["status"] == "all" and areas["east"]["properties"]["status"] == "none"
    assert areas["west"]["geometry"]["type"] == "Polygon" and len(areas["west"]["properties"]["mous"]) == 1
    assert points == {"west", "east"}  # 'far' has no location


def test_admin_chooses_the_pao(db, login, world):
    client = login(user(db, Role.ADMIN))
    data = client.get("/stations/coverage.geojson?pao=satun").get_json()
    status = {f["properties"]["code"]: f["properties"]["status"] for f in data["features"]}
    assert status == {"west": "none", "east": "all"}
    assert client.get("/stations/coverage?pao=nowhere").status_code == 404
    assert "satun" in client.get("/stations/coverage?pao=satun").get_data(as_text=True)


def test_leaflet_is_served_locally(client):
    assert client.get("/stations/leaflet/leaflet.js").status_code == 200
    assert client.get("/stations/leaflet/leaflet.css").status_code == 200
    assert client.get("/stations/leaflet/images/marker-icon.png").status_code == 200


@pytest.mark.parametrize("url", ["/stations/", "/stations/import/stations", "/stations/import/areas",
                                 "/stations/import/mous", "/stations/paos"])
def test_admin_pages_are_for_admins_only(db, login, world, url):
    assert login(user(db, Role.PAO_COORDINATOR, pao=world["pao"])).get(url).status_code == 403


def test_admin_pages_render(db, login, world):
    client = login(user(db, Role.ADMIN))
    for url in ("/stations/", "/stations/import/stations", "/stations/import/areas", "/stations/import/mous",
                "/stations/paos"):
        page = client.get(url)
        assert page.status_code == 200, url


def upload(text, name):
    return (io.BytesIO(text.encode("utf-8") if isinstance(text, str) else text), name)


def test_stations_upload_rejects_a_bad_file_beside_the_field(db, login, world):
    client = login(user(db, Role.ADMIN))
    before = count(db, Station)
    page = client.post("/stations/import/stations", data={"file": upload(
        "code,name_th,name_en,lat,lon\nnew_one,ก,A,7,100\nbad,ข,B,x,100\n", "s.csv")},
        content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "s.csv line 3: lat &#39;x&#39; is not a number" in html and 'class="error"' in html
    assert 'enctype="multipart/form-data"' in html
    assert count(db, Station) == before
    wrong_type = client.post("/stations/import/stations", data={"file": upload("x", "s.txt")},
                             content_type="multipart/form-data")
    assert wrong_type.status_code == 400
    assert client.post("/stations/import/stations", data={}, content_type="multipart/form-data").status_code == 400


def test_stations_upload_shows_the_result(db, login, world):
    client = login(user(db, Role.ADMIN))
    page = client.post("/stations/import/stations", data={"file": upload(
        "code,name_th,name_en,lat,lon\nnew_one,ก,A,7,100\nnew_two,ข,B,,\n", "s.csv")},
        content_type="multipart/form-data")
    assert page.status_code == 200
    assert "new_two" in page.get_data(as_text=True)  # the warning about the missing location
    assert db.session.scalar(db.select(Station).where(Station.code == "new_one")) is not None


def test_areas_upload(db, login, world):
    client = login(user(db, Role.ADMIN))
    before = count(db, JurisdictionArea)
    bad = client.post("/stations/import/areas", data={
        "file": upload(json.dumps(collection(feature("west", {"type": "Point", "coordinates": [100.4, 7]}))),
                       "a.geojson"),
        "key": "station"}, content_type="multipart/form-data")
    assert bad.status_code == 400
    assert "a.geojson feature 1 (station=west): geometry is a Point" in bad.get_data(as_text=True)
    good = client.post("/stations/import/areas", data={
        "file": upload(json.dumps(collection(feature("1", WEST, key="t"), feature("2", EAST, key="t"))), "a.geojson"),
        "mapping": upload("t,station_code\n1,east\n", "m.csv"), "key": "t"}, content_type="multipart/form-data")
    assert good.status_code == 200
    assert "not assigned to a station by m.csv" in good.get_data(as_text=True)
    assert count(db, JurisdictionArea) == before


def test_mous_upload(db, login, world):
    client = login(user(db, Role.ADMIN))
    header = "station_code,signed_on,effective_from,expires_on,categories,status\n"
    bad = client.post("/stations/import/mous", data={
        "file": upload(header + "east,2025-01-01,2025-01-01,,burglary,active\n", "m.csv"), "pao": "songkhla"},
        content_type="multipart/form-data")
    assert bad.status_code == 400 and "unknown category code(s): burglary" in bad.get_data(as_text=True)
    assert count(db, Mou) == 2
    good = client.post("/stations/import/mous", data={
        "file": upload(header + "east,2025-01-01,2025-01-01,,traffic,active\n", "m.csv"), "pao": "songkhla"},
        content_type="multipart/form-data")
    assert good.status_code == 200 and count(db, Mou) == 3


def test_pao_create_and_coordinator(db, login, world):
    client = login(user(db, Role.ADMIN))
    bad = client.post("/stations/paos", data={"code": "Bad Code", "name_th": "", "name_en": "X", "prefix": "1"})
    assert bad.status_code == 400 and count(db, Pao) == 2
    clash = client.post("/stations/paos", data={"code": "songkhla", "name_th": "ก", "name_en": "X", "prefix": "SKZ"})
    assert clash.status_code == 400 and "exists already" in clash.get_data(as_text=True)
    made = client.post("/stations/paos", data={"code": "pattani", "name_th": "ปัตตานี", "name_en": "Pattani",
                                               "prefix": "ptn", "coordinator": "east"})
    assert made.status_code == 302
    pattani = db.session.scalar(db.select(Pao).where(Pao.code == "pattani"))
    assert (pattani.reference_prefix, pattani.coordinator_station.code) == ("PTN", "east")
    assert client.post("/stations/paos/pattani/coordinator", data={"station": "west"}).status_code == 302
    db.session.expire_all()
    assert pattani.coordinator_station.code == "west"
    assert client.post("/stations/paos/nowhere/coordinator", data={"station": "west"}).status_code == 404


def test_coordinator_reroutes_own_pao_reports(db, login, world):
    traffic = db.session.scalar(db.select(Category))
    mine = make_report(pao=world["pao"], category=traffic, lat=IN_EAST[0], lon=IN_EAST[1])
    theirs = make_report(pao=world["other"], category=traffic, lat=IN_EAST[0], lon=IN_EAST[1])
    route_report(mine)
    route_report(theirs)
    assert (mine.station.code, theirs.station.code) == ("far", "east")
    make_mou(pao=world["pao"], station=world["east"])  # east now signs with songkhla too
    from app.stations.services import bump_routing_version
    bump_routing_version()
    db.session.commit()
    client = login(user(db, Role.PAO_COORDINATOR, pao=world["pao"]))
    response = client.post("/reports/reroute", data={"pao": "satun"})  # a coordinator's PAO is their own
    assert response.status_code == 302 and "pao=songkhla" in response.headers["Location"]
    db.session.expire_all()
    assert mine.station.code == "east" and len(mine.routing_decisions) == 2
    assert len(theirs.routing_decisions) == 1


@pytest.mark.parametrize("url,status", [("/stations/coverage?pao=%00", 400),  # NUL: refused before any view
                                        ("/stations/coverage.geojson?pao=x%0A", 404)])
def test_garbage_pao_codes_are_not_found(db, login, world, url, status):
    assert login(user(db, Role.ADMIN)).get(url).status_code == status


def test_garbage_in_forms_is_refused_not_a_server_error(db, login, world):
    client = login(user(db, Role.ADMIN))
    made = client.post("/stations/paos", data={"code": "pattani", "name_th": "ปัต\x00ตานี", "name_en": "P",
                                               "prefix": "PTN"})
    assert made.status_code == 400 and count(db, Pao) == 2
    assert client.post("/stations/paos/%00/coordinator", data={"station": "west"}).status_code == 404
    assert client.post("/stations/paos/songkhla/coordinator", data={"station": "\x00"}).status_code == 302
