"""Plain input records for the routing index, and validation of request values.

The app copies its database rows into these frozen records, so the routing
package never sees a session or a model object.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timezone
from decimal import Decimal
from numbers import Real
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    BANGKOK = ZoneInfo("Asia/Bangkok")
except ZoneInfoNotFoundError:  # pragma: no cover - slim images without tzdata
    from datetime import timedelta

    # Thailand has kept UTC+7 without DST since 1920, so a fixed offset is exact.
    BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")


class RoutingInputError(ValueError):
    """A request value routing cannot use; carries the field and bilingual messages."""

    def __init__(self, field: str, message_en: str, message_th: str):
        super().__init__(message_en)
        self.field = field
        self.message_en = message_en
        self.message_th = message_th

    def to_dict(self) -> dict:
        """Return the error as a JSON-serialisable dict."""
        return {"field": self.field, "message_en": self.message_en, "message_th": self.message_th}


@dataclass(frozen=True)
class StationInput:
    id: int
    code: str
    name_th: str
    name_en: str
    lat: float | None = None
    lon: float | None = None

    @property
    def located(self) -> bool:
        """Return True when the station has a usable point."""
        return (
            self.lat is not None
            and self.lon is not None
            and math.isfinite(self.lat)
            and math.isfinite(self.lon)
        )


@dataclass(frozen=True)
class AreaInput:
    id: int
    station_id: int
    # Identity is (id, station_id); comparing or printing a tambon-sized polygon is slow and useless.
    geometry: Any = dataclasses.field(compare=False, repr=False)
    # A jurisdiction version's area is in force from valid_from until valid_until (Bangkok days, end
    # exclusive); None on either side: no limit (imported areas are always in force).
    valid_from: date | None = None
    valid_until: date | None = None

    def in_force_on(self, day: date) -> bool:
        """Return True when the area routes reports on this Bangkok day."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until
        )


@dataclass(frozen=True)
class MouInput:
    id: int
    pao_code: str
    station_id: int
    effective_from: date
    expires_on: date | None = None
    status: str = "active"
    categories: frozenset | None = None  # None = all categories

    def is_active_on(self, day: date) -> bool:
        """Return True when the MOU is in force on the given Bangkok calendar day."""
        return (
            self.status == "active"
            and self.effective_from <= day
            and (self.expires_on is None or day <= self.expires_on)
        )

    def covers(self, category_codes: tuple) -> bool:
        """Return True when the MOU covers a category given as (code, parent, grandparent...)."""
        if self.categories is None:
            return True
        return any(code in self.categories for code in category_codes)


@dataclass(frozen=True)
class CategoryInput:
    code: str
    parent_code: str | None
    name_th: str
    name_en: str


@dataclass(frozen=True)
class PaoInput:
    code: str
    name_th: str
    name_en: str
    coordinator_station_id: int | None = None


def parse_coordinate(value: Any, field: str) -> float:
    """Return value as a finite float in range for 'lat' or 'lon', or raise RoutingInputError."""
    limit = 90.0 if field == "lat" else 180.0
    label_en = "Latitude" if field == "lat" else "Longitude"
    label_th = "ละติจูด" if field == "lat" else "ลองจิจูด"
    # bool is a Real subclass; True as a latitude is always a client bug.
    number = None
    if isinstance(value, (Real, Decimal, str)) and not isinstance(value, bool):
        try:
            number = float(value.strip() if isinstance(value, str) else value)
        except ValueError:
            pass
        except OverflowError:
            # An int too large for a float is simply out of range; say so, not "not a number".
            number = 1e308 if value > 0 else -1e308
    if number is None:
        raise RoutingInputError(
            field, f"{label_en} must be a number.", f"{label_th}ต้องเป็นตัวเลข"
        )
    if not math.isfinite(number):
        raise RoutingInputError(
            field, f"{label_en} must be a finite number.", f"{label_th}ต้องเป็นตัวเลขที่มีค่าจำกัด"
        )
    if not -limit <= number <= limit:
        raise RoutingInputError(
            field,
            f"{label_en} must be between -{limit:g} and {limit:g}.",
            f"{label_th}ต้องอยู่ระหว่าง -{limit:g} ถึง {limit:g}",
        )
    return number


def routing_day(at: Any) -> date:
    """Return the Asia/Bangkok calendar day of at (a date, or a datetime; naive means UTC)."""
    if isinstance(at, datetime):
        aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        return aware.astimezone(BANGKOK).date()
    if isinstance(at, date):
        return at
    raise RoutingInputError(
        "at", "The routing time must be a date or a datetime.", "เวลาที่ใช้จัดเส้นทางต้องเป็นวันที่หรือวันเวลา"
    )


def shown(value: Any) -> str:
    """The client's value as an error message may echo it: capped, so a huge payload cannot bloat logs."""
    # Error messages echo the client's value; cap it so a huge payload cannot bloat logs.
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def distinct(stations: Iterable[StationInput]) -> tuple:
    """The stations once each, in first-seen order."""
    seen: dict[int, StationInput] = {}
    for s in stations:
        seen.setdefault(s.id, s)
    return tuple(seen.values())


def unique_by(items: Iterable, attr: str, label: str) -> dict:
    """Index items by an attribute; a repeated key is a ValueError naming it."""
    out: dict = {}
    for item in items:
        key = getattr(item, attr)
        if key in out:
            raise ValueError(f"duplicate {label} {attr} {key!r}")
        out[key] = item
    return out
