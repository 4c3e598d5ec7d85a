"""Login, two-factor and password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from app.security.forms import SafeForm


class LoginForm(SafeForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username."))],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this phone (council members only)"))


class CodeForm(SafeForm):
    """One code: the 6 digits from the authenticator app, or (when signing in) a recovery code."""

    code = StringField(_l("Code"),
                       validators=[DataRequired(_l("Enter the code.")),
                                   Length(max=40, message=_l("The code is too long."))],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "none",
                                  "spellcheck": "false"})


class ActionForm(SafeForm):
    """Only the CSRF token, for admin buttons."""


class EndSessionForm(SafeForm):
    """Which of the user's own sessions to end."""

    session_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=2**63 - 1)])


class PasswordChangeForm(SafeForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})
    # length, username, common and simple passwords are the policy's job (app/accounts/passwords.py)
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")),
                    Length(max=200, message=_l("Use at most 200 characters."))],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Repeat the new password.")),
                    EqualTo("new_password", message=_l("The two new passwords do not match."))],
        render_kw={"autocomplete": "new-password"})


class InvitationForm(SafeForm):
    """Who is invited, as what, where (the admin's page)."""

    display_name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the person's name.")),
                                                       Length(max=120, message=_l("Use at most 120 characters."))])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    pao = SelectField(_l("PAO"), validators=[Optional()])
    station = SelectField(_l("Station"), validators=[Optional()])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32)])


class InvitationCsvForm(SafeForm):
    """A CSV of people to invite at once."""

    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])


class AcceptInvitationForm(SafeForm):
    """The invited person chooses their username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(_l("Choose a username.")),
                                                       Length(max=64, message=_l("Use at most 64 characters."))],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")),
                    Length(max=200, message=_l("Use at most 200 characters."))],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Repeat the new password.")),
                    EqualTo("new_password", message=_l("The two new passwords do not match."))],
        render_kw={"autocomplete": "new-password"})
