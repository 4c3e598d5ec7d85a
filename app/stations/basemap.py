"""The maps' base layer: tambon and amphoe outlines with their names, drawn from the imported admin areas.

Map tiles come from outside and are often missing (no signal, no tile server configured); the outlines
make every map readable without them. Geometries are simplified for drawing (about 50 m) and rounded to
4 decimals; a map asks for what its bounds show, and a large window gets amphoe only.
"""
import threading

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import mapping

from app.extensions import db
from app.stations.adminareas import areas_key
from app.stations.models import AdminArea

DRAW_TOLERANCE = 0.0005
MAX_TAMBON = 400  # beyond this many in view, tambon outlines are left out (amphoe suffice at that zoom)
_lock = threading.Lock()
_cache = {}


class _Layer:
    def __init__(self, rows):
        tambon = [(r, shapely.from_wkb(r.geometry_wkb)) for r in rows]
        by_amphoe = {}
        for row, geometry in tambon:
            by_amphoe.setdefault(row.parent_code or row.code, (row, []))[1].append(geometry)
        amphoe = [(row, shapely.union_all(parts)) for row, parts in by_amphoe.values()]
        self.tambon = [(_tambon_props(row), _drawable(geometry)) for row, geometry in tambon]
        self.amphoe = [(_amphoe_props(row), _drawable(geometry)) for row, geometry in amphoe]
        self.tambon_tree = STRtree(np.array([g for _p, g in self.tambon], dtype=object))
        self.amphoe_tree = STRtree(np.array([g for _p, g in self.amphoe], dtype=object))

    def features(self, bbox):
        window = shapely.box(*bbox) if bbox else None
        amphoe = self._pick(self.amphoe, self.amphoe_tree, window)
        tambon = self._pick(self.tambon, self.tambon_tree, window)
        if len(tambon) > MAX_TAMBON:
            tambon = []
        return [_feature(props, geometry) for props, geometry in amphoe + tambon]

    @staticmethod
    def _pick(items, tree, window):
        if window is None:
            return items
        return [items[int(i)] for i in sorted(tree.query(window, predicate="intersects"))]


def _drawable(geometry):
    return shapely.set_precision(shapely.simplify(geometry, DRAW_TOLERANCE, preserve_topology=True), 1e-4)


def _tambon_props(row):
    return {"level": "tambon", "name_th": row.name_th, "name_en": row.name_en}


def _amphoe_props(row):
    return {"level": "amphoe", "name_th": row.parent_name_th or row.name_th,
            "name_en": row.parent_name_en or row.name_en}


def _feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": mapping(geometry)}


def base_layer(bbox=None):
    """Return a GeoJSON FeatureCollection of amphoe and tambon outlines in bbox (minlon, minlat, maxlon, maxlat)."""
    engine_key = areas_key()
    if engine_key is None:
        return {"type": "FeatureCollection", "features": []}
    with _lock:
        layer = _cache.get(engine_key)
        if layer is None:
            rows = db.session.scalars(db.select(AdminArea).where(AdminArea.level == "tambon")
                                      .order_by(AdminArea.id)).all()
            _cache.clear()
            layer = _cache[engine_key] = _Layer(rows)
    return {"type": "FeatureCollection", "features": layer.features(bbox)}
