"""Tambon and amphoe boundaries: import from GeoJSON, and name the tambon/amphoe under a pin."""
import json
import secrets
import threading
from dataclasses import dataclass

import numpy as np
import shapely
import shapely.ops
from shapely import STRtree
from shapely.geometry import shape

from app.core.timeutil import utcnow
from app.extensions import db
from app.routing.geodesy import geodesic_m
from app.stations.models import AdminArea
from app.stations.services import data_versions, set_data_version

LEVELS = ("tambon", "amphoe")
# The data_versions row an import stamps, so each process's caches of the areas know they are current.
AREAS_STAMP = "admin_areas"
# GeoJSON property names per level (HDX COD-AB as prepared in shared/data).
_PROPS = {
    "tambon": ("tambon_code", "tambon_th", "tambon_en", "amphoe_code", "amphoe_th", "amphoe_en"),
    "amphoe": ("amphoe_code", "amphoe_th", "amphoe_en", None, None, None),
}


class AdminAreaImportError(ValueError):
    """A GeoJSON file that cannot be imported as administrative areas."""


def iter_features(path):
    """Yield the features of a GeoJSON FeatureCollection.

    The national tambon file (37 MB) has one feature per line: it is read line by line so the whole
    collection is never held as Python objects at once. Any other layout is read whole.
    """
    with open(path, encoding="utf-8-sig") as f:
        first = f.readline()
        if not first.rstrip().endswith('"features":['):
            f.seek(0)
            yield from (json.load(f).get("features") or [])
            return
        for line in f:
            line = line.strip().rstrip(",")
            if line.startswith("{"):
                yield json.loads(line)


def import_admin_areas(path, level="tambon", province=None):
    """Create or update the tambon (or amphoe) areas from a GeoJSON file; return how many were written.

    province (a two-digit DOPA code) keeps only that province's features, e.g. from the national file.
    """
    if level not in LEVELS:
        raise AdminAreaImportError(f"level must be one of {', '.join(LEVELS)}")
    province = (province or "").strip() or None
    code_key, th_key, en_key, parent_key, parent_th, parent_en = _PROPS[level]
    existing = {a.code: a for a in db.session.scalars(db.select(AdminArea).where(AdminArea.level == level))}
    written = 0
    for number, feature in enumerate(iter_features(path), start=1):
        props = feature.get("properties") or {}
        if province is not None and str(props.get("province_code") or "") != province:
            continue
        code = str(props.get(code_key) or "").strip()
        if not code:
            raise AdminAreaImportError(f"feature {number} has no {code_key}")
        geometry = shape(feature["geometry"])
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise AdminAreaImportError(f"feature {number} ({code}) is not a polygon")
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        area = existing.get(code) or AdminArea(level=level, code=code)
        area.name_th = props.get(th_key) or code
        area.name_en = props.get(en_key) or area.name_th
        area.parent_code = props.get(parent_key) if parent_key else None
        area.parent_name_th = props.get(parent_th) if parent_th else None
        area.parent_name_en = props.get(parent_en) if parent_en else None
        area.province_code = props.get("province_code")
        area.province_th = props.get("province_th")
        area.province_en = props.get("province_en") or area.province_th
        area.geometry_wkb = shapely.to_wkb(geometry)
        area.imported_at = utcnow()
        db.session.add(area)
        existing[code] = area
        written += 1
        if written % 500 == 0:
            db.session.flush()
    if province is not None and not written:
        raise AdminAreaImportError(f"no {level} of province {province} in the file")
    stamp_areas()
    return written


def stamp_areas():
    """Record that the stored areas changed (import_admin_areas does), so every process's caches of them reload."""
    set_data_version(AREAS_STAMP, lambda _value: secrets.randbelow(2**31 - 1) + 1)


def areas_key(versions=None):
    """Return what identifies the stored tambon areas for a process's caches (the place index, the base map),
    or None when there are none. versions: the data_versions rows when the caller has just read them.

    An import writes a fresh random stamp (stamp_areas): reading it is one primary-key lookup, where counting the
    areas read every row, outlines and all (37 MB for the whole country), on each filing. Random, not a counter,
    so that a database emptied and imported again never matches a cache built before. No stamp: no areas were
    imported (migration 0024 stamped the areas imported before stamps existed)."""
    stamp = (data_versions() if versions is None else versions).get(AREAS_STAMP)
    return None if stamp is None else (db.engine.url, stamp)


