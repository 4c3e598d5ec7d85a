"""`flask categories|pao|stations|areas|mou|route` commands: output, commits, and exit status 2 on bad input."""
import csv
import json

import pytest

from app import create_app
from app.categories.models import Category
from app.extensions import db as _db
from app.stations.models import JurisdictionArea, Mou, Pao, Station
from config import TestConfig
from tests.factories import make_category, make_mou, make_pao, make_report, make_station
from tests.stations.helpers import EAST, IN_WEST, WEST, collection, feature, write_json, write_text

ROUTE_KEYS = {"station_code", "rule", "explanation_th", "explanation_en", "distance_to_station_m",
              "distance_to_edge_m", "near_boundary", "neighbour_station_code"}


def run(app, *args):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_categories_seed_is_idempotent(app, db):
    first = run(app, "categories", "seed")
    assert first.exit_code == 0 and first.output.startswith("categories: 18 created, 18 in total")
    second = run(app, "categories", "seed")
    assert second.output.startswith("categories: 0 created, 18 in total")
    assert count(db, Category) == 18


def test_pao_create_and_set_coordinator(app, db):
    make_station(code="mueang_songkhla")
    make_station(code="hat_yai")
    db.session.commit()
    result = run(app, "pao", "create", "songkhla", "--name-th", "สงขลา", "--name-en", "Songkhla", "--prefix", "SKA",
                 "--coordinator", "mueang_songkhla")
    assert result.exit_code == 0, result.output
    assert "created PAO songkhla (prefix SKA, coordinator mueang_songkhla)" in result.output
    again = run(app, "pao", "create", "songkhla", "--name-th", "ก", "--name-en", "S", "--prefix", "SKB")
    assert again.exit_code == 2 and "exists already" in again.output
    bad = run(app, "pao", "create", "satun", "--name-th", "ก", "--name-en", "S", "--prefix", "S1")
    assert bad.exit_code == 2 and "prefix 'S1'" in bad.output
    assert run(app, "pao", "create", "x").exit_code == 2  # missing options
    moved = run(app, "pao", "set-coordinator", "songkhla", "hat_yai")
    assert moved.exit_code == 0
    assert db.session.scalar(db.select(Pao)).coordinator_station.code == "hat_yai"
    assert run(app, "pao", "set-coordinator", "songkhla", "nowhere").exit_code == 2
    assert run(app, "pao", "set-coordinator", "nowhere", "hat_yai").exit_code == 2
    assert count(db, Pao) == 1


def test_stations_import_commits_or_writes_nothing(app, db, tmp_path):
    good = write_text(tmp_path / "s.csv", "code,name_th,name_en,lat,lon,phone\na,ก,A,7,100,\nb,ข,B,,,\n")
    result = run(app, "stations", "import", good)
    assert result.exit_code == 0 and "stations: 2 created, 0 updated, 1 without location" in result.output
    bad = write_text(tmp_path / "bad.csv", "code,name_th,name_en,lat,lon\nc,ค,C,7,100\nd,ง,D,x,100\n")
    failed = run(app, "stations", "import", bad)
    assert failed.exit_code == 2
    assert "nothing was written" in failed.output and "bad.csv line 3: lat 'x' is not a number" in failed.output
    assert count(db, Station) == 2
    assert run(app, "stations", "import", tmp_path / "missing.csv").exit_code == 2


def test_areas_and_mou_import(app, db, tmp_path):
    make_station(code="west")
    make_station(code="east")
    make_pao(code="songkhla")
    make_category(code="traffic")
    db.session.commit()
    geojson = write_json(tmp_path / "a.geojson", collection(feature("1", WEST, key="t"), feature("2", EAST, key="t")))
    mapping = write_text(tmp_path / "m.csv", "t,station_code\n1,west\n2,\n")
    result = run(app, "areas", "import", geojson, "--key", "t", "--map", mapping)
    assert result.exit_code == 0, result.output
    assert "areas: 1 written from 2 features (1 skipped), 1 warning(s)" in result.output
    assert "warning: a.geojson feature 2 (t=2): not assigned" in result.output
    assert run(app, "areas", "import", geojson, "--key", "station").exit_code == 2
    assert run(app, "areas", "import", geojson).exit_code == 2  # --key is required
    assert count(db, JurisdictionArea) == 1

    mous = write_text(tmp_path / "mous.csv", "station_code,signed_on,effective_from,expires_on,categories,status\n"
                                             "west,2025-01-01,2025-01-01,,traffic,active\n")
    assert "MOUs of songkhla: 1 created" in run(app, "mou", "import", mous).output
    assert "0 created, 0 updated, 1 unchanged" in run(app, "mou", "import", mous, "--pao", "songkhla").output
    wrong = run(app, "mou", "import", mous, "--pao", "satun")
    assert wrong.exit_code == 2 and "unknown PAO code 'satun'" in wrong.output
    assert count(db, Mou) == 1


@pytest.fixture()
def routed_world(db, tmp_path):
    from app.stations.importers import import_areas

    west, east = make_station(code="west", lat=IN_WEST[0], lon=IN_WEST[1]), make_station(code="east")
    pao = make_pao(code="songkhla", coordinator=east)
    make_mou(pao=pao, station=west)
    make_category(code="traffic")
    import_areas(write_json(tmp_path / "a.geojson", collection(feature("west", WEST), feature("east", EAST))),
                 key="station")
    db.session.commit()
    return pao


