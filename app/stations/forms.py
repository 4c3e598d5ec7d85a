"""Upload forms for station, area and MOU files, and the PAO forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.extensions import db
from app.security.forms import SafeForm
from app.stations.models import Pao, Station

_CSV = FileAllowed(["csv"], _l("Choose a .csv file."))


class StationsImportForm(SafeForm):
    file = FileField(_l("Stations file (CSV)"), validators=[FileRequired(_l("Choose a file.")), _CSV])


class AreasImportForm(SafeForm):
    file = FileField(_l("Areas file (GeoJSON, WGS84)"),
                     validators=[FileRequired(_l("Choose a file.")),
                                 FileAllowed(["geojson", "json"], _l("Choose a .geojson or .json file."))])
    key = StringField(_l("Property holding the station code, or the value to look up in the mapping"),
                      validators=[DataRequired(_l("Name the property, e.g. tambon_code.")), Length(max=64)])
    mapping = FileField(_l("Mapping file (CSV), optional"), validators=[Optional(), _CSV])


class MousImportForm(SafeForm):
    file = FileField(_l("MOU file (CSV)"), validators=[FileRequired(_l("Choose a file.")), _CSV])
    pao = SelectField(_l("PAO"), validators=[DataRequired(_l("Choose the PAO."))])


class PaoForm(SafeForm):
    code = StringField(_l("Code"), validators=[
        DataRequired(_l("Enter a code.")),
        Regexp(r"^[a-z0-9][a-z0-9_.-]{0,31}$", message=_l("Use lower-case letters, digits, '_' or '-'."))])
    name_th = StringField(_l("Thai name"), validators=[DataRequired(_l("Enter the Thai name.")), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[DataRequired(_l("Enter the English name.")),
                                                          Length(max=200)])
    prefix = StringField(_l("Reference number prefix"), validators=[
        DataRequired(_l("Enter a prefix.")),
        Regexp(r"^[A-Za-z]{2,8}$", message=_l("Use 2 to 8 letters."))])
    coordinator = SelectField(_l("Coordinating station"), validators=[Optional()])


class CoordinatorForm(SafeForm):
    station = SelectField(_l("Coordinating station"), validators=[DataRequired(_l("Choose a station."))])


class RerouteForm(SafeForm):
    """Only the CSRF token: the PAO comes from the page (or the coordinator's account)."""


def station_choices(lang, blank=None):
    """Return (code, name) select choices for every station, optionally led by a blank choice."""
    choices = [(s.code, f"{s.name(lang)} ({s.code})")
               for s in db.session.scalars(db.select(Station).order_by(Station.code))]
    return ([("", blank)] if blank else []) + choices


def pao_choices(lang):
    """Return (code, name) select choices for every PAO."""
    return [(p.code, f"{p.name(lang)} ({p.code})") for p in db.session.scalars(db.select(Pao).order_by(Pao.code))]
