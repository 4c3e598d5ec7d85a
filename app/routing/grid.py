"""Which bounding boxes hold a point or meet a box: a uniform grid of plain Python lists.

It answers what STRtree.query answers for envelopes (edges included), but a route() asks it a few
times per call, and a dict lookup plus a few float comparisons cost a fraction of building a shapely
geometry and passing it through the tree's numpy wrapper.
"""
from __future__ import annotations

import math

import numpy as np

# A box spanning more cells than this on a side is kept in a short list checked on every query, so
# one province-sized polygon among tambon-sized ones cannot make the build fill thousands of cells.
_MAX_SPAN = 8
# A query box spanning more cells than this scans every box instead (only with odd settings).
_MAX_QUERY_CELLS = 64


class BoxGrid:
    """Boxes (minx, miny, maxx, maxy) filed under every grid cell they touch."""

    def __init__(self, bounds: np.ndarray, cell: float):
        bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
        self._bounds = bounds.tolist()
        self._cell = cell if math.isfinite(cell) and cell > 0 else 1.0
        # Empty geometries have NaN bounds: they hold nothing, as in STRtree.
        finite = np.flatnonzero(np.isfinite(bounds).all(axis=1))
        self._x0 = float(bounds[finite, 0].min()) if len(finite) else 0.0
        self._y0 = float(bounds[finite, 1].min()) if len(finite) else 0.0
        # The same float steps as _ix/_iy, vectorised: a box is filed under exactly the cells queries compute.
        ix0, ix1 = (np.floor((bounds[finite][:, [0, 2]] - self._x0) / self._cell).astype(np.int64).T).tolist()
        iy0, iy1 = (np.floor((bounds[finite][:, [1, 3]] - self._y0) / self._cell).astype(np.int64).T).tolist()
        self._large: list[int] = []
        cells: dict[tuple[int, int], list[int]] = {}
        for i, a, b, c, d in zip(finite.tolist(), ix0, iy0, ix1, iy1, strict=True):
            if c - a >= _MAX_SPAN or d - b >= _MAX_SPAN:
                self._large.append(i)
                continue
            for ix in range(a, c + 1):
                for iy in range(b, d + 1):
                    cells.setdefault((ix, iy), []).append(i)
        self._cells = {key: tuple(found) for key, found in cells.items()}

    def _ix(self, x: float) -> int:
        return math.floor((x - self._x0) / self._cell)

    def _iy(self, y: float) -> int:
        return math.floor((y - self._y0) / self._cell)

    def holding(self, x: float, y: float) -> list[int]:
        """Return the positions of the boxes that hold the point (edges included)."""
        found = []
        b = self._bounds
        for i in self._cells.get((self._ix(x), self._iy(y)), ()):
            minx, miny, maxx, maxy = b[i]
            if minx <= x <= maxx and miny <= y <= maxy:
                found.append(i)
        for i in self._large:
            minx, miny, maxx, maxy = b[i]
            if minx <= x <= maxx and miny <= y <= maxy:
                found.append(i)
        return found

    def meeting(self, minx: float, miny: float, maxx: float, maxy: float) -> list[int]:
        """Return the positions of the boxes that meet the box (edges included), each once."""
        ix0, iy0, ix1, iy1 = self._ix(minx), self._iy(miny), self._ix(maxx), self._iy(maxy)
        if (ix1 - ix0 + 1) * (iy1 - iy0 + 1) > _MAX_QUERY_CELLS:
            candidates = range(len(self._bounds))  # NaN bounds fail every comparison below
        elif ix0 == ix1 and iy0 == iy1:
            candidates = (*self._cells.get((ix0, iy0), ()), *self._large)
        else:
            seen = set(self._large)
            for ix in range(ix0, ix1 + 1):
                for iy in range(iy0, iy1 + 1):
                    seen.update(self._cells.get((ix, iy), ()))
            candidates = seen
        b = self._bounds
        return [i for i in candidates
                if b[i][0] <= maxx and b[i][2] >= minx and b[i][1] <= maxy and b[i][3] >= miny]
