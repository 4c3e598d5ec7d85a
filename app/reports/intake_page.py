"""What the intake page needs besides the form: map settings, script messages, preview wording."""
from flask import current_app
from flask_babel import gettext as _

from app.core.i18n import current_lang
from app.extensions import db
from app.reports.pii import KIND_LABELS
from app.stations.models import Station

# Thailand's middle, for a PAO whose coordinating station has no known point.
FALLBACK_CENTER = (13.7367, 100.5232)


def pii_message(kinds):
    """Return the warning shown when the narrative contains personal data."""
    return _("The text seems to contain %(what)s. Other people may read the report with these hidden; "
             "put the resident's contact in the contact fields instead.",
             what=", ".join(str(KIND_LABELS[k]) for k in kinds))


def js_messages():
    """Return the words the intake script shows, in the current language."""
    return {
        "locating": _("Finding your location…"),
        "accuracy": _("Location found (accurate to about %(m)s m).", m="{m}"),
        "locateFailed": _("Your location could not be found. Allow location for this site, "
                          "or place the pin on the map."),
        "noGeolocation": _("This phone cannot share its location here. Place the pin on the map instead."),
        "mapFailed": _("The map could not be loaded. Type the coordinates or search for the place."),
        "searching": _("Searching…"),
        "goesTo": _("The report will go to:"),
        "why": _("Why this station"),
        "coordinator": _("the PAO coordinator, who will choose a station"),
        "photoGps": _("Photo %(name)s was taken at {lat}, {lon}.", name="{name}"),
        "age": _("%(d)s days ago", d="{d}"),
        "addTo": _("Add to this report"),
        "sending": _("Sending…"),
        "pin": _("Report location"),
    }


def map_center(pao):
    """Return where the map opens: the PAO's coordinating station, else the middle of Thailand."""
    station = pao.coordinator_station if pao else None
    if station is not None and station.is_located:
        return (station.lat, station.lon)
    return FALLBACK_CENTER


def intake_page_context(pao, preview, checks):
    """Return the template values of the intake page beyond the form."""
    config = current_app.config
    decision = preview[0] if preview else None
    station = db.session.get(Station, decision.station_id) if decision and decision.station_id else None
    return {
        "tile_url": config.get("TILE_URL") or "",
        "tile_attribution": config.get("TILE_ATTRIBUTION", ""),
        "map_center": map_center(pao),
        "js_messages": js_messages(),
        "station_name": station.name(current_lang()) if station else None,
        "pii_message": pii_message(checks.personal_data) if checks and checks.personal_data else None,
    }
