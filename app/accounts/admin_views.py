"""Administrators: list accounts, see their security events, unlock them and reset two-factor."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts import bp
from app.accounts.access import role_required
from app.accounts.forms import ActionForm
from app.accounts.models import AccountEventKind as Kind
from app.accounts.models import User
from app.accounts.services import recent_events, reset_two_factor, unlock_user
from app.extensions import db

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
    return render_template("accounts/user.html", user=user, events=recent_events(user),
                           labels=EVENT_LABELS, form=ActionForm())


@bp.post("/users/<int:user_id>/unlock")
@role_required("admin")
def unlock(user_id):
    """Lift an account's lockout."""
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    unlock_user(current_user, user, ip=request.remote_addr)
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=user.username), "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/reset-2fa")
@role_required("admin")
def reset_2fa(user_id):
    """Remove an account's second factor so the next sign-in sets up a new one."""
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    reset_two_factor(current_user, user, ip=request.remote_addr)
    db.session.commit()
    flash(_("Two-factor sign-in of %(name)s was reset; they set it up again at their next sign-in.",
            name=user.username), "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id))
