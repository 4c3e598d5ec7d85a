"""GeoJSON area import: union per station, mapping, repair, overlaps, atomic replacement, bad files."""
import pytest
import shapely
from shapely.geometry import Polygon, box

from app.stations.importers import ImportFailed, import_areas
from app.stations.models import JurisdictionArea
from app.stations.services import routing_version
from tests.factories import make_station
from tests.stations.helpers import EAST, FAR, WEST, collection, feature, write_json, write_text


def count(db):
    return db.session.scalar(db.select(db.func.count(JurisdictionArea.id)))


def areas_of(db, station):
    return db.session.scalars(db.select(JurisdictionArea).where(JurisdictionArea.station_id == station.id)).all()


@pytest.fixture()
def stations(db):
    return {code: make_station(code=code) for code in ("west", "east", "far")}


def test_import_unions_each_stations_features_into_one_area(db, tmp_path, stations):
    west_half_1, west_half_2 = box(100.40, 7.00, 100.45, 7.025), box(100.40, 7.025, 100.45, 7.05)
    path = write_json(tmp_path / "areas.geojson", collection(
        feature("west", west_half_1), feature("west", west_half_2), feature("east", EAST),
        crs="urn:ogc:def:crs:OGC:1.3:CRS84"))
    result = import_areas(path, key="station")
    assert (result.areas_written, result.features_read, result.warnings) == (2, 3, [])
    assert sorted(result.stations) == ["east", "west"]
    [west] = areas_of(db, stations["west"])
    assert west.feature_count == 2
    assert west.geometry.geom_type == "Polygon"
    assert shapely.equals(west.geometry, WEST)
    assert west.source == "areas.geojson (station)"
    assert routing_version() == 1


def test_import_with_mapping_skips_unassigned_features_with_a_warning(db, tmp_path, stations):
    path = write_json(tmp_path / "tambon.geojson", collection(
        feature(900101, WEST, key="tambon_code"), feature("900102", EAST, key="tambon_code"),
        feature("900103", FAR, key="tambon_code")))
    mapping = write_text(tmp_path / "map.csv", "tambon_code,tambon_th,station_code,basis\n"
                                                "900101,ก,west,x\n900102,ข,east,y\n900103,ค,,none\n")
    result = import_areas(path, key="tambon_code", mapping_path=mapping)
    assert (result.areas_written, result.features_skipped) == (2, 1)
    assert result.warnings == ["tambon.geojson feature 3 (tambon_code=900103): not assigned to a station by "
                               "map.csv; skipped"]
    assert count(db) == 2


def test_invalid_geometry_is_repaired_and_reported(db, tmp_path, stations):
    bowtie = Polygon([(100.40, 7.00), (100.45, 7.05), (100.45, 7.00), (100.40, 7.05), (100.40, 7.00)])
    assert not bowtie.is_valid
    result = import_areas(write_json(tmp_path / "a.geojson", collection(feature("west", bowtie))), key="station")
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("a.geojson feature 1 (station=west): invalid geometry (Self-intersection")
    [area] = areas_of(db, stations["west"])
    assert area.geometry.is_valid and area.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert area.geometry.area == pytest.approx(bowtie.buffer(0).area + 0.05 * 0.025 / 2, rel=0.5)


def test_overlapping_areas_are_imported_and_reported(db, tmp_path, stations):
    wide_west = box(100.40, 7.00, 100.46, 7.05)  # 0.01 degree into east: about 5.5 km²
    result = import_areas(write_json(tmp_path / "a.geojson", collection(
        feature("west", wide_west), feature("east", EAST))), key="station")
    assert result.areas_written == 2
    [warning] = result.warnings
    assert warning.startswith("the areas of east and west overlap by about 6.11 km²")
    # Overlap with an area stored earlier (a station not in this file) is reported too.
    later = import_areas(write_json(tmp_path / "b.geojson", collection(
        feature("far", box(100.49, 7.00, 100.65, 7.05)))), key="station")
    assert len(later.warnings) == 1 and "far and east overlap" in later.warnings[0]


def test_reimport_replaces_only_the_named_stations_areas(db, tmp_path, stations):
    import_areas(write_json(tmp_path / "a.geojson", collection(feature("west", WEST), feature("east", EAST))),
                 key="station")
    [old_east] = areas_of(db, stations["east"])
    import_areas(write_json(tmp_path / "b.geojson", collection(feature("west", FAR))), key="station")
    [west] = areas_of(db, stations["west"])
    assert shapely.equals(west.geometry, FAR)
    assert areas_of(db, stations["east"]) == [old_east]
    assert count(db) == 2
    assert routing_version() == 2