@dataclass(frozen=True)
class PlaceName:
    tambon_th: str
    tambon_en: str
    amphoe_th: str | None
    amphoe_en: str | None
    tambon_code: str | None = None  # stored on the report so statistics need no geometry
    amphoe_code: str | None = None
    province_code: str | None = None
    province_th: str | None = None
    province_en: str | None = None

    def to_dict(self):
        """Return the names shown to people (the codes stay internal)."""
        return {"tambon_th": self.tambon_th, "tambon_en": self.tambon_en, "amphoe_th": self.amphoe_th,
                "amphoe_en": self.amphoe_en, "province_th": self.province_th, "province_en": self.province_en}

    def text(self, lang):
        """Return the place as people write it, e.g. 'ต.บ่อยาง อ.เมืองสงขลา จ.สงขลา' (see place_text)."""
        return place_text(lang, self.tambon_th, self.tambon_en, self.amphoe_th, self.amphoe_en, self.province_th,
                          self.province_en)


def place_text(lang, tambon_th, tambon_en, amphoe_th, amphoe_en, province_th=None, province_en=None):
    """Return a place as people write it: 'ต.… อ.… จ.…' in Thai, 'Tambon …, Amphoe …, Province' in English."""
    if lang == "th":
        parts = [f"ต.{tambon_th}", amphoe_th and f"อ.{amphoe_th}", province_th and f"จ.{province_th}"]
        return " ".join(part for part in parts if part)
    parts = [f"Tambon {tambon_en}", amphoe_en and f"Amphoe {amphoe_en}", province_en]
    return ", ".join(part for part in parts if part)


class _Index:
    def __init__(self, rows):
        self.names = [PlaceName(r.name_th, r.name_en, r.parent_name_th, r.parent_name_en, r.code, r.parent_code,
                                r.province_code, r.province_th, r.province_en) for r in rows]
        self.by_code = {name.tambon_code: name for name in self.names}
        geoms = np.array([shapely.from_wkb(r.geometry_wkb) for r in rows], dtype=object)
        shapely.prepare(geoms)
        self.tree = STRtree(geoms)

    def locate(self, lat, lon):
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        return self.names[int(min(hits))] if len(hits) else None

    def nearest(self, lat, lon):
        """Return (the nearest tambon, metres to its edge)."""
        point = shapely.Point(lon, lat)
        index = int(self.tree.nearest(point))
        edge, _same = shapely.ops.nearest_points(self.tree.geometries[index], point)
        return self.names[index], geodesic_m(lat, lon, edge.y, edge.x)


@dataclass(frozen=True)
class PlaceFacts:
    """Where a pin is among the known tambon: the one it lies in, else the nearest one and how far."""

    place: PlaceName | None
    nearest: PlaceName | None = None
    distance_m: float | None = None


_cache_lock = threading.Lock()
_cache = {}


def locate_place_name(lat, lon):
    """Return the tambon (with its amphoe) containing the point, or None when none is known."""
    index = _index()
    return index.locate(lat, lon) if index is not None else None


def place_of_tambon(tambon_code):
    """Return the PlaceName of a tambon by its code (as stored on a report), or None when unknown."""
    index = _index() if tambon_code else None
    return index.by_code.get(tambon_code) if index is not None else None


def place_facts(lat, lon, versions=None):
    """Return the tambon of a pin, or (in none) the nearest tambon and the distance to it; None with no areas.
    versions: the data_versions rows when the caller has just read them (stations.services.data_versions)."""
    index = _index(versions)
    if index is None:
        return None
    place = index.locate(lat, lon)
    if place is not None:
        return PlaceFacts(place)
    nearest, distance = index.nearest(lat, lon)
    return PlaceFacts(None, nearest, distance)


def _index(versions=None):
    # Rebuilt when the areas change (areas_key).
    engine_key = areas_key(versions)
    if engine_key is None:
        return None
    with _cache_lock:
        if engine_key not in _cache:
            rows = db.session.scalars(db.select(AdminArea).where(AdminArea.level == "tambon")
                                      .order_by(AdminArea.id)).all()
            _cache.clear()
            _cache[engine_key] = _Index(rows) if rows else None  # an import of amphoe only: no tambon to name
        return _cache[engine_key]
