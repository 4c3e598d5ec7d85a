"""A small province for jurisdiction-version tests: four tambon in two amphoe, two stations, imported areas."""
import shapely
from shapely.geometry import box

from app.stations.adminareas import stamp_areas
from app.stations.importers import import_areas
from app.stations.models import AdminArea
from tests.factories import make_category, make_mou, make_pao, make_station
from tests.stations.helpers import EAST, IN_EAST, IN_WEST, WEST, collection, feature, write_json

# West square = tambon 900101 (left half) + 900102 (right half); east square = 900201 + 900202.
TAMBON = {
    "900101": ("9001", box(100.400, 7.00, 100.425, 7.05)),
    "900102": ("9001", box(100.425, 7.00, 100.450, 7.05)),
    "900201": ("9002", box(100.450, 7.00, 100.475, 7.05)),
    "900202": ("9002", box(100.475, 7.00, 100.500, 7.05)),
}
IN_900102 = (7.025, 100.44)


def make_tambon():
    from app.extensions import db

    for code, (amphoe, geom) in TAMBON.items():
        db.session.add(AdminArea(level="tambon", code=code, name_th=f"ตำบล{code}", name_en=f"Tambon {code}",
                                 parent_code=amphoe, parent_name_th=f"อำเภอ{amphoe}", parent_name_en=f"Amphoe {amphoe}",
                                 province_code="90", province_th="สงขลา", province_en="Songkhla",
                                 geometry_wkb=shapely.to_wkb(geom)))
    stamp_areas()


def build_world(tmp_path):
    coordinator = make_station(code="coordinator", lat=7.2, lon=100.6)
    west = make_station(code="west", lat=IN_WEST[0], lon=IN_WEST[1])
    east = make_station(code="east", lat=IN_EAST[0], lon=IN_EAST[1])
    pao = make_pao(code="songkhla", coordinator=coordinator)
    pao.province_code = "90"
    for station in (west, east):
        make_mou(pao=pao, station=station)
    category = make_category(code="traffic")
    make_tambon()
    import_areas(write_json(tmp_path / "areas.geojson", collection(feature("west", WEST), feature("east", EAST))),
                 key="station")
    return {"pao": pao, "west": west, "east": east, "coordinator": coordinator, "category": category}
