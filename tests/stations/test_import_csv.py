"""Station and MOU CSV imports: good files, re-imports, and every kind of bad row (nothing written)."""
from datetime import date

import pytest

from app.stations.importers import ImportFailed, import_mous, import_stations
from app.stations.models import Mou, MouStatus, Station
from app.stations.services import routing_version
from tests.factories import make_category, make_pao, make_station
from tests.stations.helpers import write_text

STATIONS = """code,name_th,name_en,lat,lon,phone
hat_yai,สภ.หาดใหญ่,Hat Yai Station,7.0084,100.4767,074-000000
sam_bo,สภ.สามบ่อ,Sam Bo Station,,,
"""
MOU_HEADER = "station_code,signed_on,effective_from,expires_on,categories,status\n"


def count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_import_stations_creates_then_updates(db, tmp_path):
    result = import_stations(write_text(tmp_path / "stations.csv", STATIONS))
    assert (result.created, result.updated, result.unlocated) == (2, 0, 1)
    assert any("sam_bo" in w for w in result.warnings)
    hat_yai = db.session.scalar(db.select(Station).where(Station.code == "hat_yai"))
    assert (hat_yai.lat, hat_yai.lon, hat_yai.phone) == (7.0084, 100.4767, "074-000000")
    assert routing_version() == 1

    again = import_stations(write_text(tmp_path / "s2.csv", STATIONS.replace("Hat Yai Station", "Hat Yai PS")))
    assert (again.created, again.updated) == (0, 2)
    assert hat_yai.name_en == "Hat Yai PS"
    assert count(db, Station) == 2


def test_import_stations_accepts_bom_and_extra_columns(db, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeffcode,name_th,name_en,lat,lon,amphoe\nhat_yai,สภ.หาดใหญ่,Hat Yai,7.0,100.4,x\n")
                     .encode("utf-8"))
    assert import_stations(path).created == 1


@pytest.mark.parametrize("text, expected", [
    ("code,name_th,name_en,lat\nx,ก,X,7\n", "stations.csv line 1: missing column(s) lon"),
    (STATIONS + "bad code!,ก,X,7,100,\n", "stations.csv line 4: station code 'bad code!'"),
    (STATIONS + "pak_ro,ก,X,seven,100,\n", "stations.csv line 4: lat 'seven' is not a number"),
    (STATIONS + "pak_ro,ก,X,7,,\n", "stations.csv line 4: station 'pak_ro' needs both lat and lon"),
    (STATIONS + "pak_ro,ก,X,97,100,\n", "stations.csv line 4: station 'pak_ro' has coordinates out of range"),
    (STATIONS + "pak_ro,,X,7,100,\n", "stations.csv line 4: station 'pak_ro' needs a Thai and an English name"),
    (STATIONS + "hat_yai,ก,X,7,100,\n", "stations.csv line 4: station 'hat_yai' is already on line 2"),
    ("code,name_th,name_en,lat,lon\n", "stations.csv: no data rows"),
    ("", "stations.csv: the file is empty"),
])
def test_import_stations_rejects_bad_rows_and_writes_nothing(db, tmp_path, text, expected):
    make_station(code="existing", name_en="Unchanged")
    before = routing_version()
    with pytest.raises(ImportFailed) as failed:
        import_stations(write_text(tmp_path / "stations.csv", text))
    assert any(m.startswith(expected) for m in failed.value.messages), failed.value.messages
    assert count(db, Station) == 1
    assert routing_version() == before


def test_import_stations_rejects_non_utf8(db, tmp_path):
    path = tmp_path / "tis620.csv"
    path.write_bytes("code,name_th,name_en,lat,lon\nx,สภ.,X,,\n".encode("tis-620"))
    with pytest.raises(ImportFailed, match="tis620.csv: not UTF-8"):
        import_stations(path)
    assert count(db, Station) == 0


def test_import_stations_lists_every_bad_line(db, tmp_path):
    text = "code,name_th,name_en,lat,lon\nA,ก,X,,\nb,ก,X,x,1\nc,ก,X,1,1\n"
    with pytest.raises(ImportFailed) as failed:
        import_stations(write_text(tmp_path / "s.csv", text))
    assert [m.split(":")[0] for m in failed.value.messages] == ["s.csv line 2", "s.csv line 3"]


@pytest.fixture()
def mou_world(db):
    pao = make_pao(code="songkhla")
    stations = {code: make_station(code=code) for code in ("hat_yai", "sadao", "kho_hong")}
    crime = make_category(code="crime")
    make_category(code="crime.theft", parent=crime)
    make_category(code="drugs")
    make_category(code="traffic")
    return pao, stations


