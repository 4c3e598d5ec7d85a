"""Station and MOU CSV imports: the whole file is checked first, then written in one transaction.

Every importer either raises ImportFailed before writing anything, or writes all rows and flushes;
the caller (CLI command or view) commits, or rolls back on any error.

Re-importing an MOU file updates instead of duplicating: a row matching an existing MOU of the same
PAO on (station, effective_from) changes that MOU's terms; any other row creates a new MOU. MOUs
not named in the file are left as they are (end one by importing it again with status `ended`).
"""
import math
import re
from dataclasses import dataclass, field
from datetime import date

from app.categories.models import Category
from app.extensions import db
from app.stations.import_files import ImportFailed, read_csv, source_name
from app.stations.importers_geo import AreaImportResult, import_areas  # noqa: F401  (one import point)
from app.stations.models import Mou, MouStatus, Pao, Station
from app.stations.mous import covered_codes, create_mou, update_mou
from app.stations.services import StationDataError, bump_routing_version, check_station_fields, find_pao, upsert_station

STATION_COLUMNS = ("code", "name_th", "name_en", "lat", "lon")
MOU_COLUMNS = ("station_code", "signed_on", "effective_from", "expires_on", "categories", "status")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A year past this is almost certainly Buddhist Era (2567) typed where the Gregorian year (2024) belongs.
_LAST_GREGORIAN_YEAR = 2200

__all__ = ["AreaImportResult", "ImportFailed", "MouImportResult", "StationImportResult",
           "import_areas", "import_mous", "import_stations"]


@dataclass
class StationImportResult:
    created: int = 0
    updated: int = 0
    unlocated: int = 0
    warnings: list = field(default_factory=list)

    @property
    def total(self):
        return self.created + self.updated


@dataclass
class MouImportResult:
    pao_code: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list = field(default_factory=list)

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


def import_stations(path):
    """Create or update stations by code from a CSV file (code,name_th,name_en,lat,lon[,phone,address])."""
    name = source_name(path)
    rows = read_csv(path, STATION_COLUMNS)
    errors, parsed, seen = [], [], {}
    for line, row in rows:
        where = f"{name} line {line}"
        code = row["code"]
        try:
            lat, lon = _number(row["lat"], "lat"), _number(row["lon"], "lon")
            check_station_fields(code=code, name_th=row["name_th"], name_en=row["name_en"], lat=lat, lon=lon)
        except ValueError as error:
            errors.append(f"{where}: {error}")
            continue
        if code in seen:
            errors.append(f"{where}: station {code!r} is already on line {seen[code]}")
            continue
        seen[code] = line
        parsed.append({"code": code, "name_th": row["name_th"], "name_en": row["name_en"], "lat": lat,
                       "lon": lon, "phone": row.get("phone") or None, "address": row.get("address") or None})
    if errors:
        raise ImportFailed(errors)
    result = StationImportResult()
    for values in parsed:
        _station, created = upsert_station(**values)
        result.created += created
        result.updated += not created
        if values["lat"] is None:
            result.unlocated += 1
            result.warnings.append(f"{name}: station {values['code']!r} has no location; it cannot be "
                                   "chosen as the nearest station")
    bump_routing_version()
    db.session.flush()
    return result


def import_mous(path, *, pao_code=None):
    """Create or update one PAO's MOUs from a CSV file (see the module docstring for re-imports)."""
    name = source_name(path)
    pao = _pick_pao(pao_code, name)
    rows = read_csv(path, MOU_COLUMNS)
    stations = {s.code: s for s in db.session.scalars(db.select(Station))}
    known = set(db.session.scalars(db.select(Category.code)))
    errors, parsed, seen = [], [], {}
    for line, row in rows:
        where = f"{name} line {line}"
        try:
            values = _mou_row(row, stations, known)
        except ValueError as error:
            errors.append(f"{where}: {error}")
            continue
        key = (values["station"].code, values["effective_from"])
        if key in seen:
            errors.append(f"{where}: an MOU with {key[0]} from {key[1]} is already on line {seen[key]}")
            continue
        seen[key] = line
        parsed.append(values)
    if errors:
        raise ImportFailed(errors)
    existing = {}
    for mou in db.session.scalars(db.select(Mou).where(Mou.pao_id == pao.id).order_by(Mou.id.desc())):
        existing[(mou.station_id, mou.effective_from)] = mou  # lowest id wins when duplicated
    result = MouImportResult(pao_code=pao.code)
    for values in parsed:
        mou = existing.get((values["station"].id, values["effective_from"]))
        if mou is None:
            create_mou(pao=pao, **values)
            result.created += 1
        elif update_mou(mou, **{k: v for k, v in values.items() if k not in ("station", "effective_from")}):
            result.updated += 1
        else:
            result.unchanged += 1
    db.session.flush()
    return result


def _pick_pao(pao_code, name):
    if pao_code:
        try:
            return find_pao(pao_code)
        except StationDataError as error:
            raise ImportFailed([f"{name}: {error}"]) from error
    paos = db.session.scalars(db.select(Pao).limit(2)).all()
    if len(paos) != 1:
        raise ImportFailed([f"{name}: name the PAO these MOUs belong to "
                            f"({'no PAO exists yet' if not paos else 'several PAOs exist'})"])
    return paos[0]


def _mou_row(row, stations, known_categories):
    station = stations.get(row["station_code"])
    if station is None:
        raise ValueError(f"unknown station code {row['station_code']!r}")
    signed_on = _date(row["signed_on"], "signed_on")
    effective_from = _date(row["effective_from"], "effective_from")
    expires_on = _date(row["expires_on"], "expires_on", required=False)
    covers_all, codes = covered_codes(row["categories"], known_categories)
    status = row["status"].lower()
    if status not in {s.value for s in MouStatus}:
        raise ValueError(f"status {row['status']!r} must be 'active' or 'ended'")
    if expires_on is not None and expires_on < effective_from:
        raise ValueError(f"expires_on {expires_on} is before effective_from {effective_from}")
    if effective_from < signed_on:
        raise ValueError(f"effective_from {effective_from} is before signed_on {signed_on}")
    return {"station": station, "signed_on": signed_on, "effective_from": effective_from,
            "expires_on": expires_on, "status": MouStatus(status), "covers_all": covers_all,
            "category_codes": codes, "document_ref": row.get("document_ref") or None}


def _date(text, column, required=True):
    if not text:
        if required:
            raise ValueError(f"{column} is empty; give a date as YYYY-MM-DD")
        return None
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        value = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a date in the form YYYY-MM-DD") from None
    if value.year > _LAST_GREGORIAN_YEAR:
        raise ValueError(f"{column} {text!r} looks like a Buddhist Era year; use the Gregorian year "
                         f"({value.year} BE = {value.year - 543})")
    return value


def _number(text, column):
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{column} {text!r} is not a finite number")
    return value
