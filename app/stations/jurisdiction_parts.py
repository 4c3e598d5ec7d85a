"""Parts of a tambon given to another station in a jurisdiction draft: drawn on the map or imported as GeoJSON.

A part is stored clipped to its tambon. A drawn or imported polygon names its station and may name its
tambon; without one it is split over the province's tambon it overlaps (one part per tambon). Publishing
gives each part to its station and the rest of the tambon to the tambon's station (jurisdiction.station_pieces).
An import is checked whole first: one bad feature and nothing is written, every problem in Thai and English.
"""
import json
import math

import shapely
from shapely.geometry import shape

from app.extensions import db
from app.stations.jurisdiction import JurisdictionError, assignment_map, province_tambon
from app.stations.jurisdiction_models import JurisdictionPart
from app.stations.models import Station

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FEATURES = 500
MAX_VERTICES = 20_000  # per feature; a drawn part has a few dozen
# Below this share of a tambon's area a part is only the slack of a drawing along its edge.
MIN_SHARE = 1e-4
_STATION_KEYS = ("station", "station_code")
_TAMBON_KEYS = ("tambon", "tambon_code")


class PartsRefused(JurisdictionError):
    """Parts that cannot be added; lines_en / lines_th list every problem."""

    def __init__(self, lines):
        self.lines_en, self.lines_th = [en for en, _th in lines], [th for _en, th in lines]
        super().__init__("; ".join(self.lines_en), "; ".join(self.lines_th))


def polygon_from_points(points):
    """Return a Polygon from [[lon, lat], ...] as drawn on the map (at least 3 vertices), or raise PartsRefused."""
    try:
        ring = [(float(lon), float(lat)) for lon, lat in points]
    except (TypeError, ValueError):
        raise PartsRefused([("the drawing is not a list of points", "รูปที่วาดไม่ใช่รายการจุด")]) from None
    if len(ring) < 3:
        raise PartsRefused([("draw at least 3 points", "วาดอย่างน้อย 3 จุด")])
    if len(ring) > 1000:
        raise PartsRefused([("a drawn part may have at most 1000 points", "รูปที่วาดมีได้ไม่เกิน 1000 จุด")])
    return _checked(shapely.Polygon(ring))


def _checked(geom):
    """Return a valid polygonal geometry in longitude/latitude, or raise PartsRefused saying what is wrong."""
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        raise PartsRefused([(f"the geometry is a {geom.geom_type}, not a Polygon or MultiPolygon",
                             f"รูปร่างเป็น {geom.geom_type} ไม่ใช่ Polygon หรือ MultiPolygon")])
    west, south, east, north = geom.bounds
    if not all(map(math.isfinite, geom.bounds)) or not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise PartsRefused([("coordinates are not longitude/latitude in WGS84 degrees",
                             "พิกัดไม่ใช่ลองจิจูด/ละติจูด (WGS84 องศา)")])
    if shapely.get_num_coordinates(geom) > MAX_VERTICES:
        raise PartsRefused([(f"more than {MAX_VERTICES} points in one polygon; simplify it",
                             f"รูปหนึ่งมีจุดเกิน {MAX_VERTICES} จุด กรุณาลดความละเอียด")])
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise PartsRefused([(f"invalid polygon ({reason}): its outline must not cross itself",
                             f"รูปหลายเหลี่ยมไม่ถูกต้อง ({reason}): เส้นขอบต้องไม่ตัดกันเอง")])
    return geom


def _province_shapes(draft):
    """Return {tambon code: geometry} of the draft's province (read once per drawing or file)."""
    return {t.code: shapely.from_wkb(t.geometry_wkb) for t in province_tambon(draft.pao)}


def _clip(tambon, geom, tambon_code):
    """Return [(tambon code, clipped geometry)] of the geometry within the province's tambon, or raise."""
    if tambon_code:
        if tambon_code not in tambon:
            raise PartsRefused([(f"{tambon_code} is not a tambon of this province",
                                 f"{tambon_code} ไม่ใช่ตำบลในจังหวัดนี้")])
        candidates = [tambon_code]
    else:
        candidates = list(tambon)
    found = []
    for code in candidates:
        whole = tambon[code]
        if not shapely.intersects(whole, geom):
            continue
        piece = shapely.intersection(whole, geom)
        if piece.area > MIN_SHARE * whole.area:
            found.append((code, piece))
    if not found:
        where = f"tambon {tambon_code}" if tambon_code else "any tambon of the province"
        where_th = f"ตำบล {tambon_code}" if tambon_code else "ตำบลใดในจังหวัด"
        raise PartsRefused([(f"the part does not lie within {where}", f"ส่วนที่กำหนดไม่อยู่ใน{where_th}")])
    return found


def add_part(draft, geom, station, *, tambon_code=None, source="drawn", shapes=None):
    """Give the part of the tambon (or, none named, of each tambon under it that has another station) the
    geometry covers to a station in the draft; return the parts. shapes: _province_shapes, when known."""
    if not draft.is_draft:
        raise JurisdictionError("a published version cannot be changed", "แก้ไขฉบับที่ประกาศแล้วไม่ได้")
    pieces = _clip(shapes if shapes is not None else _province_shapes(draft), _checked(geom), tambon_code)
    if not tambon_code:  # spread over the tambon under it: those the station has whole need no part
        given = assignment_map(draft)
        pieces = [(code, piece) for code, piece in pieces if given.get(code) != station.id]
        if not pieces:
            raise PartsRefused([("the part lies only in tambon this station has already",
                                 "ส่วนนี้อยู่เฉพาะในตำบลที่สถานีนี้ดูแลอยู่แล้ว")])
    made = [JurisdictionPart(tambon_code=code, station_id=station.id, geometry_wkb=shapely.to_wkb(piece),
                             source=source[:200]) for code, piece in pieces]
    draft.parts.extend(made)
    db.session.flush()
    return made


