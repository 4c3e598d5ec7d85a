"""Flask-Login wiring over server-side sessions (app/security/sessions.py).

Flask-Login keeps one value in the signed cookie: the session's random token, never the user id. Each
request finds the token's row; no row (signed out, ended elsewhere, expired) means not signed in.
Flask-Login's own remember-me cookie is never set and never honoured: "keep me signed in" is a longer
server-side session, so it can be ended like any other and cannot skip the second factor.
"""
from flask import g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.security.access import Role
from app.security.sessions import end_session, find_session, start_session, touch_session

# Requests that never look at the browser session: static files and the machine interfaces.
_SESSIONLESS_BLUEPRINTS = frozenset({"api", "open311"})


def init_login(app, login_manager):
    """Load the signed-in user from the session's token and send anonymous visitors to the login page."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    # Not bound to the address: a phone's address changes with every cell tower, and binding would sign
    # members out all day. A stolen cookie is answered by the server-side session instead (ended by
    # signing out, by "sign out other devices", or by idling out), and each device shows its last address.
    login_manager.session_protection = None
    login_manager.user_loader(load_user)

    @app.before_request
    def load_signed_in_user():
        # an app context can outlive one request (tests): read the user from this request's session
        g.pop("_login_user", None)
        # Load, and touch, the session before the view writes anything, so the touch commits nothing else.
        endpoint = request.endpoint or ""
        if endpoint.rpartition(".")[2] != "static" and request.blueprint not in _SESSIONLESS_BLUEPRINTS:
            current_user._get_current_object()


def load_user(token):
    """Return the user of a live session token, or None; an old remember-me cookie's value finds nothing."""
    # the user and their PAO come in the session's own statement: nearly every page reads both
    found = find_session(token, User, joinedload(User.pao))
    if found is None:
        return None
    row, user = found
    if user is None or not user.is_active or user.is_locked:
        return None
    if touch_session(row, ip=request.remote_addr):
        db.session.commit()
    user.session_token = token
    return user


def may_remember(user):
    """Return True when this user may stay signed in for days: council members, never staff."""
    return user.role == Role.COUNCIL_MEMBER


def sign_in(user, *, remember=False):
    """Start a server-side session for a user whose every factor was checked (the caller has committed)."""
    remember = bool(remember) and may_remember(user)
    user.session_token = start_session(user.id, remember=remember, ip=request.remote_addr,
                                       user_agent=request.user_agent.string)
    db.session.commit()
    # A fresh cookie for the new identity; what the visitor chose before (language) carries over.
    kept = {key: session[key] for key in ("lang",) if key in session}
    session.clear()
    session.update(kept)
    login_user(user, remember=False, fresh=True)
    session.permanent = remember


def sign_out():
    """End this browser's session on the server and forget it in the cookie."""
    end_session(getattr(current_user, "session_token", None))
    db.session.commit()
    logout_user()
    kept = {key: session[key] for key in ("lang",) if key in session}
    session.clear()
    session.update(kept)
    session.permanent = False
