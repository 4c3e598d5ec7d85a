"""What a member is about to file, and the read-only checks shown before it is filed."""
from dataclasses import dataclass, field
from datetime import datetime

from app.categories.models import Category, Priority
from app.reports.duplicates import find_duplicates
from app.reports.pii import personal_data_kinds
from app.reports.place_checks import OUTSIDE_PROVINCE, place_warnings
from app.reports.routing_service import preview_route
from app.routing import RoutingInputError
from app.stations.adminareas import place_facts
from app.stations.services import data_versions


@dataclass
class ReportDraft:
    """The validated contents of the intake form."""

    category: Category
    narrative: str
    lat: float
    lon: float
    idempotency_key: str
    answers: dict = field(default_factory=dict)
    occurred_at: datetime | None = None  # naive UTC
    accuracy_m: float | None = None
    address_text: str | None = None
    priority: Priority | None = None
    resident_name: str | None = None
    resident_phone: str | None = None
    resident_anonymous: bool = False
    consent: bool = False
    confirmed_place: bool = False
    confirmed_personal_data: bool = False
    confirmed_new: bool = False
    confirmed_outside: bool = False
    photo_gps: tuple | None = None  # (lat, lon) of the first photo that carries one


@dataclass
class IntakeChecks:
    """What the member must see, and possibly confirm, before the report is filed."""

    decision: object = None  # app.routing.Decision, or None when routing could not run
    place_name: object = None  # PlaceName, or None when no tambon is known there
    personal_data: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    place_warnings: list = field(default_factory=list)  # PlaceWarning: outside the province, at sea, far photo

    @property
    def near_boundary(self):
        return bool(self.decision and self.decision.near_boundary)

    @property
    def outside_province(self):
        return any(w.kind == OUTSIDE_PROVINCE for w in self.place_warnings)

    def unconfirmed(self, draft):
        """Return the confirmations the draft still lacks: 'outside_province', 'place', 'personal_data',
        'duplicates'."""
        missing = []
        if self.outside_province and not draft.confirmed_outside:
            missing.append("outside_province")
        pin_doubt = self.near_boundary or any(w.kind != OUTSIDE_PROVINCE for w in self.place_warnings)
        if pin_doubt and not draft.confirmed_place:
            missing.append("place")
        if self.personal_data and not draft.confirmed_personal_data:
            missing.append("personal_data")
        if self.duplicates and not draft.confirmed_new:
            missing.append("duplicates")
        return missing


def check_place(*, pao, category, lat, lon, at=None, photo_gps=None):
    """Return the routing preview (as of `at`, default now), the tambon of a pin (either may be None) and what is
    doubtful about the place."""
    versions = data_versions()  # both caches below are checked with one statement
    try:
        decision = preview_route(lat=lat, lon=lon, category=category, pao=pao, at=at, versions=versions)
    except RoutingInputError:
        decision = None
    facts = place_facts(lat, lon, versions)
    return decision, (facts.place if facts else None), place_warnings(pao, facts, lat, lon, photo_gps)


def intake_checks(member, draft, at=None):
    """Return the checks of a draft: routing preview, place name and doubts, personal data, nearby duplicates."""
    decision, place_name, warnings = check_place(pao=member.pao, category=draft.category, lat=draft.lat,
                                                 lon=draft.lon, at=at, photo_gps=draft.photo_gps)
    return IntakeChecks(
        decision=decision,
        place_name=place_name,
        place_warnings=warnings,
        personal_data=personal_data_kinds(draft.narrative),
        duplicates=find_duplicates(pao_id=member.pao_id, category_id=draft.category.id,
                                   lat=draft.lat, lon=draft.lon, viewer=member),
    )
