"""The routing decision: which station, by which rule, and why, in Thai and English."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Optional

RULE_AREA = "area"
RULE_AREA_WITHOUT_MOU = "area_without_mou"
RULE_NEAREST = "nearest"
RULE_OUTSIDE_COVERAGE = "outside_coverage"
RULES = (RULE_AREA, RULE_AREA_WITHOUT_MOU, RULE_NEAREST, RULE_OUTSIDE_COVERAGE)


@dataclass(frozen=True)
class Decision:
    station_id: Optional[int]
    station_code: Optional[str]
    rule: str
    area_id: Optional[int]
    responsible_station_id: Optional[int]
    responsible_station_code: Optional[str]
    mou_id: Optional[int]
    distance_to_station_m: Optional[float]
    distance_to_edge_m: Optional[float]
    near_boundary: bool
    neighbour_station_id: Optional[int]
    neighbour_station_code: Optional[str]
    overlapping_station_codes: tuple
    explanation_th: str
    explanation_en: str
    # Extras beyond the agreed interface: what the decision was computed from, for the stored record.
    neighbour_distance_m: Optional[float] = None
    category_code: Optional[str] = None
    pao_code: Optional[str] = None
    routed_on: Optional[date] = None
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
