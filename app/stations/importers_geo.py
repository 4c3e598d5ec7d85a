"""Jurisdiction area import from GeoJSON: check every feature, then replace each named station's area.

Without a mapping, the key property of each feature holds a station code. With a mapping CSV
(columns `<key>,station_code`, extra columns ignored) each feature's key value (e.g. a tambon code)
is looked up there; features the mapping does not assign are skipped with a warning. All features of
one station are unioned into one area; the stations in the file get their old areas deleted and the
new ones inserted in the same transaction, so routing never sees a half-replaced province.
"""
import json
import math
from dataclasses import dataclass, field

import shapely
from shapely.geometry import shape

from app.extensions import db
from app.stations.import_files import ImportFailed, read_csv, read_text, source_name
from app.stations.models import JurisdictionArea, Station
from app.stations.services import bump_routing_version

_POLYGONAL = ("Polygon", "MultiPolygon")
# Names a GeoJSON `crs` member may carry for plain WGS84 longitude/latitude (RFC 7946 dropped `crs`).
_WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:4326", "epsg:4326", "crs84", "ogc:crs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84", "http://www.opengis.net/def/crs/epsg/0/4326",
}
# Shared edges intersect with zero area; anything smaller than this is floating-point noise.
_MIN_OVERLAP_KM2 = 1e-5
_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON_EQUATOR = 111.320


@dataclass
class AreaImportResult:
    areas_written: int = 0
    features_read: int = 0
    features_skipped: int = 0
    stations: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


class _FeatureError(ValueError):
    pass


def import_areas(path, *, key, mapping_path=None, source=None):
    """Replace the jurisdiction areas of the stations named in a GeoJSON FeatureCollection."""
    name = source_name(path)
    features = _load_features(path, name)
    stations = {s.code: s for s in db.session.scalars(db.select(Station))}
    errors, warnings = [], []
    mapping = load_mapping(mapping_path, key, stations, errors) if mapping_path is not None else None
    parts, skipped = {}, 0
    for number, feature in enumerate(features, start=1):
        value = _key_value(feature, key)
        where = f"{name} feature {number}" + (f" ({key}={value})" if value else "")
        try:
            geom, repaired = _feature_geometry(feature, key, value)
        except _FeatureError as error:
            errors.append(f"{where}: {error}")
            continue
        if repaired:
            warnings.append(f"{where}: invalid geometry ({repaired}) was repaired")
        if mapping is None:
            code = value
            if code not in stations:
                errors.append(f"{where}: unknown station code {code!r}")
                continue
        else:
            code = mapping.get(value)
            if code is None:
                warnings.append(f"{where}: not assigned to a station by {source_name(mapping_path)}; skipped")
                skipped += 1
                continue
        parts.setdefault(code, []).append(geom)
    if not parts and not errors:
        errors.append(f"{name}: no feature belongs to a station; nothing to import")
    if errors:
        raise ImportFailed(errors)
    areas = union_parts(parts)
    warnings.extend(_overlap_warnings(areas, stations))
    warnings.extend(_versioned_warnings(areas, stations))
    label = source or _source_label(name, key, mapping_path)
    _replace_areas(areas, parts, stations, label)
    bump_routing_version()
    db.session.flush()
    return AreaImportResult(areas_written=len(areas), features_read=len(features), features_skipped=skipped,
                            stations=list(areas), warnings=warnings)


def union_parts(parts):
    """Return {key: one polygonal area} from {key: [tambon geometries]}: the union of each station's parts
    (the areas import with --map and the publishing of a jurisdiction version both build areas this way)."""
    return {key: _polygonal(shapely.union_all(geoms)) for key, geoms in sorted(parts.items())}


