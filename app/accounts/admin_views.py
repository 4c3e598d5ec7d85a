"""Administrators: list accounts, see their security events, unlock them and reset two-factor."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts import bp
from app.accounts.devices import describe_device
from app.accounts.forms import ActionForm
from app.accounts.models import AccountEventKind as Kind
from app.accounts.models import User
from app.accounts.services import (
    AccountError,
    disable_user,
    enable_user,
    end_sessions,
    recent_events,
    reset_two_factor,
    unlock_user,
)
from app.extensions import db
from app.security.access import role_required
from app.security.sessions import user_sessions

EVENT_LABELS = {
    Kind.SIGNED_IN: _l("Signed in"),
    Kind.SIGN_IN_FAILED: _l("Wrong password"),
    Kind.SECOND_FACTOR_FAILED: _l("Wrong two-factor code"),
    Kind.LOCKED: _l("Locked after failed sign-ins"),
    Kind.REFUSED_LOCKED: _l("Sign-in refused: account locked"),
    Kind.UNLOCKED: _l("Unlocked"),
    Kind.TWO_FACTOR_ENROLLED: _l("Two-factor set up"),
    Kind.TWO_FACTOR_RESET: _l("Two-factor reset"),
    Kind.RECOVERY_CODE_USED: _l("Recovery code used"),
    Kind.RECOVERY_CODES_RENEWED: _l("New recovery codes made"),
    Kind.PASSWORD_CHANGED: _l("Password changed"),
    Kind.SIGNED_OUT: _l("Signed out"),
    Kind.SESSION_ENDED: _l("Signed out another device"),
    Kind.SESSIONS_ENDED: _l("All sessions ended"),
    Kind.DISABLED: _l("Account disabled"),
    Kind.ENABLED: _l("Account enabled"),
}


def _user_or_404(user_id):
    return db.session.get(User, user_id) or abort(404)


@bp.get("/users")
@role_required("admin")
def users():
    """List every account with its role, place, lock and two-factor state."""
    accounts = db.session.scalars(db.select(User).order_by(User.username)).all()
    return render_template("accounts/users.html", users=accounts, form=ActionForm())


@bp.get("/users/<int:user_id>")
@role_required("admin")
def user_detail(user_id):
    """Show one account and its recent security events."""
    user = _user_or_404(user_id)
    return render_template("accounts/user.html", user=user, events=recent_events(user), labels=EVENT_LABELS,
                           sessions=user_sessions(user.id), describe=describe_device, form=ActionForm())


def _admin_action(user_id, action, done_message):
    """Run one admin action on an account after the CSRF check, then show the account again."""
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(current_user, user, ip=request.remote_addr)
    except AccountError:
        db.session.rollback()
        flash(_("You cannot do that to your own account."), "error")
    else:
        db.session.commit()
        flash(done_message % {"name": user.username}, "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/unlock")
@role_required("admin")
def unlock(user_id):
    """Lift an account's lockout."""
    return _admin_action(user_id, unlock_user, _("%(name)s can sign in again."))


@bp.post("/users/<int:user_id>/reset-2fa")
@role_required("admin")
def reset_2fa(user_id):
    """Remove an account's second factor so the next sign-in sets up a new one."""
    return _admin_action(user_id, reset_two_factor, _(
        "Two-factor sign-in of %(name)s was reset; they set it up again at their next sign-in."))


@bp.post("/users/<int:user_id>/end-sessions")
@role_required("admin")
def end_account_sessions(user_id):
    """Sign an account out on every device."""
    return _admin_action(user_id, end_sessions, _("%(name)s is signed out on every device."))


@bp.post("/users/<int:user_id>/disable")
@role_required("admin")
def disable(user_id):
    """Disable an account and end its sessions."""
    return _admin_action(user_id, disable_user, _("%(name)s is disabled and signed out everywhere."))


@bp.post("/users/<int:user_id>/enable")
@role_required("admin")
def enable(user_id):
    """Let a disabled account sign in again."""
    return _admin_action(user_id, enable_user, _("%(name)s can sign in again."))
