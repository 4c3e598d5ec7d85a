"""Flask-Login wiring."""
from flask import g
from flask_babel import lazy_gettext as _l

from app.extensions import db


def init_login(app, login_manager):
    """Load users by id and send anonymous visitors to the login page."""
    from app.accounts.models import User

    @app.before_request
    def forget_cached_user():
        # an app context can outlive one request (tests): read the user from this request's session
        g.pop("_login_user", None)

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id):
        # A session ends when its stamp no longer matches, or the account is locked or disabled.
        user_id, _sep, stamp = str(session_id).partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active or user.is_locked or stamp != user.session_stamp():
            return None
        return user
