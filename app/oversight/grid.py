"""Hotspot zoom levels on a plain nested grid, and the suppression that keeps every shown count, and every
difference between shown counts of any zoom levels, at or above the minimum.

Zoom 0 has 0.64° squares (a province in a few), each splitting into 4 × 4 squares of the next zoom,
down to the 0.01° squares of zoom 3: cells are (row, col) = floor(degrees × 100 / factor), so the
cell of zoom z is the base (0.01°) cell integer-divided by FACTORS[z], and every square nests exactly
in one square of each coarser zoom.

Suppression runs from the coarsest zoom down. A square counts its other reports, plus its drug reports
only when they reach the minimum (app.oversight.hotspots). Zoom 0 shows the squares at or above the
minimum. At each finer zoom, a square is shown only inside a shown parent and at or above the minimum,
and the parent's count minus its shown children (what a viewer could subtract) must be 0 or at least
the minimum: while it is not, the smallest shown child is hidden too. A hidden square never has a
shown child. So whatever a viewer subtracts (a parent less its children, at any two zooms, or with
bounds that overlap) is a sum of such remainders: 0 or at least the minimum, never one or two reports.

A decision about a square depends only on its parent's shown count and its siblings, so bounds need
only the squares of each zoom within the bounds widened to the grid of the zoom above (`read_ranges`):
the answer inside the bounds is exactly the answer for the whole PAO.
"""
import math

CELLS_PER_DEGREE = 100  # base (finest) cells: 0.01°
FACTORS = (64, 16, 4, 1)  # base cells per side of a square at zoom 0, 1, 2, 3
FINEST = len(FACTORS) - 1
PROVINCE = 1  # the zoom the map opens at: 0.16° squares (about 18 km)
MAX_CELLS = 4096  # squares a request may cover: finer zooms over wider bounds fall back to a coarser zoom


def cell_degrees(zoom):
    """Return the side of a square of `zoom` in degrees."""
    return FACTORS[zoom] / CELLS_PER_DEGREE


def coarsen(cell, zoom):
    """Return the square of `zoom` holding a base cell (row, col)."""
    factor = FACTORS[zoom]
    return cell[0] // factor, cell[1] // factor


def parent_of(cell, zoom):
    """Return the square of zoom - 1 holding a square of `zoom`."""
    step = FACTORS[zoom - 1] // FACTORS[zoom]
    return cell[0] // step, cell[1] // step


def fit_zoom(zoom, bounds):
    """Return the finest zoom no finer than `zoom` at which the bounds cover at most MAX_CELLS squares."""
    if bounds is None:
        return zoom
    south, west, north, east = bounds
    while zoom > 0:
        size = cell_degrees(zoom)
        if ((north - south) / size + 1) * ((east - west) / size + 1) <= MAX_CELLS:
            break
        zoom -= 1
    return zoom


def cell_range(bounds, zoom, widen_to=None):
    """Return (row_low, row_high, col_low, col_high) of the squares of `zoom` meeting the bounds, widened
    to whole squares of zoom `widen_to` when given (inclusive)."""
    south, west, north, east = bounds
    outer = FACTORS[zoom if widen_to is None else widen_to]
    base = [math.floor(v * CELLS_PER_DEGREE) for v in (south, north, west, east)]
    low_row, high_row, low_col, high_col = (base[0] // outer * outer, (base[1] // outer + 1) * outer - 1,
                                            base[2] // outer * outer, (base[3] // outer + 1) * outer - 1)
    factor = FACTORS[zoom]
    return low_row // factor, high_row // factor, low_col // factor, high_col // factor


def read_ranges(bounds, zoom):
    """Return {zoom level: cell range} to read so that every square of `zoom` in the bounds is decided."""
    return {level: cell_range(bounds, level, widen_to=max(level - 1, 0)) for level in range(zoom + 1)}


def levels_from_base(base, zoom):
    """Return {level: {square: [others, drugs]}} for levels 0..zoom from {base cell: [others, drugs]}."""
    levels = {}
    for level in range(zoom + 1):
        squares = levels[level] = {}
        for cell, (others, drugs) in base.items():
            entry = squares.setdefault(coarsen(cell, level), [0, 0])
            entry[0] += others
            entry[1] += drugs
    return levels


def shown_squares(levels, zoom, min_count):
    """Return {square of `zoom`: shown count} after the top-down suppression the module describes."""
    def value(counts):
        others, drugs = counts
        return others + (drugs if drugs >= min_count else 0)

    shown = {cell: value(c) for cell, c in levels.get(0, {}).items() if value(c) >= min_count}
    for level in range(1, zoom + 1):
        children = {}
        for cell, counts in levels.get(level, {}).items():
            parent = parent_of(cell, level)
            if parent in shown and value(counts) >= min_count:
                children.setdefault(parent, []).append((value(counts), cell))
        finer = {}
        for parent, kids in children.items():
            kids.sort()
            remainder = shown[parent] - sum(count for count, _cell in kids)
            while 0 < remainder < min_count and kids:
                remainder += kids.pop(0)[0]
            finer.update((cell, count) for count, cell in kids)
        shown = finer
    return shown


def in_range(cell, cells):
    """Return whether a square lies in a (row_low, row_high, col_low, col_high) range."""
    return cells[0] <= cell[0] <= cells[1] and cells[2] <= cell[1] <= cells[3]


def bbox_arg(args, name):
    """Return (south, west, north, east) from args[name] = 'south,west,north,east', or None when absent or bad."""
    parts = (args.get(name) or "").split(",")
    if len(parts) != 4 or any(len(part) > 24 for part in parts):
        return None
    try:
        south, west, north, east = (float(part) for part in parts)
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        return None
    south, north = max(-90.0, min(south, north)), min(90.0, max(south, north))
    west, east = max(-180.0, min(west, east)), min(180.0, max(west, east))
    return south, west, north, east
