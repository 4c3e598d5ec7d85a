"""Writes for PAOs, stations and MOUs; each bumps the routing data version when routing changes."""
import logging
import re

from app.extensions import db
from app.stations.models import DataVersion, Mou, MouStatus, Pao, Station

log = logging.getLogger(__name__)

ROUTING_VERSION = "routing"
_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


class StationDataError(ValueError):
    """Station, PAO or MOU data that cannot be used, with a message naming what is wrong."""


def bump_routing_version():
    """Increment the routing data counter so every process rebuilds its index."""
    row = db.session.get(DataVersion, ROUTING_VERSION, with_for_update=True)
    if row is None:
        row = DataVersion(name=ROUTING_VERSION, value=0)
        db.session.add(row)
    row.value += 1
    db.session.flush()
    return row.value


def routing_version():
    """Return the current routing data version (0 when nothing was imported yet)."""
    value = db.session.scalar(db.select(DataVersion.value).where(DataVersion.name == ROUTING_VERSION))
    return value or 0


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


def covered_codes(categories_text, known_codes):
    """Parse 'all' or 'a;b;c' into (covers_all, codes), checking each code is known."""
    text = (categories_text or "").strip()
    if text.lower() == "all":
        return True, []
    codes = [c.strip() for c in text.split(";") if c.strip()]
    if not codes:
        raise StationDataError("categories must be 'all' or category codes separated by ';'")
    unknown = [c for c in codes if c not in known_codes]
    if unknown:
        raise StationDataError(f"unknown category code(s): {', '.join(unknown)}")
    return False, sorted(set(codes))


def create_mou(*, pao, station, signed_on, effective_from, expires_on=None, status=MouStatus.ACTIVE,
               covers_all=True, category_codes=(), document_ref=None):
    """Record an MOU between a PAO and a station."""
    if expires_on is not None and expires_on < effective_from:
        raise StationDataError(f"MOU with {station.code}: expires_on is before effective_from")
    if effective_from < signed_on:
        raise StationDataError(f"MOU with {station.code}: effective_from is before signed_on")
    mou = Mou(pao=pao, station=station, signed_on=signed_on, effective_from=effective_from,
              expires_on=expires_on, status=MouStatus(status), covers_all=covers_all,
              category_codes=list(category_codes), document_ref=document_ref)
    db.session.add(mou)
    bump_routing_version()
    log.info("MOU recorded: %s - %s", pao.code, station.code)
    return mou


def update_mou(mou, *, signed_on, expires_on, status, covers_all, category_codes, document_ref=None):
    """Change an MOU's terms in place; return True (and bump the routing version) when anything changed."""
    if expires_on is not None and expires_on < mou.effective_from:
        raise StationDataError(f"MOU with {mou.station.code}: expires_on is before effective_from")
    if mou.effective_from < signed_on:
        raise StationDataError(f"MOU with {mou.station.code}: effective_from is before signed_on")
    new = {"signed_on": signed_on, "expires_on": expires_on, "status": MouStatus(status),
           "covers_all": covers_all, "category_codes": sorted(category_codes),
           "document_ref": document_ref or mou.document_ref}
    changed = {k: v for k, v in new.items() if getattr(mou, k) != v}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(mou, key, value)
    bump_routing_version()
    log.info("MOU updated: %s - %s (%s)", mou.pao.code, mou.station.code, ", ".join(changed))
    return True
