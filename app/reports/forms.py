"""The intake form and the small follow-up forms of a report."""
import re
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf.form import _Auto
from sqlalchemy.orm import joinedload
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.categories.labels import PRIORITY_LABELS
from app.categories.models import Category, Priority
from app.categories.questions import FIELD_PREFIX, parse_answers
from app.core.i18n import current_lang
from app.core.timeutil import to_utc_naive
from app.extensions import db
from app.reports.intake import ReportDraft
from app.reports.rules import (
    ADDRESS_MAX,
    NAME_MAX,
    NARRATIVE_MAX,
    NARRATIVE_MIN,
    PHONE_MAX,
    accuracy,
    contact_problems,
    normal_phone,
    occurred_at_problem,
    phone_problem,
    process_photos,
)
from app.routing import RoutingInputError
from app.routing.inputs import parse_coordinate
from app.security.forms import SafeForm

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _LocalDateTimeField(DateTimeLocalField):
    """A datetime-local input whose parse error is ours (translated), not WTForms' English one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a date and time, e.g. 26/11/2026 14:30.")) from None


class ReportForm(SafeForm):
    """Everything a member needs to file one concern; photos are checked here, files are not kept."""

    category_id = SelectField(_l("What is it about?"), coerce=_int_or_none, validate_choice=False)
    narrative = TextAreaField(_l("What is happening?"), validators=[
        DataRequired(_l("Describe the concern in a few sentences.")),
        Length(NARRATIVE_MIN, NARRATIVE_MAX, _l("Please write between %(min)d and %(max)d characters."))])
    occurred_at = _LocalDateTimeField(_l("When did it happen? (leave empty if it keeps happening)"),
                                      format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[Optional()])
    lat = StringField(_l("Latitude"))
    lon = StringField(_l("Longitude"))
    accuracy_m = HiddenField()
    address_text = StringField(_l("Place description or landmark"), validators=[
        Length(max=ADDRESS_MAX, message=_l("Please keep this under %(max)d characters."))])
    place_query = StringField(_l("Search for a place, road or landmark"), validators=[Length(max=200)])
    priority = SelectField(_l("How urgent is it?"), validate_choice=False)
    resident_name = StringField(_l("Resident's name"), validators=[
        Length(max=NAME_MAX, message=_l("Please keep this under %(max)d characters."))])
    resident_phone = StringField(_l("Resident's phone"), validators=[
        Length(max=PHONE_MAX, message=_l("Please keep this under %(max)d characters."))])
    resident_anonymous = BooleanField(_l("The resident wishes to stay anonymous"))
    consent = BooleanField(_l("The resident agrees that their name and phone are kept for this concern "
                              "and shown only to the police station that handles it."))
    photos = MultipleFileField(_l("Photos (up to 5, each up to 10 MB)"))
    idempotency_key = HiddenField()
    confirm_place = BooleanField(_l("I checked the pin: the place is right"))
    confirm_personal_data = BooleanField(_l("Send the text as it is"))
    confirm_new = BooleanField(_l("None of these is the same concern: file a new report"))
    confirm_outside = BooleanField(_l("The place is right: send the report through this PAO anyway"))

    def __init__(self, categories, formdata=_Auto, **kwargs):
        # the category's extra questions are read from the same data as the fields, never a global
        self.answer_data = self._wtforms_meta().wrap_formdata(self, formdata) or {}
        super().__init__(formdata=formdata, **kwargs)
        self.categories = {c.id: c for c in categories}
        self.category_id.choices = category_choices(categories)
        self.priority.choices = [("", _l("As usual for this kind of concern"))] + [
            (p.value, PRIORITY_LABELS[p]) for p in Priority]
        if not self.idempotency_key.data or not _UUID.match(self.idempotency_key.data):
            self.idempotency_key.data = str(uuid.uuid4())
        self.category = self.coordinates = None
        self.answers, self.answer_errors, self.processed_photos = {}, {}, []
        self.photo_gps = None

    def validate_category_id(self, field):
        category = self.categories.get(field.data)
        if category is None:
            raise ValidationError(_l("Choose what the concern is about."))
        self.category = category

    def validate_occurred_at(self, field):
        # the year first: converting year 1 to UTC overflows
        moment = field.data
        problem = moment and occurred_at_problem(moment if moment.year < 2000 else to_utc_naive(moment))
        if problem:
            raise ValidationError(problem)

    def validate_priority(self, field):
        if field.data and field.data not in {p.value for p in Priority}:
            raise ValidationError(_l("Choose one of the options."))

    def validate_resident_phone(self, field):
        problem = phone_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def _contact_problem(self, name):
        return contact_problems(self.resident_name.data, self.resident_phone.data, self.resident_anonymous.data,
                                self.consent.data).get(name)

    def validate_resident_anonymous(self, field):
        if self._contact_problem("resident_anonymous"):
            raise ValidationError(self._contact_problem("resident_anonymous"))

    def validate_consent(self, field):
        if self._contact_problem("consent"):
            raise ValidationError(self._contact_problem("consent"))

    @staticmethod
    def too_many_photos_message(max_count):
        """Return the message for more photos than a report may carry."""
        return _l("Choose at most %(n)d photos.", n=max_count)

    def validate_photos(self, field):
        self.processed_photos, problem = process_photos(field.data or [])
        for processed in self.processed_photos:
            self.photo_gps = self.photo_gps or processed.gps
        if problem:
            raise ValidationError(problem)

    def validate(self, extra_validators=None):
        """Validate every field, the coordinates and the category's extra questions."""
        valid = super().validate(extra_validators)
        valid = self._validate_place() and valid
        self.answers, self.answer_errors = parse_answers(self.category,
                                                         lambda code: self.answer_data.get(FIELD_PREFIX + code))
        return valid and not self.answer_errors

    def _validate_place(self):
        lat_text, lon_text = (self.lat.data or "").strip(), (self.lon.data or "").strip()
        if not lat_text and not lon_text:
            if self.photo_gps:
                # Without JavaScript the photo's location is offered by filling it in for a check.
                self.lat.data, self.lon.data = (f"{v:.6f}" for v in self.photo_gps)
                self.lat.errors.append(_l("No place was given. We filled in the location stored in your "
                                          "photo: check it and send again (the photos are kept)."))
            else:
                self.lat.errors.append(_l("Set the place: use your location, move the pin or type the "
                                          "coordinates."))
            return False
        try:
            self.coordinates = (parse_coordinate(self.lat.data, "lat"), parse_coordinate(self.lon.data, "lon"))
        except RoutingInputError as error:
            target = self.lat if error.field == "lat" else self.lon
            target.errors.append(error.message_th if current_lang() == "th" else error.message_en)
            return False
        return True

    def preview_input(self):
        """Return (category, lat, lon) when the form holds enough to preview the place, else None."""
        category = self.categories.get(self.category_id.data)
        try:
            lat, lon = parse_coordinate(self.lat.data, "lat"), parse_coordinate(self.lon.data, "lon")
        except RoutingInputError:
            return None
        return (category, lat, lon) if category else None

    def to_draft(self):
        """Return the validated form as a ReportDraft."""
        name = (self.resident_name.data or "").strip() or None
        phone = normal_phone(self.resident_phone.data) or None
        return ReportDraft(
            category=self.category, narrative=self.narrative.data.strip(), lat=self.coordinates[0],
            lon=self.coordinates[1], idempotency_key=self.idempotency_key.data, answers=self.answers,
            occurred_at=to_utc_naive(self.occurred_at.data) if self.occurred_at.data else None,
            accuracy_m=accuracy(self.accuracy_m.data),
            address_text=(self.address_text.data or "").strip() or None,
            priority=Priority(self.priority.data) if self.priority.data else None,
            resident_name=name, resident_phone=phone,
            resident_anonymous=bool(self.resident_anonymous.data) or not (name or phone),
            consent=bool(self.consent.data), confirmed_place=bool(self.confirm_place.data),
            confirmed_personal_data=bool(self.confirm_personal_data.data),
            confirmed_new=bool(self.confirm_new.data), confirmed_outside=bool(self.confirm_outside.data),
            photo_gps=self.photo_gps)


