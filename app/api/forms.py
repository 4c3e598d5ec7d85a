"""Forms of the token settings page."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.api.models import TokenKind
from app.security.forms import SafeForm


class NewTokenForm(SafeForm):
    """A label and the kind of secret to create."""

    label = StringField(_l("Label (what will use it)"), validators=[
        Length(max=80, message=_l("Please keep this under %(max)d characters."))])
    kind = SelectField(_l("Kind"), choices=[
        SelectChoice(TokenKind.TOKEN.value, _l("API token (JSON API, Authorization: Bearer)")),
        SelectChoice(TokenKind.APIKEY.value, _l("Open311 API key (api_key parameter)"))])


class RevokeForm(SafeForm):
    """A revoke button that only needs CSRF protection."""
