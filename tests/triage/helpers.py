"""Helpers for triage tests: clients signed in as different users."""
from flask import g
from flask.testing import FlaskClient
from flask_babel import refresh

from tests.accounts.helpers import sign_in
from tests.factories import PASSWORD


class UserClient(FlaskClient):
    """A test client that forgets the previous request's user and language.

    The db fixture's app context outlives each request, and Flask-Login and Flask-Babel cache the
    signed-in user and the locale on `g`: without this, two clients in one test would share a user.
    """

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        g.pop("lang", None)
        refresh()
        return super().open(*args, **kwargs)


def signed_in(app, user, password=PASSWORD):
    """Return a new client signed in as the user through the real login and two-factor forms."""
    client = UserClient(app, app.response_class, use_cookies=True)
    sign_in(client, user, password)
    return client