def category_choices(categories):
    """Return select choices grouped by top-level category, each option carrying data for the script."""
    lang = current_lang()
    groups = {}
    for category in sorted(categories, key=lambda c: c.sort_order):
        if category.parent is None:
            continue
        options = groups.setdefault(category.parent.name(lang), [])
        options.append((category.id, category.name(lang), {
            "data-emergency": "1" if category.emergency else "0",
            "data-priority": category.default_priority.value}))
    return groups


def leaf_categories():
    """Return the active categories a member can file under (sub-categories)."""
    # with their parents in the same statement: the choices are grouped under them
    return db.session.scalars(db.select(Category).where(Category.active.is_(True), Category.parent_id.isnot(None))
                              .options(joinedload(Category.parent))
                              .order_by(Category.sort_order, Category.id)).all()


class TextForm(SafeForm):
    """One text box: information added, an answer, or a reason to reopen."""

    text = TextAreaField(_l("Your text"), validators=[
        DataRequired(_l("Write something first.")),
        Length(max=2000, message=_l("Please keep this under %(max)d characters."))])


class ActionForm(SafeForm):
    """A button that only needs CSRF protection."""


class TrackForm(SafeForm):
    """The resident's reference number and secret code."""

    class Meta:
        csrf = False  # a read-only lookup; the rate limit is its protection

    reference = StringField(_l("Reference number"), validators=[DataRequired(_l("Enter the reference number.")),
                                                                 Length(max=40)])
    s = StringField(_l("Secret code"), validators=[DataRequired(_l("Enter the secret code.")), Length(max=32)])
