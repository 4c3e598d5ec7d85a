"""The base of every HTML form: text no database column can keep is refused with the field's own error.

A person never types NUL, other control characters or broken (lone surrogate) characters, but a pasted
text or a hostile client can send them, and PostgreSQL refuses NUL at the insert (a 500). Every form
therefore drops those characters from what it shows again, and marks the field so the user sees why the
form came back: nothing typed is lost, and nothing unstorable reaches the database.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from app.security.inputs import has_unstorable, without_unstorable

UNSTORABLE_MESSAGE = _l("This text contained invisible control characters or broken characters. They have "
                        "been removed: check the text and send it again.")


def _clean(value):
    return without_unstorable(value) if isinstance(value, str) else value


class SafeForm(FlaskForm):
    """A Flask-WTF form whose fields refuse, and drop from the redisplay, characters no column can keep."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            options["filters"] = [*options.get("filters", ()), _clean]
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None):
        """Validate as usual, then mark every field whose submitted text held unstorable characters."""
        valid = super().validate(extra_validators)
        for field in self:
            if any(isinstance(raw, str) and has_unstorable(raw) for raw in field.raw_data or ()):
                field.errors = [*field.errors, UNSTORABLE_MESSAGE]
                valid = False
        return valid
