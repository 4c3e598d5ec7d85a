"""Forms of the desk: each workflow action, assignment, notes, the contact reveal, templates, forwarding."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.extensions import db
from app.reports.workflow import OUTCOMES, REJECT_REASONS
from app.security.forms import SafeForm
from app.stations.models import Station

_TEXT = [DataRequired(_l("Write something first.")),
         Length(max=2000, message=_l("Please keep this under %(max)d characters."))]


def first_error(form):
    """Return the first validation message of a form, to flash."""
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    return errors[0] if errors else _l("Please check the form.")


def choices(pairs, optgroup=None):
    """Return (value, label) pairs as WTForms SelectChoice objects, optionally in an <optgroup>."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ActionForm(SafeForm):
    """A workflow button; `version` is the report version the officer saw."""

    version = HiddenField()

    def workflow_data(self):
        """Return the keyword arguments the workflow needs besides the version."""
        return {}


class QuestionForm(ActionForm):
    """A question to the council member who filed the report."""

    text = TextAreaField(_l("Question for the council member"), validators=_TEXT)

    def workflow_data(self):
        """Return the keyword arguments the workflow needs besides the version."""
        return {"text": self.text.data}


class ResidentQuestionForm(QuestionForm):
    """A question to the anonymous resident, who reads it on the tracking page."""

    text = TextAreaField(_l("Question for the resident (they read it on the tracking page; do not reveal "
                            "anything they should not know)"), validators=_TEXT)


class OutcomeForm(ActionForm):
    """What the police did, and a note the council member reads."""

    outcome = SelectField(_l("What the police did"), validators=[DataRequired(_l("Choose what the police did."))])
    note = TextAreaField(_l("Note for the council member"), validators=_TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = choices([("", "—"), *OUTCOMES.items()])

    def workflow_data(self):
        """Return the keyword arguments the workflow needs besides the version."""
        return {"outcome": self.outcome.data, "note": self.note.data}


class StationField(SelectField):
    """A station chosen from a list; its data is the Station or None."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=_int_or_none, validate_choice=False, **kwargs)

    def station(self):
        """Return the chosen Station, or None."""
        return db.session.get(Station, self.data) if self.data else None


class TransferForm(ActionForm):
    """Another station and why it should act."""

    station = StationField(_l("Transfer to"), validators=[DataRequired(_l("Choose the station."))])
    reason = TextAreaField(_l("Why this station"), validators=_TEXT)

    def workflow_data(self):
        """Return the keyword arguments the workflow needs besides the version."""
        return {"station": self.station.station(), "reason": self.reason.data}


class RejectForm(ActionForm):
    """Why the station does not take the report up, and a note."""

    reason = SelectField(_l("Why"), validators=[DataRequired(_l("Choose why the report is rejected."))])
    duplicate_of = StringField(_l("Reference number of the other report (for a duplicate)"),
                               validators=[Optional(), Length(max=40)])
    note = TextAreaField(_l("Note for the council member"), validators=_TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = choices([("", "—"), *REJECT_REASONS.items()])

    def workflow_data(self):
        """Return the keyword arguments the workflow needs besides the version."""
        return {"reason": self.reason.data, "note": self.note.data, "duplicate_of": self.duplicate_of.data}


ACTION_FORMS = {"acknowledge": ActionForm, "start": ActionForm, "ask_question": QuestionForm,
                "record_outcome": OutcomeForm, "transfer": TransferForm, "reject": RejectForm,
                "ask_resident": ResidentQuestionForm, "stop_waiting": ActionForm}


class AssignForm(ActionForm):
    """An officer of the station, or nobody."""

    officer = SelectField(_l("Assign to"), coerce=_int_or_none, validate_choice=False)


class NoteForm(SafeForm):
    """A note only police see."""

    text = TextAreaField(_l("Internal note (police only)"), validators=_TEXT)


class ContactForm(SafeForm):
    """The reason recorded when the resident's contact is opened."""

    reason = TextAreaField(_l("Why do you need the resident's contact?"), validators=[
        DataRequired(_l("Give a reason: every view of the contact is recorded.")),
        Length(max=500, message=_l("Please keep this under %(max)d characters."))])


class ForwardForm(ActionForm):
    """The coordinator's choice of station, and why."""

    station = StationField(_l("Forward to"), validators=[DataRequired(_l("Choose the station."))])
    note = TextAreaField(_l("Why this station"), validators=_TEXT)


class TemplateForm(SafeForm):
    """A station's response template for a category."""

    category_id = SelectField(_l("Category"), coerce=_int_or_none, validate_choice=False,
                              validators=[DataRequired(_l("Choose a category."))])
    language = SelectField(_l("Language"), choices=[SelectChoice("th", "ไทย"), SelectChoice("en", "English")])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the template a title.")), Length(max=120)])
    body = TextAreaField(_l("Text"), validators=_TEXT)


class DeleteForm(SafeForm):
    """A delete button that only needs CSRF protection."""
