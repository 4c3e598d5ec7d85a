"""Where reports cluster: counts on a fixed grid, never a cell with fewer than the minimum number of reports.

Cells are 0.01° squares (about 1.1 km) snapped to the grid, so a cell never centres on a house.
Cells below HOTSPOT_MIN_COUNT are not shown; their reports only add to the "elsewhere" total. Drug
reports are held to the rule on their own: they count in a cell only where that cell holds at least
the minimum of drug reports, so a shown cell never hides one or two drug reports among others.
"""
from sqlalchemy import func, select, union_all

from app.categories.models import Category
from app.extensions import db
from app.oversight import grid
from app.oversight.models import HotspotCell, HotspotRollup
from app.oversight.tables import rollup_filter
from app.reports.models import Report

CELLS_PER_DEGREE = grid.CELLS_PER_DEGREE  # 0.01° base cells
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


def _base_range_clauses(row, col, ranges):
    """Return conditions keeping base cells inside the zoom-0 read range (None: everywhere)."""
    if ranges is None:
        return []
    low_row, high_row, low_col, high_col = ranges[0]
    factor = grid.FACTORS[0]
    return [row >= low_row * factor, row < (high_row + 1) * factor,
            col >= low_col * factor, col < (high_col + 1) * factor]


def _direct_rows(scope, filters, ranges=None):
    row, col = cell_of(Report.lat, Report.lon)
    return db.session.execute(select(row, col, Report.category_id, func.count())
                              .where(*scope.clauses(), *filters.clauses(), *_base_range_clauses(row, col, ranges))
                              .group_by(row, col, Report.category_id)).all()


def _rollup_rows(scope, filters, ranges=None):
    query = select(HotspotRollup.cell_row, HotspotRollup.cell_col, HotspotRollup.category_id,
                   func.sum(HotspotRollup.reports))
    query = rollup_filter(HotspotRollup, query, scope, filters)
    query = query.where(*_base_range_clauses(HotspotRollup.cell_row, HotspotRollup.cell_col, ranges))
    return db.session.execute(query.group_by(HotspotRollup.cell_row, HotspotRollup.cell_col,
                                             HotspotRollup.category_id)).all()


def _zoom_levels(scope, filters, zoom, ranges, drugs):
    """Return {level: {square: [others, drugs]}} for levels 0..zoom from the per-zoom squares (one query).

    With bounds, each level is its own part of a UNION ALL, so PostgreSQL reads each from the covering
    index alone (an OR of the levels made it visit the table's pages)."""
    model = HotspotCell
    columns = (model.zoom, model.cell_row, model.cell_col, model.category_id)

    def part(*conditions):
        query = rollup_filter(model, select(*columns, func.sum(model.reports)), scope, filters)
        return query.where(*conditions).group_by(*columns)

    if ranges is None:
        query = part(model.zoom <= zoom)
    else:
        query = union_all(*[part(model.zoom == level, model.cell_row.between(low_row, high_row),
                                 model.cell_col.between(low_col, high_col))
                            for level, (low_row, high_row, low_col, high_col) in ranges.items()])
    rows = db.session.connection().execute(query).all()
    levels = {level: {} for level in range(zoom + 1)}
    for level, row, col, category_id, count in rows:
        levels[level].setdefault((row, col), [0, 0])[1 if category_id in drugs else 0] += int(count)
    return levels


def hotspot_cells(scope, filters, *, min_count, source=None, zoom=grid.FINEST, bounds=None):
    """Return the squares of one zoom shown under the minimum rule (app.oversight.grid), and the totals.

    PAO and national views read the per-zoom squares of the rollups (as of the last rollup refresh, like
    the dashboard); a member's own reports are counted directly; a station filter sums the base cells of
    its rollups. `source` ("rollups" or "direct") overrides the choice. With `bounds` (south, west,
    north, east) only squares meeting them are returned, the zoom is coarsened until they hold at most
    grid.MAX_CELLS squares, and no total is given (a total per bounds would count hidden squares).
    """
    min_count = max(1, int(min_count))
    source = source or ("direct" if scope.is_member else "rollups")
    zoom = grid.fit_zoom(min(max(int(zoom), 0), grid.FINEST), bounds)
    ranges = grid.read_ranges(bounds, zoom) if bounds is not None else None
    drugs = drug_category_ids()
    if source == "rollups" and filters.station is None:
        levels = _zoom_levels(scope, filters, zoom, ranges, drugs)
    else:
        rows = _direct_rows(scope, filters, ranges) if source == "direct" else _rollup_rows(scope, filters, ranges)
        levels = grid.levels_from_base(_cell_counts(rows, drugs), zoom)
    shown = grid.shown_squares(levels, zoom, min_count)
    visible = grid.cell_range(bounds, zoom) if bounds is not None else None
    size = grid.cell_degrees(zoom)
    cells = []
    for (row, col), count in sorted(shown.items()):
        if visible is not None and not grid.in_range((row, col), visible):
            continue
        south, west, north, east = row * size, col * size, (row + 1) * size, (col + 1) * size
        cells.append({"bounds": [[round(south, 4), round(west, 4)], [round(north, 4), round(east, 4)]],
                      "center": [round((south + north) / 2, 4), round((west + east) / 2, 4)],
                      "count": count})
    cells.sort(key=lambda cell: -cell["count"])
    total = elsewhere = None
    if bounds is None:
        total = sum(o + d for o, d in levels.get(0, {}).values())
        elsewhere = total - sum(shown.values())
    return {"cell_degrees": size, "zoom": zoom, "min_count": min_count, "cells": cells,
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
            "cell_degrees": data["cell_degrees"], "zoom": data["zoom"], "elsewhere": data["elsewhere"],
            "total": data["total"]}
