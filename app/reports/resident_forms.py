"""Forms of the resident's tracking page, and what the page shows of the conversation."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, MultipleFileField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from app.reports.resident import MAX_TEXT, conversation, open_question, pending_feedback
from app.reports.rules import process_photos
from app.security.forms import SafeForm

_TEXT = [Optional(), Length(max=MAX_TEXT, message=_l("Please keep this under %(max)d characters."))]
RATINGS = [SelectChoice("", _l("No rating"))] + [SelectChoice(str(n), str(n)) for n in range(1, 6)]


class ResidentMessageForm(SafeForm):
    """Information the resident adds, or their answer to the desk's question."""

    s = HiddenField()
    text = TextAreaField(_l("Your message"), validators=_TEXT)
    photos = MultipleFileField(_l("Photos (optional; place and camera details are removed from the copies "
                                  "the police work with)"))
    pii_confirmed = BooleanField(_l("Send it anyway: I accept that the police may identify me by it"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.processed_photos = []

    def validate_photos(self, field):
        """Check and process the photos with the intake's rules (count, size, format, no metadata)."""
        self.processed_photos, problem = process_photos(field.data or [])
        if problem:
            self.processed_photos = []
            raise ValidationError(str(problem))


class ResidentStopForm(SafeForm):
    """The resident ends the conversation."""

    s = HiddenField()


class FeedbackForm(SafeForm):
    """Was it fixed? Yes or no, an optional comment and an optional rating from 1 to 5."""

    s = HiddenField()
    resolved = RadioField(_l("Was the problem fixed?"), choices=[SelectChoice("yes", _l("Yes, it was fixed")),
                                                                SelectChoice("no", _l("No, it was not fixed"))],
                          validate_choice=False)
    rating = RadioField(_l("How satisfied are you with the police's response? (1 = not at all, 5 = very)"),
                        choices=RATINGS, default="", validate_choice=False)
    comment = TextAreaField(_l("Comment (optional)"), validators=_TEXT)
    pii_confirmed = BooleanField(_l("Send it anyway: I accept that the police may identify me by it"))


def channel_context(report, *, message_form=None, feedback_form=None, channel_error=None, pii_warning=False):
    """Return what the tracking page shows of the conversation and the forms, keeping what was typed."""
    secret = {"s": report.tracking_secret}
    return {
        "conversation": conversation(report), "question": open_question(report),
        "stopped": report.resident_has_stopped, "may_write": report.is_open and not report.resident_has_stopped,
        "ask_feedback": pending_feedback(report, "resident") is not None,
        "message_form": message_form or ResidentMessageForm(formdata=None, data=secret),
        "stop_form": ResidentStopForm(formdata=None, data=secret),
        "feedback_form": feedback_form or FeedbackForm(formdata=None, data=secret),
        "channel_error": channel_error, "pii_warning": pii_warning,
    }
