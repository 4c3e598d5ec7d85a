"""Where reports cluster: counts on a fixed grid, never a cell with fewer than the minimum number of reports.

Cells are 0.01° squares (about 1.1 km) snapped to the grid, so a cell never centres on a house.
Cells below HOTSPOT_MIN_COUNT are not shown; their reports only add to the "elsewhere" total. Drug
reports are held to the rule on their own: they count in a cell only where that cell holds at least
the minimum of drug reports, so a shown cell never hides one or two drug reports among others.
"""
from sqlalchemy import func, select

from app.extensions import db
from app.reports.models import Category, Report

CELLS_PER_DEGREE = 100  # 0.01° cells
DRUGS = "drugs"
# Float error must not move a point on a grid line into the cell below (7.2 * 100 = 719.999…).
_NUDGE = 1e-9


def drug_category_ids():
    """Return the ids of the drugs category and its sub-categories."""
    top = select(Category.id).where(Category.code == DRUGS).scalar_subquery()
    return set(db.session.scalars(select(Category.id).where((Category.id == top) | (Category.parent_id == top))))


def _cell_counts(scope, filters):
    """Return {(row, col): [other_count, drug_count]} of the scope's reports meeting the filters."""
    drugs = drug_category_ids()
    inner = select(func.floor(Report.lat * CELLS_PER_DEGREE + _NUDGE).label("row"),
                   func.floor(Report.lon * CELLS_PER_DEGREE + _NUDGE).label("col"),
                   Report.category_id.in_(drugs).label("drug") if drugs else Report.id.is_(None).label("drug")
                   ).where(*scope.clauses(), *filters.clauses()).subquery()
    counts = {}
    for row, col, drug, count in db.session.execute(
            select(inner.c.row, inner.c.col, inner.c.drug, func.count())
            .group_by(inner.c.row, inner.c.col, inner.c.drug)):
        counts.setdefault((int(row), int(col)), [0, 0])[1 if drug else 0] += count
    return counts


def hotspot_cells(scope, filters, *, min_count):
    """Return the grid cells with at least `min_count` reports, and the count of every other report."""
    min_count = max(1, int(min_count))
    cells, elsewhere, total = [], 0, 0
    for (row, col), (others, drugs) in sorted(_cell_counts(scope, filters).items()):
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
            "elsewhere": elsewhere, "total": total}


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
