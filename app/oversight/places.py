"""Tambon and amphoe codes of a pin, stored on each report at intake so statistics need no geometry."""
import threading

import numpy as np
import shapely
from shapely import STRtree

from app.extensions import db
from app.reports.models import AdminArea

_lock = threading.Lock()
_cache = {}


class _CodeIndex:
    def __init__(self, rows):
        self.codes = [(code, parent) for code, parent, _wkb in rows]
        geoms = np.array([shapely.from_wkb(wkb) for _code, _parent, wkb in rows], dtype=object)
        shapely.prepare(geoms)
        self.tree = STRtree(geoms)

    def locate(self, lat, lon):
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        return self.codes[int(min(hits))] if len(hits) else (None, None)


def locate_area_codes(lat, lon):
    """Return (tambon_code, amphoe_code) of the tambon containing the point, or (None, None)."""
    # Same freshness rule as app.reports.adminareas: rebuild when the tambon rows change.
    key = tuple(db.session.execute(
        db.select(db.func.count(AdminArea.id), db.func.max(AdminArea.id), db.func.max(AdminArea.imported_at))
        .where(AdminArea.level == "tambon")).one())
    if not key[0] or lat is None or lon is None:
        return None, None
    engine_key = (str(db.engine.url), key)
    with _lock:
        index = _cache.get(engine_key)
        if index is None:
            rows = db.session.execute(
                db.select(AdminArea.code, AdminArea.parent_code, AdminArea.geometry_wkb)
                .where(AdminArea.level == "tambon").order_by(AdminArea.id)).all()
            _cache.clear()
            index = _cache[engine_key] = _CodeIndex(rows)
    return index.locate(lat, lon)


def amphoe_names(lang):
    """Return {amphoe_code: name} in the language, from amphoe rows or the amphoe copied onto tambon rows."""
    names = {}
    for code, th, en in db.session.execute(
            db.select(AdminArea.parent_code, AdminArea.parent_name_th, AdminArea.parent_name_en)
            .where(AdminArea.level == "tambon", AdminArea.parent_code.isnot(None)).distinct()):
        names[code] = (en if lang == "en" else th) or th or code
    for code, th, en in db.session.execute(
            db.select(AdminArea.code, AdminArea.name_th, AdminArea.name_en).where(AdminArea.level == "amphoe")):
        names[code] = (en if lang == "en" else th) or th or code
    return names


def fill_area_codes(reports):
    """Set the tambon and amphoe codes of reports that lack them; return how many changed."""
    changed = 0
    for report in reports:
        tambon, amphoe = locate_area_codes(report.lat, report.lon)
        if (tambon, amphoe) != (report.tambon_code, report.amphoe_code) and tambon:
            report.tambon_code, report.amphoe_code = tambon, amphoe
            changed += 1
    db.session.flush()
    return changed
