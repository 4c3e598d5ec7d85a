"""Which stations hold a MOU with a PAO that is in force on a day and covers a category."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np

from .inputs import CategoryInput, MouInput

# Coverage depends only on (PAO, category, day): few distinct keys, so a small memo is plenty.
_MEMO_SIZE = 4096


class MouCoverage:
    """MOUs grouped by PAO, with category ancestry resolved once."""

    def __init__(
        self,
        mous: Iterable[MouInput],
        categories: Mapping[str, CategoryInput],
        located_pos: Mapping[int, int],
    ):
        self._by_pao: dict[str, list[MouInput]] = {}
        # Sorted by id, so a station with several valid MOUs always reports its lowest id.
        for mou in sorted(mous, key=lambda m: m.id):
            self._by_pao.setdefault(mou.pao_code, []).append(mou)
        self._ancestry = {code: ancestry(code, categories) for code in categories}
        self._located_pos = located_pos
        self._memo: dict = {}

    def covering(self, pao_code: str, category_code: str, day: date):
        """Return ({station_id: MOU}, positions of those stations among located stations)."""
        key = (pao_code, category_code, day)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        chain = self._ancestry[category_code]
        found: dict[int, MouInput] = {}
        for mou in self._by_pao.get(pao_code, ()):
            if mou.station_id not in found and mou.is_active_on(day) and mou.covers(chain):
                found[mou.station_id] = mou
        positions = np.array(
            sorted(self._located_pos[i] for i in found if i in self._located_pos), dtype=np.intp
        )
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        # A racing thread may compute the same entry twice; both results are equal, so no lock.
        self._memo[key] = (found, positions)
        return found, positions


def ancestry(code: str, categories: Mapping[str, CategoryInput]) -> tuple:
    """Return (code, parent, grandparent, ...): a MOU naming any of them covers the category."""
    chain, seen = [], set()
    # The seen-set stops a mis-entered parent cycle from looping forever.
    while code is not None and code not in seen:
        seen.add(code)
        chain.append(code)
        parent = categories.get(code)
        code = parent.parent_code if parent else None
    return tuple(chain)
