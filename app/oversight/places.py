"""Tambon and amphoe codes of a pin, stored on each report at intake so statistics need no geometry."""
from app.extensions import db
from app.stations.adminareas import locate_place_name
from app.stations.models import AdminArea


def locate_area_codes(lat, lon):
    """Return (tambon_code, amphoe_code) of the tambon containing the point, or (None, None)."""
    place = locate_place_name(lat, lon) if lat is not None and lon is not None else None
    return (place.tambon_code, place.amphoe_code) if place else (None, None)


def amphoe_names(lang):
    """Return {amphoe_code: name} in the language, from amphoe rows or the amphoe copied onto tambon rows."""
    names = {}
    for code, th, en in db.session.execute(
            db.select(AdminArea.parent_code, AdminArea.parent_name_th, AdminArea.parent_name_en)
            .where(AdminArea.level == "tambon", AdminArea.parent_code.isnot(None)).distinct()):
        names[code] = (en if lang == "en" else th) or th or code
    for code, th, en in db.session.execute(
            db.select(AdminArea.code, AdminArea.name_th, AdminArea.name_en).where(AdminArea.level == "amphoe")):
        names[code] = (en if lang == "en" else th) or th or code
    return names


def fill_area_codes(reports):
    """Set the tambon and amphoe codes of reports that lack them; return how many changed."""
    changed = 0
    for report in reports:
        tambon, amphoe = locate_area_codes(report.lat, report.lon)
        if (tambon, amphoe) != (report.tambon_code, report.amphoe_code) and tambon:
            report.tambon_code, report.amphoe_code = tambon, amphoe
            changed += 1
    db.session.flush()
    return changed
