"""The editor's map tools over HTTP: a drawn part, a GeoJSON import with its errors (what was chosen kept),
giving a part back, the tambon in a box, placing a station without a point; another PAO touches nothing."""
import io
import json

import pytest
from shapely.geometry import box, mapping

from app.accounts.models import Role
from app.reports.routing_service import clear_index_cache, route_report
from app.stations.jurisdiction import bangkok_today, get_draft, versions
from tests.factories import make_mou, make_pao, make_report, make_station, make_user
from tests.stations.jurisdiction_world import build_world

DRAWN = json.dumps([[100.43, 7.01], [100.445, 7.01], [100.445, 7.03], [100.43, 7.03]])


@pytest.fixture()
def world(db, tmp_path):
    clear_index_cache()
    made = build_world(tmp_path)
    made["other"] = make_pao(code="satun")
    made["other"].province_code = "91"
    made["lost"] = make_station(code="lost", lat=None, lon=None)
    make_mou(pao=made["pao"], station=made["lost"])
    made["stranger"] = make_station(code="stranger", lat=None, lon=None)  # no MOU with songkhla
    db.session.commit()
    yield made
    clear_index_cache()


def _client(db, login, pao):
    user = make_user(role=Role.PAO_COORDINATOR, pao=pao, language="en")
    db.session.commit()
    return login(user)


def _upload(data, name="parts.geojson"):
    return {"file": (io.BytesIO(data), name)}


def test_draw_publish_and_route_through_http(db, login, world):
    client = _client(db, login, world["pao"])
    page = client.post("/stations/jurisdiction/parts", data={"points": DRAWN, "station": "east", "tambon": "900102"})
    assert page.status_code == 302
    (part,) = get_draft(world["pao"]).parts
    data = client.get("/stations/jurisdiction.geojson").get_json()
    assert [f["properties"]["part"] for f in data["features"] if "part" in f["properties"]] == [part.id]
    body = client.get("/stations/jurisdiction").get_data(as_text=True)
    assert f'data-part="{part.id}"' in body and "Give back" in body
    today = bangkok_today().isoformat()
    published = client.post("/stations/jurisdiction/publish", data={"effective_from": today, "confirm": "yes"})
    assert published.status_code == 302
    compared = client.get("/stations/jurisdiction/compare?a=1&b=draft").get_data(as_text=True)
    assert "0 only in" in compared  # the draft starts with version 1's part
    report = make_report(pao=world["pao"], category=world["category"], lat=7.02, lon=100.44)
    route_report(report)
    assert report.station == world["east"]
    assert world["east"].name_en in report.routing_decisions[-1].explanation_en


def test_a_refused_drawing_keeps_the_points_and_choices(db, login, world):
    client = _client(db, login, world["pao"])
    bow_tie = json.dumps([[100.43, 7.01], [100.44, 7.03], [100.44, 7.01], [100.43, 7.03]])
    answer = client.post("/stations/jurisdiction/parts", data={"points": bow_tie, "station": "east",
                                                                "tambon": "900102"})
    assert answer.status_code == 400
    body = answer.get_data(as_text=True)
    assert "must not cross itself" in body
    assert 'value="east" selected' in body
    assert 'value="900102" selected' in body and "100.43, 7.01" in body.replace("&#34;", '"')
    thai = client.post("/stations/jurisdiction/parts?lang=th", data={"points": DRAWN, "station": ""},
                       headers={"Accept-Language": "th"})
    assert thai.status_code == 400 and "เลือกสถานีที่จะได้รับส่วนนี้" in thai.get_data(as_text=True)
    huge = client.post("/stations/jurisdiction/parts", data={"points": "[" + "[100.43, 7.01]," * 9000 + "[1, 2]]",
                                                             "station": "east"})
    assert huge.status_code == 400 and "ไม่เกิน 1000 จุด" in huge.get_data(as_text=True)  # Thai since ?lang=th
    assert not get_draft(world["pao"]).parts


