"""Doubts about a pin the member must resolve: a stale GPS fix in another province, a pin at sea, a photo
taken far from the pin. Each is shown in the member's language with the distance and needs a confirmation."""
import io
import json

import pytest
from shapely.geometry import box, mapping

from app.extensions import db
from app.reports.models import Report
from app.stations.adminareas import import_admin_areas
from tests.api.helpers import bearer, new_report_body, token_for
from tests.reports.factories_reports import WEST_POINT, form_data, jpeg_bytes

BANGKOK = (13.7563, 100.5018)
AT_SEA = (7.20, 100.75)  # about 5.5 km east of the last tambon
PHOTO_ELSEWHERE = (7.25, 100.65)  # about 12 km from WEST_POINT, inside the province


@pytest.fixture()
def province(world, tmp_path):
    """Two Songkhla tambon covering both stations' areas, and the PAO's province set to Songkhla."""
    props = {"amphoe_code": "9001", "amphoe_th": "เมืองสงขลา", "amphoe_en": "Mueang Songkhla",
             "province_code": "90", "province_th": "สงขลา", "province_en": "Songkhla"}
    features = [{"type": "Feature", "geometry": mapping(box(100.50, 7.10, 100.60, 7.30)),
                 "properties": {"tambon_code": "900101", "tambon_th": "บ่อยาง", "tambon_en": "Bo Yang", **props}},
                {"type": "Feature", "geometry": mapping(box(100.60, 7.10, 100.70, 7.30)),
                 "properties": {"tambon_code": "900102", "tambon_th": "เขารูปช้าง", "tambon_en": "Khao Rup Chang",
                                **props}}]
    path = tmp_path / "tambon.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    import_admin_areas(path)
    pao = world.member.pao
    pao.province_code, pao.province_th, pao.province_en = "90", "สงขลา", "Songkhla"
    db.session.commit()
    return world


def _preview(client, world, point, photo=None, lang="en"):
    query = f"/reports/api/preview?category_id={world.category.id}&lat={point[0]}&lon={point[1]}&lang={lang}"
    if photo:
        query += f"&photo_lat={photo[0]}&photo_lon={photo[1]}"
    return client.get(query).get_json()


def test_preview_names_tambon_amphoe_and_province_in_both_languages(member_client, province):
    body = _preview(member_client, province, WEST_POINT)
    assert body["place_text"] == "Tambon Bo Yang, Amphoe Mueang Songkhla, Songkhla" and body["warnings"] == []
    assert _preview(member_client, province, WEST_POINT, lang="th")["place_text"] == "ต.บ่อยาง อ.เมืองสงขลา จ.สงขลา"


def test_a_pin_in_bangkok_is_outside_the_province_and_must_be_confirmed(member_client, province):
    body = _preview(member_client, province, BANGKOK)
    assert [w["kind"] for w in body["warnings"]] == ["outside_province"]
    assert "Outside Songkhla province" in body["warnings"][0]["message"] and " km" in body["warnings"][0]["message"]
    thai = _preview(member_client, province, BANGKOK, lang="th")["warnings"][0]["message"]
    assert "สงขลา" in thai and "กม." in thai and "Outside" not in thai

    data = form_data(province, lat=str(BANGKOK[0]), lon=str(BANGKOK[1]), lang="en")
    page = member_client.post("/reports/new?lang=en", data=data).get_data(as_text=True)
    assert db.session.scalar(db.select(Report)) is None
    assert 'name="confirm_outside"' in page and "Outside Songkhla province" in page
    assert "Motorbikes are stolen" in page  # what the member typed stays
    data["confirm_outside"] = "y"
    assert member_client.post("/reports/new", data=data).status_code == 302
    report = db.session.scalar(db.select(Report))
    assert report.outside_province and report.tambon_code is None


def test_a_pin_at_sea_needs_the_place_confirmed(member_client, province):
    body = _preview(member_client, province, AT_SEA)
    assert [w["kind"] for w in body["warnings"]] == ["offshore"]
    assert "at sea" in body["warnings"][0]["message"] and "5." in body["warnings"][0]["message"]
    data = form_data(province, lat=str(AT_SEA[0]), lon=str(AT_SEA[1]))
    response = member_client.post("/reports/new", data=data)
    assert response.status_code == 200 and db.session.scalar(db.select(Report)) is None
    assert 'name="confirm_place"' in response.get_data(as_text=True)
    data["confirm_place"] = "y"
    assert member_client.post("/reports/new", data=data).status_code == 302
    assert not db.session.scalar(db.select(Report)).outside_province


def test_a_photo_taken_far_from_the_pin_must_be_confirmed_and_the_photo_is_kept(member_client, province, photo_dir):
    assert [w["kind"] for w in _preview(member_client, province, WEST_POINT, photo=PHOTO_ELSEWHERE)["warnings"]] \
        == ["photo_far"]
    data = form_data(province)
    data["photos"] = [(io.BytesIO(jpeg_bytes(gps=PHOTO_ELSEWHERE)), "far.jpg")]
    page = member_client.post("/reports/new?lang=en", data=data, content_type="multipart/form-data") \
        .get_data(as_text=True)
    assert "The photo was taken about 12.4 km" in page and db.session.scalar(db.select(Report)) is None
    assert "/reports/staged/" in page  # the photo is listed as kept, not lost
    data.pop("photos")
    data["confirm_place"] = "y"
    assert member_client.post("/reports/new", data=data).status_code == 302
    report = db.session.scalar(db.select(Report))
    assert len(report.photos) == 1


def test_a_photo_taken_at_the_pin_raises_no_doubt(member_client, province, photo_dir):
    data = form_data(province)
    data["photos"] = [(io.BytesIO(jpeg_bytes(gps=WEST_POINT)), "here.jpg")]
    assert member_client.post("/reports/new", data=data, content_type="multipart/form-data").status_code == 302


def test_without_a_province_set_only_the_sea_and_photo_checks_apply(member_client, world, tmp_path, province):
    world.member.pao.province_code = None
    db.session.commit()
    assert _preview(member_client, world, BANGKOK)["warnings"] == []


def test_api_answers_409_with_the_outside_province_confirmation(client, province):
    headers = bearer(token_for(province.member), **{"Idempotency-Key": "outside-1"})
    body = new_report_body(province, lat=BANGKOK[0], lon=BANGKOK[1])
    response = client.post("/api/v1/reports", json=body, headers=headers)
    assert response.status_code == 409, response.get_data(as_text=True)
    needs = response.get_json()["error"]["confirmations"]["outside_province"]
    assert needs["confirm_with"] == "confirm_outside" and needs["kinds"] == ["outside_province"]
    assert "Songkhla" in needs["message"] and "สงขลา" in needs["message_th"]
    response = client.post("/api/v1/reports", json={**body, "confirm_outside": True}, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert db.session.scalar(db.select(Report)).outside_province
