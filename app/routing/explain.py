"""Readable Thai and English sentences for a routing decision: one template per sentence, both languages.

Each sentence is written once, in English, and marked with N_ so `pybabel extract` puts it in the
catalogue; the Thai comes from the same catalogue the pages use (app/translations), read with Babel
itself, so this stays free of Flask. Names, dates and distances are filled in per language.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from .decision import RULE_AREA, RULE_AREA_WITHOUT_MOU, RULE_NEAREST
from .geodesy import format_distance
from .inputs import CategoryInput, PaoInput, StationInput

LANGUAGES = ("th", "en")
_CATALOGUES = Path(__file__).resolve().parents[1] / "translations"
_TH_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
# Boundary points resolve to distance 0 up to float noise; below this we say "on the boundary".
_ON_BOUNDARY_M = 0.5


def N_(text):  # noqa: N802  (the marker pybabel extracts by default)
    """Mark a sentence for the catalogue; it is translated when an explanation is written."""
    return text


TERMS = N_("MOU with %(pao)s in force on %(day)s covering %(category)s")
AREA = N_("The location lies in the jurisdiction area of %(station)s, which has MOU #%(mou)s with %(pao)s in force "
          "on %(day)s covering %(category)s, so the report goes to %(station)s.")
AREA_WITHOUT_MOU = N_("The location lies in the jurisdiction area of %(responsible)s, but %(responsible)s has no "
                      "%(terms)s.")
NEAREST = N_("The location lies in no jurisdiction area. The nearest station with an %(terms)s is %(station)s, "
             "%(distance)s away (limit %(limit)s), so the report goes there.")
OUTSIDE = N_("The location lies in no jurisdiction area, and no station with an %(terms)s is within "
             "%(limit)s%(beyond)s.")
OUTSIDE_BEYOND = N_(" (the nearest is %(station)s, %(distance)s away)")
NO_COORDINATOR = N_("%(pao)s has no coordinating station, so the report waits in the manual queue%(forward)s.")
NO_COORDINATOR_FORWARD = N_(" to be forwarded to %(station)s")
COORDINATOR = N_("The report goes to %(pao)s's coordinating station, %(station)s%(forward)s.")
COORDINATOR_FORWARD = N_(", to forward it to %(station)s")
AREA_OF = N_("the area of %(others)s")
AREAS_OF = N_("the areas of %(others)s")
OVERLAP_SKIPPED = N_("The location also lies in %(areas)s; %(owner)s was chosen as the smallest overlapping area "
                     "whose station has a covering MOU.")
OVERLAP_EDGE = N_("The location is on the boundary shared with %(areas)s; such points go to the smaller area "
                  "(then the lower station id), which is that of %(owner)s.")
OVERLAP = N_("The location also lies in %(areas)s; overlapping areas are decided by the smaller area (then the "
             "lower station id), which is that of %(owner)s.")
EDGE_DISTANCE = N_("It is %(distance)s from the edge of that area.")
STATION_DISTANCE = N_("%(station)s is %(distance)s away.")
STATION_UNLOCATED = N_("%(station)s has no recorded location, so no distance is given.")
NEIGHBOUR_ON_EDGE = N_("The location is on the boundary with the area of %(neighbour)s; check that the report is "
                       "not theirs.")
OUTSIDE_PROVINCE_NOTE = N_("The place lies outside %(province)s province; the council member confirmed it, and the "
                           "report is flagged for the PAO coordinator.")
NEIGHBOUR_NEAR = N_("The location is only %(distance)s from the area of %(neighbour)s; check that the report is "
                    "not theirs.")


def thai_date(day: date) -> str:
    """Return day in Thai with the Buddhist Era year, e.g. '5 ม.ค. 2568'."""
    return f"{day.day} {_TH_MONTHS[day.month - 1]} {day.year + 543}"


@cache
def _catalogue(lang: str):
    return NullTranslations() if lang == "en" else Translations.load(str(_CATALOGUES), [lang])


@dataclass(frozen=True)
class Facts:
    """Everything the sentences need; built by the index, read here only."""

    rule: str
    day: date
    category: CategoryInput
    pao: PaoInput
    max_nearest_m: float
    station: StationInput | None = None
    mou_id: int | None = None
    responsible: StationInput | None = None
    distance_to_station_m: float | None = None
    distance_to_edge_m: float | None = None
    overlapping: Sequence[StationInput] = ()
    # True when a smaller overlapping area lost only because its station lacks a covering MOU.
    skipped_smaller: bool = False
    neighbour: StationInput | None = None
    neighbour_distance_m: float | None = None
    nearest_beyond: StationInput | None = None
    nearest_beyond_m: float | None = None


class _Writer:
    """Fills the templates in one language."""

    def __init__(self, lang):
        self.lang, self._gettext = lang, _catalogue(lang).gettext

    def say(self, template, **values):
        return self._gettext(template) % values

    def name(self, thing):
        return thing.name_th if self.lang == "th" else thing.name_en

    def names(self, things):
        return ", ".join(self.name(thing) for thing in things)

    def day(self, day):
        return thai_date(day) if self.lang == "th" else day.isoformat()

    def distance(self, metres):
        return format_distance(metres, self.lang)


def explain(f: Facts, lang: str) -> str:
    """Return the explanation of a decision in one language ("th" or "en")."""
    w = _Writer(lang)
    terms = w.say(TERMS, pao=w.name(f.pao), day=w.day(f.day), category=w.name(f.category))
    common = {"pao": w.name(f.pao), "day": w.day(f.day), "category": w.name(f.category), "terms": terms,
              "limit": w.distance(f.max_nearest_m)}
    if f.rule == RULE_AREA:
        parts = [w.say(AREA, station=w.name(f.station), mou=f.mou_id, **common)]
    elif f.rule == RULE_AREA_WITHOUT_MOU:
        parts = [w.say(AREA_WITHOUT_MOU, responsible=w.name(f.responsible), **common),
                 _coordinator(w, f, forward_to=f.responsible)]
    elif f.rule == RULE_NEAREST:
        parts = [w.say(NEAREST, station=w.name(f.station), distance=w.distance(f.distance_to_station_m), **common)]
    else:
        beyond = "" if f.nearest_beyond is None else w.say(
            OUTSIDE_BEYOND, station=w.name(f.nearest_beyond), distance=w.distance(f.nearest_beyond_m))
        parts = [w.say(OUTSIDE, beyond=beyond, **common), _coordinator(w, f, forward_to=None)]
    parts += _details(w, f)
    return " ".join(parts)


def _coordinator(w, f, forward_to):
    if f.station is None:
        forward = "" if forward_to is None else w.say(NO_COORDINATOR_FORWARD, station=w.name(forward_to))
        return w.say(NO_COORDINATOR, pao=w.name(f.pao), forward=forward)
    forward = ""
    if forward_to is not None and forward_to.id != f.station.id:
        forward = w.say(COORDINATOR_FORWARD, station=w.name(forward_to))
    return w.say(COORDINATOR, pao=w.name(f.pao), station=w.name(f.station), forward=forward)


def _details(w, f):
    """Return the sentences about overlaps, distances and a nearby boundary."""
    parts = []
    if f.overlapping:
        template = OVERLAP_SKIPPED if f.skipped_smaller else OVERLAP_EDGE if _on_edge(f) else OVERLAP
        areas = w.say(AREA_OF if len(f.overlapping) == 1 else AREAS_OF, others=w.names(f.overlapping))
        parts.append(w.say(template, areas=areas, owner=w.name(f.responsible or f.station)))
    if f.distance_to_edge_m is not None:
        parts.append(w.say(EDGE_DISTANCE, distance=w.distance(f.distance_to_edge_m)))
    if f.station is not None and f.rule != RULE_NEAREST:
        if f.distance_to_station_m is not None:
            parts.append(w.say(STATION_DISTANCE, station=w.name(f.station),
                               distance=w.distance(f.distance_to_station_m)))
        else:
            parts.append(w.say(STATION_UNLOCATED, station=w.name(f.station)))
    if f.neighbour is not None and f.neighbour not in f.overlapping:
        if f.neighbour_distance_m < _ON_BOUNDARY_M:
            parts.append(w.say(NEIGHBOUR_ON_EDGE, neighbour=w.name(f.neighbour)))
        else:
            parts.append(w.say(NEIGHBOUR_NEAR, neighbour=w.name(f.neighbour),
                               distance=w.distance(f.neighbour_distance_m)))
    return parts


def outside_province_note(province_names: dict) -> dict:
    """Return, per language, the sentence added to a decision whose confirmed place lies outside the province."""
    return {lang: _Writer(lang).say(OUTSIDE_PROVINCE_NOTE, province=province_names[lang]) for lang in LANGUAGES}


def _on_edge(f: Facts) -> bool:
    return f.distance_to_edge_m is not None and f.distance_to_edge_m < _ON_BOUNDARY_M
