"""Factories for intake tests: areas, a small routed world, photos and form data."""
import io
import uuid
from dataclasses import dataclass

from PIL import Image
from shapely.geometry import box

from app.categories.models import Category
from app.categories.services import seed_categories
from app.extensions import db
from app.stations.models import JurisdictionArea
from app.stations.services import bump_routing_version
from tests.factories import make_mou, make_pao, make_station, make_user

# Two stations side by side: West covers lon 100.50-100.60, East 100.60-100.70, lat 7.10-7.30.
WEST_POINT = (7.20, 100.55)
EAST_POINT = (7.20, 100.65)
BOUNDARY_POINT = (7.20, 100.5997)  # about 33 m west of the shared edge


def make_area(*, station, geometry):
    area = JurisdictionArea(station=station, source="test", feature_count=1)
    area.geometry = geometry
    db.session.add(area)
    db.session.flush()
    bump_routing_version()
    return area


@dataclass
class World:
    pao: object
    west: object
    east: object
    coordinator: object
    member: object
    category: object  # crime.theft
    emergency_category: object  # crime.assault


def make_world(*, prefix=None):
    """Create categories, a PAO with two stations under MOU, their areas and a council member."""
    seed_categories()
    coordinator = make_station(name_en="Coordinator Station", lat=7.0, lon=100.4)
    west = make_station(name_th="สภ.ตะวันตก", name_en="West Station", lat=7.2, lon=100.55)
    west.phone = "074-311-111"
    east = make_station(name_th="สภ.ตะวันออก", name_en="East Station", lat=7.2, lon=100.65)
    pao = make_pao(prefix=prefix, coordinator=coordinator)
    for station in (west, east):
        make_mou(pao=pao, station=station)
    make_area(station=west, geometry=box(100.50, 7.10, 100.60, 7.30))
    make_area(station=east, geometry=box(100.60, 7.10, 100.70, 7.30))
    member = make_user(pao=pao)
    category = db.session.scalar(db.select(Category).where(Category.code == "crime.theft"))
    emergency = db.session.scalar(db.select(Category).where(Category.code == "crime.assault"))
    db.session.commit()
    return World(pao, west, east, coordinator, member, category, emergency)


def form_data(world, **overrides):
    """Return a valid intake form as a dict; overrides replace or add fields (None removes one)."""
    data = {
        "category_id": str(world.category.id),
        "narrative": "Motorbikes are stolen from the market car park every weekend evening.",
        "lat": str(WEST_POINT[0]), "lon": str(WEST_POINT[1]),
        "address_text": "Behind the fresh market",
        "priority": "",
        "resident_name": "", "resident_phone": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _rational(value):
    return (int(round(value * 1_000_000)), 1_000_000)


def jpeg_bytes(*, size=(800, 600), gps=None, orientation=None, color=(200, 40, 40), description=None):
    """Return a JPEG made with Pillow, optionally with EXIF GPS (lat, lon), orientation and a description."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if gps:
        lat, lon = gps
        exif[0x8825] = {  # GPS IFD
            1: "N" if lat >= 0 else "S", 2: _dms(abs(lat)),
            3: "E" if lon >= 0 else "W", 4: _dms(abs(lon)),
        }
    if orientation:
        exif[0x0112] = orientation
    if description:
        exif[0x010E] = description
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def _dms(value):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return (float(degrees), float(minutes), round(seconds, 4))