def test_failed_reimport_keeps_the_old_areas(db, tmp_path, stations):
    import_areas(write_json(tmp_path / "a.geojson", collection(feature("west", WEST))), key="station")
    db.session.commit()
    with pytest.raises(ImportFailed):
        import_areas(write_json(tmp_path / "b.geojson", collection(
            feature("west", FAR), feature("nowhere", EAST))), key="station")
    # The importer wrote nothing before failing: no rollback is needed to see the old area.
    [west] = areas_of(db, stations["west"])
    assert shapely.equals(west.geometry, WEST)
    assert routing_version() == 1


BAD_FILES = [
    ("not json", "bad.geojson: not valid JSON"),
    ('{"type": "Feature", "geometry": null, "properties": {}}',
     "bad.geojson: not a GeoJSON FeatureCollection (type is 'Feature')"),
    ("[1, 2]", "bad.geojson: not a GeoJSON FeatureCollection (type is 'list')"),
    ('{"type": "FeatureCollection", "features": []}', "bad.geojson: the FeatureCollection has no features"),
]


@pytest.mark.parametrize("text, expected", BAD_FILES)
def test_bad_files_are_rejected(db, tmp_path, stations, text, expected):
    with pytest.raises(ImportFailed) as failed:
        import_areas(write_text(tmp_path / "bad.geojson", text), key="station")
    assert failed.value.messages[0].startswith(expected)
    assert count(db) == 0


PROJECTED = box(660000, 775000, 665000, 780000)  # UTM 47N metres, as a shapefile export would give


@pytest.mark.parametrize("data, expected", [
    (collection(feature("west", WEST), crs="urn:ogc:def:crs:EPSG::32647"),
     "bad.geojson: coordinate reference system 'urn:ogc:def:crs:EPSG::32647' is not WGS84"),
    (collection(feature("west", PROJECTED)),
     "bad.geojson feature 1 (station=west): coordinates are outside the longitude/latitude range"),
    (collection(feature("east", EAST), feature("west", None)), "bad.geojson feature 2 (station=west): has no geometry"),
    (collection(feature("west", {"type": "Polygon", "coordinates": []})),
     "bad.geojson feature 1 (station=west): has an empty geometry"),
    (collection(feature("west", {"type": "Point", "coordinates": [100.4, 7.0]})),
     "bad.geojson feature 1 (station=west): geometry is a Point, not a Polygon or MultiPolygon"),
    (collection(feature("west", {"type": "Polygon", "coordinates": [[[100.4, 7.0], [100.5]]]})),
     "bad.geojson feature 1 (station=west): geometry cannot be read"),
    (collection(feature("east", EAST), feature(None, WEST, name="no key")),
     "bad.geojson feature 2: has no 'station' property"),
    (collection(feature("nowhere", WEST)), "bad.geojson feature 1 (station=nowhere): unknown station code 'nowhere'"),
    (collection({"type": "Topology"}), "bad.geojson feature 1: is not a GeoJSON Feature"),
])
def test_bad_features_are_rejected_and_nothing_is_written(db, tmp_path, stations, data, expected):
    with pytest.raises(ImportFailed) as failed:
        import_areas(write_json(tmp_path / "bad.geojson", data), key="station")
    assert any(m.startswith(expected) for m in failed.value.messages), failed.value.messages
    assert count(db) == 0
    assert routing_version() == 0


def test_mapping_errors_name_the_mapping_file_and_line(db, tmp_path, stations):
    path = write_json(tmp_path / "t.geojson", collection(feature("1", WEST, key="tambon_code")))
    mapping = write_text(tmp_path / "map.csv", "tambon_code,station_code\n1,west\n2,nowhere\n1,east\n")
    with pytest.raises(ImportFailed) as failed:
        import_areas(path, key="tambon_code", mapping_path=mapping)
    assert failed.value.messages == ["map.csv line 3: unknown station code 'nowhere'",
                                     "map.csv line 4: tambon_code '1' is mapped twice, to different stations"]
    with pytest.raises(ImportFailed, match=r"map.csv line 1: missing column\(s\) station_code"):
        mapping = write_text(tmp_path / "map.csv", "tambon_code,station\n1,x\n")
        import_areas(path, key="tambon_code", mapping_path=mapping)
    assert count(db) == 0


def test_nothing_to_import_when_no_feature_maps_to_a_station(db, tmp_path, stations):
    path = write_json(tmp_path / "t.geojson", collection(feature("9", WEST, key="tambon_code")))
    mapping = write_text(tmp_path / "map.csv", "tambon_code,station_code\n1,west\n")
    with pytest.raises(ImportFailed, match="t.geojson: no feature belongs to a station"):
        import_areas(path, key="tambon_code", mapping_path=mapping)
