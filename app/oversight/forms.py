"""Forms of the MOU registry: new, edit, renew, end, and the signed document upload."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.categories.models import Category
from app.extensions import db
from app.security.forms import SafeForm
from app.stations.models import Station

_REQUIRED_DATE = _l("Enter a date.")


class _TermsForm(SafeForm):
    signed_on = DateField(_l("Signed on"), validators=[DataRequired(_REQUIRED_DATE)])
    expires_on = DateField(_l("Expires on (leave empty when open-ended)"), validators=[Optional()])
    covers_all = BooleanField(_l("Covers every category"), default=True)
    categories = SelectMultipleField(_l("Categories covered (when not every category)"), validators=[Optional()])
    document_ref = StringField(_l("Document reference (book number)"), validators=[Optional(), Length(max=400)])

    def validate_categories(self, field):
        if not self.covers_all.data and not field.data:
            raise ValidationError(_l("Choose the categories the MOU covers, or tick “Covers every category”."))

    def effective(self):
        """Return the first day in force: the form's own field, or the MOU's when it cannot change."""
        return getattr(self, "effective_from", None) and self.effective_from.data

    def validate_expires_on(self, field):
        start = self.effective()
        if field.data and start and field.data < start:
            raise ValidationError(_l("The expiry date must be on or after the day it takes effect."))

    def validate_signed_on(self, field):
        start = self.effective()
        if field.data and start and start < field.data:
            raise ValidationError(_l("An MOU cannot take effect before it is signed."))

    def category_codes(self):
        """Return the chosen category codes ([] when every category is covered)."""
        return [] if self.covers_all.data else sorted(set(self.categories.data))


class _WithDocument:
    document = FileField(_l("Signed MOU (PDF, optional)"))


class NewMouForm(_TermsForm, _WithDocument):
    station = SelectField(_l("Police station"), validators=[DataRequired(_l("Choose the station."))])
    effective_from = DateField(_l("In force from"), validators=[DataRequired(_REQUIRED_DATE)])


class EditMouForm(_TermsForm):
    """Terms that may change in place; the first day in force is fixed (renew instead)."""

    def __init__(self, *args, mou=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mou = mou

    def effective(self):
        return self.mou.effective_from if self.mou is not None else None


class RenewMouForm(_TermsForm, _WithDocument):
    effective_from = DateField(_l("New MOU in force from"), validators=[DataRequired(_REQUIRED_DATE)])


class EndMouForm(SafeForm):
    ended_on = DateField(_l("Ended on"), validators=[DataRequired(_REQUIRED_DATE)])
    reason = TextAreaField(_l("Why does the MOU end?"),
                           validators=[DataRequired(_l("Say why the MOU ends.")), Length(max=2000)])


class DocumentForm(SafeForm):
    document = FileField(_l("Signed MOU (PDF)"), validators=[FileRequired(_l("Choose the PDF file."))])


def category_choices(lang):
    """Return (code, name) choices: every top-level category followed by its sub-categories."""
    categories = db.session.scalars(db.select(Category).order_by(Category.sort_order, Category.code)).all()
    choices = []
    for top in [c for c in categories if c.parent_id is None]:
        choices.append((top.code, top.name(lang)))
        choices += [(c.code, f"{top.name(lang)} › {c.name(lang)}") for c in categories if c.parent_id == top.id]
    return choices


def station_choices(lang):
    """Return (code, name) choices of every active station."""
    return [(s.code, f"{s.name(lang)} ({s.code})") for s in db.session.scalars(
        db.select(Station).where(Station.active.is_(True)).order_by(Station.name_th, Station.code))]


def uploaded(field):
    """Return (filename, stream) of a file field with a file, or None."""
    data = field.data
    if data is None or not getattr(data, "filename", ""):
        return None
    return data.filename, data.stream
