"""Real Songkhla data through a jurisdiction version: the 127 tambon assigned by the approximate mapping and
published; every tambon's label point then routes to its mapped station, as with `areas import --map`."""
import csv
import json

from app.categories.services import seed_categories
from app.core.timeutil import utcnow
from app.reports.jurisdiction_publish import publish_version
from app.reports.routing_service import clear_index_cache, preview_route
from app.stations.adminareas import import_admin_areas
from app.stations.importers import import_stations
from app.stations.jurisdiction import bangkok_today, draft_from_mapping, unassigned
from app.stations.models import Station
from tests.factories import make_mou, make_pao


def test_a_version_from_the_songkhla_mapping_routes_every_tambon(db, shared_data, tmp_path):
    clear_index_cache()
    stations_csv = tmp_path / "stations.csv"
    with open(shared_data / "songkhla_stations_approx.csv", encoding="utf-8") as source, \
            open(stations_csv, "w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target)
        writer.writerow(["code", "name_th", "name_en", "lat", "lon"])
        for row in csv.DictReader(source):
            writer.writerow([row["code"], row["name_th"], row["name_en"], row["approx_lat"], row["approx_lon"]])
    import_stations(stations_csv)
    seed_categories()
    pao = make_pao(code="songkhla")
    pao.province_code = "90"
    for station in db.session.scalars(db.select(Station)):
        make_mou(pao=pao, station=station)
    assert import_admin_areas(shared_data / "songkhla_tambon.geojson") == 127
    mapping_path = shared_data / "songkhla_jurisdiction_approx.csv"
    draft, warnings = draft_from_mapping(pao, mapping_path)
    assert warnings == [] and unassigned(draft) == []
    version = publish_version(draft, bangkok_today(), actor=None)
    assert version.number == 1

    with open(mapping_path, encoding="utf-8") as f:
        expected = {row["tambon_code"]: row["station_code"] for row in csv.DictReader(f)}
    features = json.loads((shared_data / "songkhla_tambon.geojson").read_text(encoding="utf-8"))["features"]
    wrong = []
    for item in features:
        props = item["properties"]
        decision = preview_route(lat=props["label_lat"], lon=props["label_lon"], category="traffic.street_racing",
                                 pao="songkhla", at=utcnow())
        if (decision.station_code, decision.rule) != (expected[props["tambon_code"]], "area"):
            wrong.append((props["tambon_code"], decision.station_code, decision.rule))
    assert wrong == []
    clear_index_cache()