def test_import_errors_and_giving_back(db, login, world):
    client = _client(db, login, world["pao"])
    bad = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"station": "nowhere"}, "geometry": mapping(box(100.43, 7.01, 100.44, 7.02))},
        {"type": "Feature", "properties": {"station": "east", "tambon": "900201"},
         "geometry": mapping(box(100.43, 7.01, 100.44, 7.02))}]}).encode()
    answer = client.post("/stations/jurisdiction/parts/import", data=_upload(bad), content_type="multipart/form-data")
    assert answer.status_code == 400
    body = answer.get_data(as_text=True)
    assert "feature 1: unknown station code &#39;nowhere&#39;" in body and "feature 2: the part does not lie" in body
    assert client.post("/stations/jurisdiction/parts/import", data=_upload(b"x" * (2 * 1024 * 1024 + 10)),
                       content_type="multipart/form-data").status_code == 400
    assert client.post("/stations/jurisdiction/parts/import", data={}).status_code == 400
    good = json.dumps({"type": "Feature", "properties": {"station_code": "east"},
                       "geometry": mapping(box(100.43, 7.01, 100.44, 7.02))}).encode()
    assert client.post("/stations/jurisdiction/parts/import", data=_upload(good),
                       content_type="multipart/form-data").status_code == 302
    (part,) = get_draft(world["pao"]).parts
    assert client.post(f"/stations/jurisdiction/parts/{part.id}/delete").status_code == 302
    db.session.expire_all()
    assert not get_draft(world["pao"]).parts


def test_box_lists_the_tambon_it_meets(db, login, world):
    client = _client(db, login, world["pao"])
    answer = client.get("/stations/jurisdiction/box.json?bbox=100.44,7.01,100.46,7.02")
    assert answer.get_json() == {"tambon": ["900102", "900201"]}
    assert client.get("/stations/jurisdiction/box.json?bbox=1,2").status_code == 400
    assert client.get("/stations/jurisdiction/box.json?bbox=100.5,7,100.4,7.1").status_code == 400


def test_placing_a_station_without_a_point(db, login, world):
    client = _client(db, login, world["pao"])
    page = client.get("/stations/jurisdiction").get_data(as_text=True)
    assert 'data-station="lost"' in page and 'data-station="stranger"' not in page and "data-centre=" in page
    outside = client.post("/stations/jurisdiction/station-point", data={"station": "lost", "lat": "13.7",
                                                                        "lon": "100.5"})
    assert outside.status_code == 400 and "outside the province" in outside.get_data(as_text=True)
    assert 'value="13.7"' in outside.get_data(as_text=True)
    done = client.post("/stations/jurisdiction/station-point", data={"station": "lost", "lat": "7.02",
                                                                     "lon": "100.41"}, follow_redirects=True)
    assert done.status_code == 200 and "is saved" in done.get_data(as_text=True)
    db.session.expire_all()
    assert (world["lost"].lat, world["lost"].lon) == (7.02, 100.41)
    assert client.post("/stations/jurisdiction/station-point", data={"station": "stranger", "lat": "7.02",
                                                                     "lon": "100.41"}).status_code == 404


def test_another_pao_touches_nothing(db, login, world):
    add = get_draft(world["pao"])
    from app.stations.jurisdiction_parts import add_part, polygon_from_points

    (part,) = add_part(add, polygon_from_points(json.loads(DRAWN)), world["east"], tambon_code="900102")
    db.session.commit()
    client = _client(db, login, world["other"])
    assert client.post("/stations/jurisdiction/parts?pao=songkhla", data={"points": DRAWN, "station": "east"}
                       ).status_code == 404
    assert client.post(f"/stations/jurisdiction/parts/{part.id}/delete?pao=songkhla").status_code == 404
    assert client.post(f"/stations/jurisdiction/parts/{part.id}/delete").status_code == 404  # own PAO: no province
    assert client.get("/stations/jurisdiction/box.json?pao=songkhla&bbox=100.4,7,100.5,7.1").status_code == 404
    assert client.post("/stations/jurisdiction/station-point?pao=songkhla",
                       data={"station": "lost", "lat": "7.02", "lon": "100.41"}).status_code == 404
    db.session.expire_all()
    assert len(get_draft(world["pao"]).parts) == 1 and world["lost"].lat is None and not versions(world["pao"])


def test_a_coordinator_with_a_province_cannot_remove_another_pao_part(db, login, world, tmp_path):
    from app.stations.jurisdiction_parts import add_part, polygon_from_points

    (part,) = add_part(get_draft(world["pao"]), polygon_from_points(json.loads(DRAWN)), world["east"])
    world["other"].province_code = "90"  # same tambon, its own draft
    db.session.commit()
    client = _client(db, login, world["other"])
    assert client.post(f"/stations/jurisdiction/parts/{part.id}/delete").status_code == 404
    db.session.expire_all()
    assert len(get_draft(world["pao"]).parts) == 1