def _load_features(path, name):
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise ImportFailed([f"{name}: not valid JSON ({error.msg} at line {error.lineno}, "
                            f"column {error.colno})"]) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise ImportFailed([f"{name}: not a GeoJSON FeatureCollection (type is {found!r})"])
    crs = data.get("crs")
    if crs is not None:
        crs_name = ((crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None) or ""
        if crs_name.strip().lower() not in _WGS84_NAMES:
            raise ImportFailed([f"{name}: coordinate reference system {crs_name or crs!r} is not WGS84 "
                                "longitude/latitude (CRS84 or EPSG:4326); reproject the file first"])
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFailed([f"{name}: the FeatureCollection has no 'features' list"])
    if not features:
        raise ImportFailed([f"{name}: the FeatureCollection has no features"])
    return features


def load_mapping(mapping_path, key, stations, errors):
    """Return {key value: station code or None}; unknown station codes go to errors."""
    name = source_name(mapping_path)
    mapping = {}
    for line, row in read_csv(mapping_path, (key, "station_code")):
        value, code = row[key], row["station_code"]
        where = f"{name} line {line}"
        if not value:
            errors.append(f"{where}: {key} is empty")
        elif code and code not in stations:
            errors.append(f"{where}: unknown station code {code!r}")
        elif value in mapping and mapping[value] != (code or None):
            errors.append(f"{where}: {key} {value!r} is mapped twice, to different stations")
        else:
            mapping[value] = code or None
    return mapping


def _key_value(feature, key):
    props = feature.get("properties") if isinstance(feature, dict) else None
    value = (props or {}).get(key)
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 900101.0 from a spreadsheet export means 900101
    return str(value).strip()


def _feature_geometry(feature, key, value):
    """Return (polygonal WGS84 geometry, repair reason or None) or raise _FeatureError."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _FeatureError("is not a GeoJSON Feature")
    if not value:
        raise _FeatureError(f"has no {key!r} property")
    geometry = feature.get("geometry")
    if not geometry:
        raise _FeatureError("has no geometry (empty)")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in _POLYGONAL:
        raise _FeatureError(f"geometry is a {kind}, not a Polygon or MultiPolygon")
    try:
        geom = shapely.force_2d(shape(geometry))
    except Exception as error:  # shapely raises several types for malformed coordinates
        raise _FeatureError(f"geometry cannot be read ({error})") from error
    if geom.is_empty:
        raise _FeatureError("has an empty geometry")
    west, south, east, north = geom.bounds
    if not all(map(math.isfinite, geom.bounds)) or not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise _FeatureError(f"coordinates are outside the longitude/latitude range (bounds {west:g}, "
                            f"{south:g}, {east:g}, {north:g}); the file must be in WGS84 degrees")
    if geom.is_valid:
        return geom, None
    reason = shapely.is_valid_reason(geom)
    repaired = _polygonal(shapely.make_valid(geom))
    if repaired.is_empty:
        raise _FeatureError(f"invalid geometry ({reason}) has no area left after repair")
    return repaired, reason


def _polygonal(geom):
    """Return only the polygonal parts of a geometry (make_valid may add stray lines and points)."""
    if geom.geom_type in _POLYGONAL:
        return geom
    polygons = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            polygons.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            flat = _polygonal(part)
            polygons.extend(shapely.get_parts(flat) if flat.geom_type == "MultiPolygon" else [flat])
    polygons = [p for p in polygons if not p.is_empty]
    if len(polygons) == 1:
        return polygons[0]
    return shapely.MultiPolygon(polygons)


def _overlap_warnings(areas, stations):
    """Warn about overlapping areas: between stations in the file, and with other stations' stored areas."""
    codes = list(areas)
    geoms = [areas[c] for c in codes]
    by_id = {s.id: code for code, s in stations.items()}
    ids = [stations[c].id for c in codes]
    for area in db.session.scalars(db.select(JurisdictionArea).where(JurisdictionArea.station_id.not_in(ids),
                                                                     JurisdictionArea.valid_until.is_(None))):
        codes.append(by_id[area.station_id])
        geoms.append(area.geometry)
    tree = shapely.STRtree(geoms)
    warnings = []
    for i in range(len(areas)):
        for j in sorted(tree.query(geoms[i], predicate="intersects").tolist()):
            if j <= i or codes[j] == codes[i]:
                continue
            km2 = _approx_km2(shapely.intersection(geoms[i], geoms[j]))
            if km2 >= _MIN_OVERLAP_KM2:
                warnings.append(f"the areas of {codes[i]} and {codes[j]} overlap by about {km2:.3g} km²; "
                                "reports there go to the smaller area")
    return warnings


def _versioned_warnings(areas, stations):
    """Warn when a station in the file already has areas from a published jurisdiction version."""
    ids = {stations[code].id: code for code in areas}
    versioned = db.session.scalars(db.select(JurisdictionArea.station_id).where(
        JurisdictionArea.station_id.in_(list(ids)), JurisdictionArea.version_id.is_not(None),
        JurisdictionArea.valid_until.is_(None)).distinct()).all()
    return [f"{ids[sid]} has areas from a published jurisdiction version; the imported area is added "
            "beside them (change a published jurisdiction with the editor or flask areas publish)"
            for sid in sorted(versioned)]


def _approx_km2(geom):
    if geom.is_empty or geom.area == 0:
        return 0.0
    lat = geom.centroid.y
    return geom.area * _KM_PER_DEG_LAT * _KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat))


def _replace_areas(areas, parts, stations, label):
    ids = [stations[code].id for code in areas]
    # Areas of published jurisdiction versions, and imported areas a version ended, are history: an import
    # replaces only the imported areas still open-ended.
    for old in db.session.scalars(db.select(JurisdictionArea).where(
            JurisdictionArea.station_id.in_(ids), JurisdictionArea.version_id.is_(None),
            JurisdictionArea.valid_until.is_(None))):
        db.session.delete(old)
    db.session.flush()
    for code, geom in areas.items():
        area = JurisdictionArea(station=stations[code], source=label, feature_count=len(parts[code]))
        area.geometry = geom
        db.session.add(area)


def _source_label(name, key, mapping_path):
    via = f" via {source_name(mapping_path)}" if mapping_path is not None else ""
    return f"{name} ({key}{via})"[:400]
