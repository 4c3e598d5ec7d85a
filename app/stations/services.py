"""Writes for PAOs, stations and MOUs; each bumps the routing data version when routing changes."""
import logging
import re

from app.extensions import db
from app.stations.models import AdminArea, DataVersion, Pao, Station

log = logging.getLogger(__name__)

ROUTING_VERSION = "routing"
_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


class StationDataError(ValueError):
    """Station, PAO or MOU data that cannot be used, with a message naming what is wrong."""


def bump_routing_version():
    """Increment the routing data counter so every process rebuilds its index."""
    return set_data_version(ROUTING_VERSION, lambda value: value + 1)


def set_data_version(name, change):
    """Set a data_versions row to change(its value, 0 when new), under a row lock; return the new value.
    Every process's cache of that data sees the change on its next check (data_versions)."""
    row = db.session.get(DataVersion, name, with_for_update=True)
    if row is None:
        row = DataVersion(name=name, value=0)
        db.session.add(row)
    row.value = change(row.value)
    db.session.flush()
    return row.value


def routing_version():
    """Return the current routing data version (0 when nothing was imported yet)."""
    return data_versions().get(ROUTING_VERSION) or 0


def data_versions():
    """Return every data_versions row as {name: value}, in one statement: a caller about to use several caches
    (a pin's routing and its place name) checks them all at once."""
    return dict(db.session.execute(_ALL_DATA_VERSIONS).all())


# Read on every filing (and page that routes): built once, as building it cost more than running it. The table
# holds a row per cached kind of data, so reading it whole costs what reading one row does.
_ALL_DATA_VERSIONS = db.select(DataVersion.name, DataVersion.value)


def _names_ok(*names):
    # Control characters (a NUL byte above all: PostgreSQL refuses it) never belong in a name.
    return all((n or "").strip() and not any(ord(c) < 32 for c in n) for n in names)


def find_station(code):
    """Return the station with this code, or raise StationDataError."""
    station = None
    if isinstance(code, str) and _CODE.fullmatch(code):
        station = db.session.scalar(db.select(Station).where(Station.code == code))
    if station is None:
        raise StationDataError(f"unknown station code {code!r}")
    return station


def find_pao(code):
    """Return the PAO with this code, or raise StationDataError."""
    pao = None
    if isinstance(code, str) and _CODE.fullmatch(code):
        pao = db.session.scalar(db.select(Pao).where(Pao.code == code))
    if pao is None:
        raise StationDataError(f"unknown PAO code {code!r}")
    return pao


def create_pao(*, code, name_th, name_en, prefix, coordinator_code=None):
    """Create a PAO (tenant) with its reference-number prefix and optional coordinating station."""
    code = (code or "").strip().lower()
    prefix = (prefix or "").strip().upper()
    if not _CODE.fullmatch(code) or len(code) > 32:
        raise StationDataError(f"PAO code {code!r} must be lower-case letters, digits, '_' or '-'")
    if not re.fullmatch(r"[A-Z]{2,8}", prefix):
        raise StationDataError(f"prefix {prefix!r} must be 2 to 8 capital letters")
    if not _names_ok(name_th, name_en):
        raise StationDataError(f"PAO {code!r} needs a Thai and an English name without control characters")
    if db.session.scalar(db.select(Pao).where((Pao.code == code) | (Pao.reference_prefix == prefix))):
        raise StationDataError(f"a PAO with code {code!r} or prefix {prefix!r} exists already")
    pao = Pao(code=code, name_th=name_th.strip(), name_en=name_en.strip(), reference_prefix=prefix)
    if coordinator_code:
        pao.coordinator_station = find_station(coordinator_code)
    db.session.add(pao)
    bump_routing_version()
    log.info("PAO created: %s", code)
    return pao


def set_province(pao, province_code, *, name_th=None, name_en=None):
    """Set the province a PAO serves; its names come from the imported tambon unless given.

    A pin outside this province must then be confirmed by the member and is flagged for the coordinator."""
    province_code = (province_code or "").strip()
    if not re.fullmatch(r"\d{2}", province_code):
        raise StationDataError(f"province code {province_code!r} must be two digits (DOPA code, e.g. 90 for Songkhla)")
    known = db.session.execute(db.select(AdminArea.province_th, AdminArea.province_en)
                               .where(AdminArea.province_code == province_code).limit(1)).first()
    name_th = (name_th or "").strip() or (known.province_th if known else "")
    name_en = (name_en or "").strip() or (known.province_en if known else "")
    if not _names_ok(name_th, name_en):
        raise StationDataError(f"no tambon of province {province_code} are imported: give --name-th and --name-en")
    pao.province_code, pao.province_th, pao.province_en = province_code, name_th, name_en
    log.info("PAO %s serves province %s", pao.code, province_code)
    return pao


def set_coordinator(pao, station):
    """Make a station the PAO's coordinating station (receives unroutable and uncovered reports)."""
    pao.coordinator_station = station
    bump_routing_version()
    log.info("PAO %s coordinator set to %s", pao.code, station.code)


def check_station_fields(*, code, name_th, name_en, lat=None, lon=None):
    """Raise StationDataError when a station's code, names or point cannot be stored."""
    if not _CODE.fullmatch(code or ""):
        raise StationDataError(f"station code {code!r} must be lower-case letters, digits, '_', '.' or '-'")
    if not _names_ok(name_th, name_en):
        raise StationDataError(f"station {code!r} needs a Thai and an English name (no control characters)")
    if (lat is None) != (lon is None):
        raise StationDataError(f"station {code!r} needs both lat and lon, or neither")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise StationDataError(f"station {code!r} has coordinates out of range ({lat}, {lon})")


def upsert_station(*, code, name_th, name_en, lat=None, lon=None, phone=None, address=None):
    """Create or update a station by code; return (station, created)."""
    code = (code or "").strip()
    check_station_fields(code=code, name_th=name_th, name_en=name_en, lat=lat, lon=lon)
    station = db.session.scalar(db.select(Station).where(Station.code == code))
    created = station is None
    if created:
        station = Station(code=code)
        db.session.add(station)
    station.name_th, station.name_en = name_th.strip(), name_en.strip()
    station.lat, station.lon = lat, lon
    station.phone = phone or station.phone
    station.address = address or station.address
    return station, created


def page_pao(user, code=None):
    """Return the PAO a page is about: a coordinator's own; for an admin the PAO of `code`, or the first PAO
    when no code is given. None when there is none (or the code is unknown)."""
    if user.pao_id is not None and user.role.value == "pao_coordinator":
        return user.pao
    if user.role.value == "pao_coordinator":
        return None
    if code:
        return db.session.scalar(db.select(Pao).where(Pao.code == code))
    return db.session.scalar(db.select(Pao).order_by(Pao.code).limit(1))
