"""The routing decision: which station, by which rule, and why, in Thai and English."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

RULE_AREA = "area"
RULE_AREA_WITHOUT_MOU = "area_without_mou"
RULE_NEAREST = "nearest"
RULE_OUTSIDE_COVERAGE = "outside_coverage"
RULES = (RULE_AREA, RULE_AREA_WITHOUT_MOU, RULE_NEAREST, RULE_OUTSIDE_COVERAGE)


@dataclass(frozen=True)
class Decision:
    station_id: int | None
    station_code: str | None
    rule: str
    area_id: int | None
    responsible_station_id: int | None
    responsible_station_code: str | None
    mou_id: int | None
    distance_to_station_m: float | None
    near_boundary: bool
    neighbour_station_id: int | None
    neighbour_station_code: str | None
    overlapping_station_codes: tuple
    # Extras beyond the agreed interface: what the decision was computed from, for the stored record.
    neighbour_distance_m: float | None = None
    category_code: str | None = None
    pao_code: str | None = None
    routed_on: date | None = None
    index_version: int = 0
    # Writes the explanation in one language ("th"/"en"), given the edge distance. Called on first use
    # only: most decisions checked in a preview are never explained, and writing both sentences cost
    # more than deciding.
    explainer: Callable[[str, float | None], str] | None = field(default=None, repr=False, compare=False)
    # Measures the distance to the chosen area's edge (None outside areas); also on first use only.
    edge_measure: Callable[[], float | None] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def distance_to_edge_m(self) -> float | None:
        """Return metres from the point to the edge of its area (measured on first use), or None."""
        return self.edge_measure() if self.edge_measure else None

    @cached_property
    def explanation_th(self) -> str:
        """Return why, in Thai (written on first use)."""
        return self.explainer("th", self.distance_to_edge_m) if self.explainer else ""

    @cached_property
    def explanation_en(self) -> str:
        """Return why, in English (written on first use)."""
        return self.explainer("en", self.distance_to_edge_m) if self.explainer else ""

    @property
    def needs_manual_routing(self) -> bool:
        """Return True when no station was chosen and a person must route the report."""
        return self.station_id is None

    def to_dict(self) -> dict:
        """Return the decision as a JSON-serialisable dict."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if f.name not in ("explainer", "edge_measure")}
        data.update(distance_to_edge_m=self.distance_to_edge_m, explanation_th=self.explanation_th,
                    explanation_en=self.explanation_en)
        data["overlapping_station_codes"] = list(self.overlapping_station_codes)
        data["routed_on"] = self.routed_on.isoformat() if self.routed_on else None
        return data
