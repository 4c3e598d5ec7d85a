"""Where reports cluster: counts on a fixed grid, never a cell with fewer than the minimum number of reports.

Cells are 0.01° squares (about 1.1 km) snapped to the grid, so a cell never centres on a house.
Cells below HOTSPOT_MIN_COUNT are not shown; their reports only add to the "elsewhere" total. Drug
reports are held to the rule on their own: they count in a cell only where that cell holds at least
the minimum of drug reports, so a shown cell never hides one or two drug reports among others.
"""
from sqlalchemy import func, select

from app.categories.models import Category
from app.extensions import db
from app.oversight.models import HotspotRollup
from app.oversight.tables import rollup_filter
from app.reports.models import Report

CELLS_PER_DEGREE = 100  # 0.01° cells
DRUGS = "drugs"
# Float error must not move a point on a grid line into the cell below (7.2 * 100 = 719.999…).
_NUDGE = 1e-9


def drug_category_ids():
    """Return the ids of the drugs category and its sub-categories."""
    top = select(Category.id).where(Category.code == DRUGS).scalar_subquery()
    return set(db.session.scalars(select(Category.id).where((Category.id == top) | (Category.parent_id == top))))


def cell_of(lat, lon):
    """Return SQL expressions for the grid row and column of a point (as labelled columns)."""
    return (func.floor(lat * CELLS_PER_DEGREE + _NUDGE).label("row"),
            func.floor(lon * CELLS_PER_DEGREE + _NUDGE).label("col"))


def _cell_counts(rows, drugs):
    """Return {(row, col): [other_count, drug_count]} from (row, col, category_id, count) rows."""
    counts = {}
    for row, col, category_id, count in rows:
        counts.setdefault((int(row), int(col)), [0, 0])[1 if category_id in drugs else 0] += int(count)
    return counts


def _direct_rows(scope, filters):
    row, col = cell_of(Report.lat, Report.lon)
    return db.session.execute(select(row, col, Report.category_id, func.count())
                              .where(*scope.clauses(), *filters.clauses())
                              .group_by(row, col, Report.category_id)).all()


def _rollup_rows(scope, filters):
    query = select(HotspotRollup.cell_row, HotspotRollup.cell_col, HotspotRollup.category_id,
                   func.sum(HotspotRollup.reports))
    query = rollup_filter(HotspotRollup, query, scope, filters)
    return db.session.execute(query.group_by(HotspotRollup.cell_row, HotspotRollup.cell_col,
                                             HotspotRollup.category_id)).all()


def hotspot_cells(scope, filters, *, min_count, source=None):
    """Return the grid cells with at least `min_count` reports, and the count of every other report.

    PAO and national views sum the hotspot rollups (as of the last rollup refresh, like the dashboard);
    a member's own reports are counted directly. `source` ("rollups" or "direct") overrides the choice.
    """
    min_count = max(1, int(min_count))
    source = source or ("direct" if scope.is_member else "rollups")
    rows = _direct_rows(scope, filters) if source == "direct" else _rollup_rows(scope, filters)
    cells, elsewhere, total = [], 0, 0
    for (row, col), (others, drugs) in sorted(_cell_counts(rows, drug_category_ids()).items()):
        total += others + drugs
        shown_drugs = drugs if drugs >= min_count else 0
        count = others + shown_drugs
        if count < min_count:
            elsewhere += others + drugs
            continue
        elsewhere += drugs - shown_drugs
        south, west = row / CELLS_PER_DEGREE, col / CELLS_PER_DEGREE
        north, east = (row + 1) / CELLS_PER_DEGREE, (col + 1) / CELLS_PER_DEGREE
        cells.append({"bounds": [[round(south, 4), round(west, 4)], [round(north, 4), round(east, 4)]],
                      "center": [round((south + north) / 2, 4), round((west + east) / 2, 4)],
                      "count": count})
    cells.sort(key=lambda cell: -cell["count"])
    return {"cell_degrees": 1 / CELLS_PER_DEGREE, "min_count": min_count, "cells": cells,
            "elsewhere": elsewhere, "total": total, "source": source}


def hotspot_geojson(data):
    """Return the cells as a GeoJSON FeatureCollection of squares (for the map), with the totals as members."""
    features = []
    for cell in data["cells"]:
        (south, west), (north, east) = cell["bounds"]
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {"count": cell["count"]}})
    return {"type": "FeatureCollection", "features": features, "min_count": data["min_count"],
            "cell_degrees": data["cell_degrees"], "elsewhere": data["elsewhere"], "total": data["total"]}
