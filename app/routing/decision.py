"""The routing decision: which station, by which rule, and why, in Thai and English."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

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
    distance_to_edge_m: float | None
    near_boundary: bool
    neighbour_station_id: int | None
    neighbour_station_code: str | None
    overlapping_station_codes: tuple
    explanation_th: str
    explanation_en: str
    # Extras beyond the agreed interface: what the decision was computed from, for the stored record.
    neighbour_distance_m: float | None = None
    category_code: str | None = None
    pao_code: str | None = None
    routed_on: date | None = None
    index_version: int = 0

    @property
    def needs_manual_routing(self) -> bool:
        """Return True when no station was chosen and a person must route the report."""
        return self.station_id is None

    def to_dict(self) -> dict:
        """Return the decision as a JSON-serialisable dict."""
        data = dataclasses.asdict(self)
        data["overlapping_station_codes"] = list(self.overlapping_station_codes)
        data["routed_on"] = self.routed_on.isoformat() if self.routed_on else None
        return data
