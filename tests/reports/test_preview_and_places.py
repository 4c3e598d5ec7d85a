"""The pin's preview (tambon/amphoe, station and why), boundary confirmation, and admin-area import."""
import json

from shapely.geometry import box, mapping

from app.extensions import db
from app.reports.models import Report
from app.stations.adminareas import import_admin_areas, locate_place_name
from app.stations.cli import adminareas_cli
from app.stations.models import AdminArea
from tests.reports.conftest import get_en
from tests.reports.factories_reports import BOUNDARY_POINT, EAST_POINT, WEST_POINT, form_data


def _tambon_file(tmp_path):
    features = [
        {"type": "Feature", "geometry": mapping(box(100.50, 7.10, 100.60, 7.30)),
         "properties": {"tambon_code": "900101", "tambon_th": "บ่อยาง", "tambon_en": "Bo Yang",
                        "amphoe_code": "9001", "amphoe_th": "เมืองสงขลา", "amphoe_en": "Mueang Songkhla",
                        "province_code": "90"}},
        {"type": "Feature", "geometry": mapping(box(100.60, 7.10, 100.70, 7.30)),
         "properties": {"tambon_code": "900102", "tambon_th": "เขารูปช้าง", "tambon_en": "Khao Rup Chang",
                        "amphoe_code": "9001", "amphoe_th": "เมืองสงขลา", "amphoe_en": "Mueang Songkhla",
                        "province_code": "90"}},
    ]
    path = tmp_path / "tambon.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_preview_names_the_station_and_explains(member_client, world):
    body = get_en(member_client, f"/reports/api/preview?category_id={world.category.id}"
                                 f"&lat={WEST_POINT[0]}&lon={WEST_POINT[1]}").get_json()
    assert body["station"]["code"] == world.west.code and body["station"]["name"] == "West Station"
    assert body["rule"] == "area" and body["near_boundary"] is False and body["explanation"]
    assert body["place"] is None  # no tambons imported


def test_preview_rejects_bad_input_with_the_field(member_client, world):
    for query, field in ((f"category_id={world.category.id}&lat=nan&lon=100", "lat"),
                         (f"category_id={world.category.id}&lat=7&lon=", "lon"),
                         ("category_id=999&lat=7&lon=100", "category_id"),
                         (f"category_id={world.category.parent_id}&lat=7&lon=100", "category_id")):
        response = member_client.get(f"/reports/api/preview?{query}")
        assert response.status_code == 400 and response.get_json()["error"]["field"] == field


def test_near_boundary_pin_needs_confirmation(member_client, world):
    data = form_data(world, lat=str(BOUNDARY_POINT[0]), lon=str(BOUNDARY_POINT[1]))
    response = member_client.post("/reports/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and db.session.scalar(db.select(Report)) is None
    assert '<div id="boundary-confirm" class="boundary">' in page and 'name="confirm_place"' in page
    data["confirm_place"] = "y"
    assert member_client.post("/reports/new", data=data).status_code == 302
    report = db.session.scalar(db.select(Report))
    assert report.station_id == world.west.id and report.routing_decisions[-1].near_boundary


def test_import_admin_areas_and_locate(app, db, tmp_path):
    path = _tambon_file(tmp_path)
    assert import_admin_areas(path, level="tambon") == 2
    assert import_admin_areas(path, level="tambon") == 2  # updates, no duplicates
    assert db.session.scalar(db.select(db.func.count(AdminArea.id))) == 2
    place = locate_place_name(*EAST_POINT)
    assert (place.tambon_en, place.amphoe_th) == ("Khao Rup Chang", "เมืองสงขลา")
    assert locate_place_name(6.0, 99.0) is None


def test_preview_shows_tambon_and_amphoe_when_known(member_client, world, tmp_path):
    import_admin_areas(_tambon_file(tmp_path))
    db.session.commit()
    body = get_en(member_client, f"/reports/api/preview?category_id={world.category.id}"
                                 f"&lat={WEST_POINT[0]}&lon={WEST_POINT[1]}").get_json()
    assert body["place"]["tambon_th"] == "บ่อยาง"
    assert body["place_text"] == "Tambon Bo Yang, Amphoe Mueang Songkhla"


def test_cli_imports_and_reports_bad_files(app, db, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(adminareas_cli, ["import", str(_tambon_file(tmp_path)), "--level", "tambon"])
    assert result.exit_code == 0 and "tambon: 2 areas written" in result.output
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"features": [{"geometry": mapping(box(0, 0, 1, 1)), "properties": {}}]}))
    result = runner.invoke(adminareas_cli, ["import", str(bad)])
    assert result.exit_code != 0 and "has no tambon_code" in result.output


def test_songkhla_tambons_from_shared_data(app, db, shared_data):
    assert import_admin_areas(shared_data / "songkhla_tambon.geojson") == 127
    place = locate_place_name(7.20091, 100.594294)  # the label point of tambon Bo Yang
    assert place.tambon_th == "บ่อยาง" and place.amphoe_en == "Mueang Songkhla"


def test_filed_report_keeps_the_tambon_codes_and_the_decision_it_was_shown(member_client, world, tmp_path):
    import_admin_areas(_tambon_file(tmp_path))
    db.session.commit()
    preview = get_en(member_client, f"/reports/api/preview?category_id={world.category.id}"
                                    f"&lat={EAST_POINT[0]}&lon={EAST_POINT[1]}").get_json()
    data = form_data(world, lat=str(EAST_POINT[0]), lon=str(EAST_POINT[1]))
    assert member_client.post("/reports/new", data=data).status_code == 302
    report = db.session.scalar(db.select(Report))
    assert (report.tambon_code, report.amphoe_code) == ("900102", "9001")
    decision = report.routing_decisions[-1]
    assert (report.station.code, decision.rule) == (preview["station"]["code"], preview["rule"]) == (world.east.code,
                                                                                                      "area")
    assert decision.explanation_en == preview["explanation"]



def test_a_pin_is_checked_with_one_read_of_the_data_versions(world, tmp_path):
    # Routing and the place name each cache their data per process; both are checked in one statement, and
    # a new import of either is seen by the very next check.
    from sqlalchemy import event

    from app.reports.intake import check_place

    import_admin_areas(_tambon_file(tmp_path))
    check_place(pao=world.pao, category=world.category, lat=7.2, lon=100.55)
    seen = []

    def listen(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        decision, place, _warnings = check_place(pao=world.pao, category=world.category, lat=7.2, lon=100.55)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert decision is not None and place.tambon_en == "Bo Yang"
    assert seen == [s for s in seen if "data_versions" in s] and len(seen) == 1
    renamed = _tambon_file(tmp_path)
    renamed.write_text(renamed.read_text(encoding="utf-8").replace("Bo Yang", "Bo Yang Nuea"), encoding="utf-8")
    import_admin_areas(renamed)
    assert check_place(pao=world.pao, category=world.category, lat=7.2, lon=100.55)[1].tambon_en == "Bo Yang Nuea"
