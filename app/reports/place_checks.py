"""Doubts about a pin the member must resolve before sending: outside the province, at sea, far from the photo.

A phone's GPS can be stale (the member was in Bangkok yesterday), a pin can be dropped in the sea, and a
photo can carry a location far from the pin. Each doubt is named in the member's language, with the
distance, and must be confirmed (or the pin moved) before the report is filed.
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.i18n import current_lang
from app.routing.geodesy import format_distance, geodesic_m

OUTSIDE_PROVINCE, OFFSHORE, PHOTO_FAR = "outside_province", "offshore", "photo_far"


@dataclass(frozen=True)
class PlaceWarning:
    """One doubt about the place: its kind and what to tell the member (translated when shown)."""

    kind: str
    message: object


def place_warnings(pao, facts, lat, lon, photo_gps=None):
    """Return the doubts about a pin for this PAO, given place_facts() of the pin and the photo's location."""
    config = current_app.config
    warnings = []
    if facts is not None and facts.place is None and facts.distance_m > config["PLACE_COAST_TOLERANCE_M"]:
        near_own = pao.province_code is None or facts.nearest.province_code == pao.province_code
        if near_own and facts.distance_m <= config["PLACE_OFFSHORE_MAX_M"]:
            warnings.append(PlaceWarning(OFFSHORE, _distance_message(_l(
                "The pin is in no tambon: at sea or across the border, about %(distance)s from the nearest coast or "
                "border. Move the pin to where it happened, or confirm the place."), facts.distance_m)))
        elif pao.province_code:
            warnings.append(_outside(pao, facts.distance_m))
    elif facts is not None and facts.place is not None and pao.province_code \
            and facts.place.province_code and facts.place.province_code != pao.province_code:
        warnings.append(_outside(pao, None))
    if photo_gps is not None:
        distance = geodesic_m(lat, lon, photo_gps[0], photo_gps[1])
        if distance > config["PLACE_PHOTO_MAX_M"]:
            warnings.append(PlaceWarning(PHOTO_FAR, _distance_message(_l(
                "The photo was taken about %(distance)s from the pin. Move the pin to where the photo was taken, or "
                "confirm the place is right."), distance)))
    return warnings


def _outside(pao, distance_m):
    message = _l("Outside %(province)s province%(how_far)s. Check the pin; if the place is right, confirm that "
                 "%(pao)s should send this report.")
    return PlaceWarning(OUTSIDE_PROVINCE, _Filled(message, pao=pao, distance_m=distance_m))


class _Filled:
    """A lazy message whose names and distance are filled in the language it is shown in."""

    def __init__(self, message, pao=None, distance_m=None):
        self.message, self.pao, self.distance_m = message, pao, distance_m

    def __str__(self):
        lang = current_lang()
        values = {"distance": format_distance(self.distance_m, lang) if self.distance_m is not None else ""}
        if self.pao is not None:
            far = "" if self.distance_m is None else str(_l(" (about %(distance)s from it)",
                                                             distance=values["distance"]))
            values.update(province=self.pao.province_name(lang), pao=self.pao.name(lang), how_far=far)
        return str(self.message) % values


def _distance_message(message, distance_m):
    return _Filled(message, distance_m=distance_m)