def test_route_prints_the_decision(app, routed_world):
    text = run(app, "route", *IN_WEST, "--category", "traffic")
    assert text.exit_code == 0, text.output
    assert "station:" in text.output and "west" in text.output and "explanation (th):" in text.output
    result = run(app, "route", *IN_WEST, "--category", "traffic", "--pao", "songkhla", "--at", "2025-06-01", "--json")
    data = json.loads(result.output)
    assert ROUTE_KEYS <= set(data)
    assert (data["station_code"], data["rule"], data["near_boundary"]) == ("west", "area", False)
    assert data["routed_on"] == "2025-06-01"
    before_mou = run(app, "route", *IN_WEST, "--category", "traffic", "--at", "2023-12-31T23:00", "--json")
    assert json.loads(before_mou.output)["rule"] == "area_without_mou"


@pytest.mark.parametrize("args, message", [
    (("91", "100.4", "--category", "traffic"), "lat: Latitude must be between -90 and 90"),
    (("seven", "100.4", "--category", "traffic"), "lat: Latitude must be a number"),
    (("7", "100.4", "--category", "nope"), "Unknown category 'nope'"),
    (("7", "100.4", "--category", "traffic", "--pao", "satun"), "Unknown PAO 'satun'"),
    (("7", "100.4", "--category", "traffic", "--at", "2025-02-30"), "--at '2025-02-30' is not a date"),
    (("7", "100.4"), "Missing option '--category'"),
])
def test_route_bad_input_exits_2(app, routed_world, args, message):
    result = run(app, "route", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_route_needs_pao_when_several_exist(app, db, routed_world):
    make_pao(code="satun")
    db.session.commit()
    result = run(app, "route", *IN_WEST, "--category", "traffic")
    assert result.exit_code == 2 and "give --pao CODE (several PAOs exist)" in result.output


def test_route_reroute(app, db, routed_world):
    report = make_report(pao=routed_world, category=db.session.scalar(db.select(Category)), lat=IN_WEST[0],
                         lon=IN_WEST[1])
    db.session.commit()
    result = run(app, "route", "reroute", "--pao", "songkhla")
    assert result.exit_code == 0 and "re-routed 1 open report(s)" in result.output
    assert report.station.code == "west"
    assert "re-routed 0" in run(app, "route", "reroute").output
    assert run(app, "route", "reroute", "--pao", "satun").exit_code == 2


def test_rollout_on_a_fresh_database_end_to_end(shared_data, tmp_path):
    """The documented rollout sequence, on a new SQLite file built by the migrations."""
    with open(shared_data / "songkhla_stations_approx.csv", encoding="utf-8") as source, \
            open(tmp_path / "stations.csv", "w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target)
        writer.writerow(["code", "name_th", "name_en", "lat", "lon", "phone"])
        for row in csv.DictReader(source):
            writer.writerow([row["code"], row["name_th"], row["name_en"], row["approx_lat"], row["approx_lon"], ""])
    write_text(tmp_path / "mous.csv", "station_code,signed_on,effective_from,expires_on,categories,status\n"
                                      "mueang_songkhla,2021-12-03,2021-12-03,,all,active\n"
                                      "hat_yai,2025-06-01,2025-07-01,2028-06-30,all,active\n"
                                      "sadao,2025-09-10,2025-10-01,,drugs;traffic,active\n"
                                      "singhanakhon,2024-01-15,2024-02-01,2025-01-31,all,ended\n")
    config = type("RolloutConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
                                                   "INSTANCE_DIR": str(tmp_path)})
    fresh = create_app(config)
    steps = [
        ("db", "upgrade"),
        ("categories", "seed"),
        ("stations", "import", tmp_path / "stations.csv"),
        ("pao", "create", "songkhla", "--name-th", "สงขลา", "--name-en", "Songkhla", "--prefix", "SKA",
         "--coordinator", "mueang_songkhla"),
        ("areas", "import", shared_data / "songkhla_tambon.geojson", "--key", "tambon_code",
         "--map", shared_data / "songkhla_jurisdiction_approx.csv"),
        ("mou", "import", tmp_path / "mous.csv"),
    ]
    try:
        outputs = {}
        for step in steps:
            result = run(fresh, *step)
            assert result.exit_code == 0, (step, result.output)
            outputs[step[0]] = result.output
        assert "areas: 26 written from 127 features (0 skipped), 2 warning(s)" in outputs["areas"]
        assert "stations: 31 created, 0 updated, 5 without location" in outputs["stations"]
        hat_yai = json.loads(run(fresh, "route", "7.0084", "100.4767", "--category", "crime.theft",
                                 "--at", "2026-01-05", "--json").output)
        assert (hat_yai["station_code"], hat_yai["rule"]) == ("hat_yai", "area")
        # Sadao's MOU covers drugs and traffic only: theft there goes to the coordinating station.
        sadao = json.loads(run(fresh, "route", "6.64431", "100.39395", "--category", "crime.theft",
                               "--at", "2026-01-05", "--json").output)
        assert (sadao["station_code"], sadao["rule"]) == ("mueang_songkhla", "area_without_mou")
        with fresh.app_context():
            assert _db.session.scalar(_db.select(_db.func.count(JurisdictionArea.id))) == 26
            assert _db.session.scalar(_db.select(_db.func.count(Mou.id))) == 4
    finally:
        with fresh.app_context():
            _db.engine.dispose()
