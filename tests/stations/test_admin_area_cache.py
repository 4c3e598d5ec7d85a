"""The place index and base map cached per process: current after every import, without reading the areas on
each use."""
import shapely
import shapely.geometry
from sqlalchemy import event

from app.stations.adminareas import import_admin_areas, locate_place_name, place_facts, stamp_areas
from app.stations.basemap import base_layer
from app.stations.models import AdminArea
from tests.stations.helpers import EAST, IN_EAST, IN_WEST, WEST, collection, feature, write_json


def tambon_file(path, name_th, geom=WEST, code="900101"):
    return write_json(path, collection(feature(code, geom, key="tambon_code", tambon_th=name_th,
                                               tambon_en="Tambon", amphoe_code="9001", amphoe_th="เมือง",
                                               province_code="90", province_th="สงขลา")))


def statements_during(db, action):
    seen = []

    def listen(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        result = action()
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return result, seen


def test_each_import_is_seen_at_once_even_with_the_same_codes(db, tmp_path):
    import_admin_areas(tambon_file(tmp_path / "a.geojson", "บ่อยาง"))
    assert locate_place_name(*IN_WEST).tambon_th == "บ่อยาง"
    # Same code, same row, same count: only the new import's stamp tells the cache.
    import_admin_areas(tambon_file(tmp_path / "b.geojson", "เขารูปช้าง"))
    assert locate_place_name(*IN_WEST).tambon_th == "เขารูปช้าง"
    import_admin_areas(tambon_file(tmp_path / "c.geojson", "เขารูปช้าง", geom=EAST))
    assert locate_place_name(*IN_WEST) is None
    assert locate_place_name(*IN_EAST).tambon_th == "เขารูปช้าง"
    tambon = [f for f in base_layer()["features"] if f["properties"]["level"] == "tambon"]
    assert [f["properties"]["name_th"] for f in tambon] == ["เขารูปช้าง"]
    assert shapely.geometry.shape(tambon[0]["geometry"]).contains(shapely.Point(IN_EAST[1], IN_EAST[0]))


def test_a_pin_is_named_without_reading_the_areas_once_the_index_is_built(db, tmp_path):
    import_admin_areas(tambon_file(tmp_path / "a.geojson", "บ่อยาง"))
    place_facts(*IN_WEST)
    facts, statements = statements_during(db, lambda: place_facts(*IN_WEST))
    assert facts.place.tambon_th == "บ่อยาง"
    assert len(statements) == 1 and "admin_areas" not in statements[0]


def test_areas_written_without_an_import_count_once_stamped(db):
    # Only an import (or migration 0024, for areas imported before) stamps the areas; whatever else writes them
    # must stamp them too, or the caches go on as if nothing changed.
    assert place_facts(*IN_WEST) is None
    db.session.add(AdminArea(level="tambon", code="900101", name_th="บ่อยาง", name_en="Bo Yang",
                             geometry_wkb=shapely.to_wkb(WEST)))
    db.session.flush()
    assert place_facts(*IN_WEST) is None
    stamp_areas()
    assert locate_place_name(*IN_WEST).tambon_th == "บ่อยาง"
    db.session.add(AdminArea(level="tambon", code="900102", name_th="เกาะแต้ว", name_en="Ko Taeo",
                             geometry_wkb=shapely.to_wkb(EAST)))
    stamp_areas()
    assert locate_place_name(*IN_EAST).tambon_th == "เกาะแต้ว"


def test_an_import_of_amphoe_alone_names_no_tambon(db, tmp_path):
    path = write_json(tmp_path / "amphoe.geojson", collection(feature("9001", WEST, key="amphoe_code",
                                                                      amphoe_th="เมือง")))
    import_admin_areas(path, level="amphoe")
    assert place_facts(*IN_WEST) is None and base_layer()["features"] == []
