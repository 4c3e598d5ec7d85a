"""Flask-Login wiring."""
from flask_babel import lazy_gettext as _l

from app.extensions import db


def init_login(login_manager):
    """Load users by id and send anonymous visitors to the login page."""
    from app.accounts.models import User

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id):
        if not str(user_id).isdigit():
            return None
        return db.session.get(User, int(user_id))