MOUS = MOU_HEADER + """hat_yai,2025-06-01,2025-07-01,2028-06-30,all,active
sadao,2025-09-10,2025-10-01,,drugs;traffic,active
kho_hong,2024-01-15,2024-02-01,2025-01-31,all,ENDED
"""


def test_import_mous_creates_and_reimport_updates_without_duplicates(db, tmp_path, mou_world):
    pao, stations = mou_world
    result = import_mous(write_text(tmp_path / "mous.csv", MOUS))
    assert (result.pao_code, result.created, result.updated, result.unchanged) == ("songkhla", 3, 0, 0)
    sadao = db.session.scalar(db.select(Mou).where(Mou.station == stations["sadao"]))
    assert (sadao.covers_all, sadao.category_codes, sadao.expires_on) == (False, ["drugs", "traffic"], None)
    kho_hong = db.session.scalar(db.select(Mou).where(Mou.station == stations["kho_hong"]))
    assert kho_hong.status == MouStatus.ENDED

    same = import_mous(write_text(tmp_path / "mous.csv", MOUS), pao_code="songkhla")
    assert (same.created, same.updated, same.unchanged) == (0, 0, 3)

    version = routing_version()
    changed = MOUS.replace("2028-06-30", "2029-06-30") + "hat_yai,2029-01-01,2029-07-01,,crime,active\n"
    again = import_mous(write_text(tmp_path / "mous2.csv", changed))
    assert (again.created, again.updated, again.unchanged) == (1, 1, 2)
    assert count(db, Mou) == 4
    hat_yai = db.session.scalars(db.select(Mou).where(Mou.station == stations["hat_yai"]).order_by(Mou.id)).all()
    assert [m.expires_on for m in hat_yai] == [date(2029, 6, 30), None]
    assert routing_version() > version


@pytest.mark.parametrize("row, expected", [
    ("nowhere,2025-01-01,2025-01-01,,all,active", "unknown station code 'nowhere'"),
    ("hat_yai,01/02/2025,2025-02-01,,all,active", "signed_on '01/02/2025' is not a date in the form YYYY-MM-DD"),
    ("hat_yai,2025-01-01,2025-02-30,,all,active", "effective_from '2025-02-30' is not a date"),
    ("hat_yai,2568-01-01,2568-01-01,,all,active", "signed_on '2568-01-01' looks like a Buddhist Era year"),
    ("hat_yai,2025-01-01,,,all,active", "effective_from is empty"),
    ("hat_yai,2025-01-01,2025-02-01,2025-01-15,all,active", "expires_on 2025-01-15 is before effective_from"),
    ("hat_yai,2025-03-01,2025-02-01,,all,active", "effective_from 2025-02-01 is before signed_on"),
    ("hat_yai,2025-01-01,2025-01-01,,crime;burglary,active", "unknown category code(s): burglary"),
    ("hat_yai,2025-01-01,2025-01-01,,,active", "categories must be 'all' or category codes"),
    ("hat_yai,2025-01-01,2025-01-01,,all,paused", "status 'paused' must be 'active' or 'ended'"),
])
def test_import_mous_rejects_bad_rows_and_writes_nothing(db, tmp_path, mou_world, row, expected):
    text = MOUS + row + "\n"
    with pytest.raises(ImportFailed) as failed:
        import_mous(write_text(tmp_path / "mous.csv", text))
    assert failed.value.messages == [f"mous.csv line 5: {expected}"] or \
        any(m.startswith(f"mous.csv line 5: {expected}") for m in failed.value.messages), failed.value.messages
    assert count(db, Mou) == 0


def test_import_mous_rejects_missing_columns_and_duplicate_rows(db, tmp_path, mou_world):
    with pytest.raises(ImportFailed, match=r"mous.csv line 1: missing column\(s\) status"):
        import_mous(write_text(tmp_path / "mous.csv", "station_code,signed_on,effective_from,expires_on,categories\n"
                                                        "hat_yai,2025-01-01,2025-01-01,,all\n"))
    with pytest.raises(ImportFailed, match="mous.csv line 5: an MOU with hat_yai from 2025-07-01 is already on line 2"):
        import_mous(write_text(tmp_path / "mous.csv", MOUS + "hat_yai,2025-06-01,2025-07-01,,all,active\n"))
    assert count(db, Mou) == 0


def test_import_mous_needs_the_pao_when_several_exist(db, tmp_path, mou_world):
    make_pao(code="satun")
    path = write_text(tmp_path / "mous.csv", MOUS)
    with pytest.raises(ImportFailed, match="mous.csv: name the PAO .*several PAOs exist"):
        import_mous(path)
    with pytest.raises(ImportFailed, match="mous.csv: unknown PAO code 'pattani'"):
        import_mous(path, pao_code="pattani")
    assert import_mous(path, pao_code="satun").created == 3
    assert count(db, Mou) == 3
