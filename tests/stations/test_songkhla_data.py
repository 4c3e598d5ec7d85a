"""Real Songkhla data: every tambon's label point routes to the station the mapping assigns it."""
import csv
import json
from datetime import date

from app.categories.services import seed_categories
from app.reports.routing_service import preview_route
from app.stations.importers import import_areas, import_stations
from app.stations.models import Station
from tests.factories import make_mou, make_pao


def test_every_tambon_label_routes_to_its_mapped_station(db, shared_data, tmp_path):
    stations_csv = tmp_path / "stations.csv"
    with open(shared_data / "songkhla_stations_approx.csv", encoding="utf-8") as source, \
            open(stations_csv, "w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target)
        writer.writerow(["code", "name_th", "name_en", "lat", "lon"])
        for row in csv.DictReader(source):
            writer.writerow([row["code"], row["name_th"], row["name_en"], row["approx_lat"], row["approx_lon"]])
    assert import_stations(stations_csv).created == 31
    seed_categories()
    pao = make_pao(code="songkhla")
    for station in db.session.scalars(db.select(Station)):
        make_mou(pao=pao, station=station)
    mapping_path = shared_data / "songkhla_jurisdiction_approx.csv"
    result = import_areas(shared_data / "songkhla_tambon.geojson", key="tambon_code", mapping_path=mapping_path)
    assert (result.areas_written, result.features_skipped) == (26, 0)
    assert all("invalid geometry" in w and "was repaired" in w for w in result.warnings)

    with open(mapping_path, encoding="utf-8") as f:
        expected = {row["tambon_code"]: row["station_code"] for row in csv.DictReader(f)}
    features = json.loads((shared_data / "songkhla_tambon.geojson").read_text(encoding="utf-8"))["features"]
    assert len(features) == 127
    wrong = []
    for item in features:
        props = item["properties"]
        decision = preview_route(lat=props["label_lat"], lon=props["label_lon"], category="traffic.street_racing",
                                 pao="songkhla", at=date(2026, 1, 5))
        if (decision.station_code, decision.rule) != (expected[props["tambon_code"]], "area"):
            wrong.append((props["tambon_code"], decision.station_code, decision.rule))
    assert wrong == []