def import_parts(draft, data, name):
    """Add every feature of a GeoJSON FeatureCollection as parts (all or nothing); return the parts added."""
    if len(data) > MAX_FILE_BYTES:
        raise PartsRefused([(f"{name}: the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB",
                             f"{name}: ไฟล์ใหญ่เกิน {MAX_FILE_BYTES // 1024 // 1024} MB")])
    features = _features(data, name)
    stations = {s.code: s for s in db.session.scalars(db.select(Station))}
    shapes = _province_shapes(draft)
    problems, wanted = [], []
    for number, feature in enumerate(features, start=1):
        props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        code = _first(props, _STATION_KEYS)
        tambon_code = _first(props, _TAMBON_KEYS)
        where = f"{name} feature {number}", f"{name} รายการที่ {number}"
        try:
            if code not in stations:
                raise PartsRefused([(f"unknown station code {code!r} (property 'station')",
                                     f"ไม่พบรหัสสถานี {code!r} (คุณสมบัติ 'station')")])
            geom = _checked(_shape(feature))
            _clip(shapes, geom, tambon_code)
            wanted.append((geom, stations[code], tambon_code))
        except PartsRefused as error:
            problems += [(f"{where[0]}: {en}", f"{where[1]}: {th}")
                         for en, th in zip(error.lines_en, error.lines_th, strict=True)]
    if problems:
        raise PartsRefused(problems)
    return [part for geom, station, tambon_code in wanted
            for part in add_part(draft, geom, station, tambon_code=tambon_code, source=name, shapes=shapes)]


def _features(data, name):
    try:
        parsed = json.loads(data.decode("utf-8-sig") if isinstance(data, bytes) else data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PartsRefused([(f"{name}: not a GeoJSON file (not valid JSON text)",
                             f"{name}: ไม่ใช่ไฟล์ GeoJSON (ไม่ใช่ JSON ที่ถูกต้อง)")]) from None
    if isinstance(parsed, dict) and parsed.get("type") == "Feature":
        parsed = {"type": "FeatureCollection", "features": [parsed]}
    features = parsed.get("features") if isinstance(parsed, dict) else None
    if not isinstance(features, list) or not features:
        raise PartsRefused([(f"{name}: not a GeoJSON FeatureCollection with features",
                             f"{name}: ไม่ใช่ GeoJSON FeatureCollection ที่มีรายการ")])
    if len(features) > MAX_FEATURES:
        raise PartsRefused([(f"{name}: more than {MAX_FEATURES} features", f"{name}: มีรายการเกิน {MAX_FEATURES}")])
    return features


def _first(props, keys):
    for key in keys:
        value = props.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
    return None


def _shape(feature):
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else "nothing"
        raise PartsRefused([(f"the geometry is {kind}, not a Polygon or MultiPolygon",
                             f"รูปร่างเป็น {kind} ไม่ใช่ Polygon หรือ MultiPolygon")])
    try:
        return shapely.force_2d(shape(geometry))
    except Exception:  # shapely raises several types for malformed coordinates
        raise PartsRefused([("the coordinates cannot be read", "อ่านพิกัดไม่ได้")]) from None


def remove_part(draft, part_id):
    """Give a part back to its tambon's station in the draft."""
    part = next((p for p in draft.parts if p.id == part_id), None)
    if part is None or not draft.is_draft:
        raise JurisdictionError("no such part in the draft", "ไม่พบส่วนนี้ในฉบับร่าง")
    draft.parts.remove(part)
    db.session.flush()


def part_overlaps(draft):
    """Return [(part, part)] of the draft's parts that overlap each other (the editor's warnings)."""
    parts = list(draft.parts)
    geoms = [shapely.from_wkb(p.geometry_wkb) for p in parts]
    pairs = []
    for i, a in enumerate(geoms):
        for j in range(i + 1, len(geoms)):
            if shapely.intersects(a, geoms[j]) and shapely.intersection(a, geoms[j]).area > MIN_SHARE * min(
                    a.area, geoms[j].area):
                pairs.append((parts[i], parts[j]))
    return pairs


def parts_to_own_station(draft):
    """Return the parts given to the station their whole tambon has already (they change nothing)."""
    given = assignment_map(draft)
    return [p for p in draft.parts if given.get(p.tambon_code) == p.station_id]


def compare_parts(older, newer):
    """Return (parts only in older, parts only in newer); a part is the same when tambon, station and shape are."""
    def key(part):
        return part.tambon_code, part.station_id, part.geometry_wkb
    a, b = {key(p) for p in older.parts}, {key(p) for p in newer.parts}
    return [p for p in older.parts if key(p) not in b], [p for p in newer.parts if key(p) not in a]


def part_share(part, tambon):
    """Return the share of its tambon a part covers, 0..1."""
    whole = shapely.from_wkb(tambon.geometry_wkb).area
    return shapely.from_wkb(part.geometry_wkb).area / whole if whole else 0.0
