"""Signed-in devices: each user sees where they are signed in and ends any of those sessions."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import bp
from app.accounts.auth import sign_out
from app.accounts.devices import describe_device
from app.accounts.forms import ActionForm, EndSessionForm
from app.accounts.models import AccountEventKind as Kind
from app.accounts.services import record_event
from app.extensions import db
from app.security.sessions import end_session_of_user, end_user_sessions, is_current, user_sessions


@bp.get("/sessions")
@login_required
def sessions():
    """List the devices where this user is signed in, this one first."""
    token = current_user.session_token
    rows = sorted(user_sessions(current_user.id), key=lambda row: not is_current(row, token))
    return render_template("accounts/sessions.html", rows=rows, token=token, is_current=is_current,
                           describe=describe_device, form=EndSessionForm(), others_form=ActionForm())


@bp.post("/sessions/end")
@login_required
def end_session():
    """End one of this user's sessions; ending this device's own is signing out."""
    form = EndSessionForm()
    if not form.validate_on_submit():
        flash(_("That session could not be found. It may have ended already."), "warning")
        return redirect(url_for("accounts.sessions"))
    current = next((row for row in user_sessions(current_user.id)
                    if row.id == form.session_id.data and is_current(row, current_user.session_token)), None)
    if current is not None:
        record_event(current_user, Kind.SIGNED_OUT, actor=current_user, ip=request.remote_addr)
        sign_out()
        flash(_("You have signed out."), "info")
        return redirect(url_for("accounts.login"))
    if end_session_of_user(current_user.id, form.session_id.data):
        record_event(current_user, Kind.SESSION_ENDED, actor=current_user, ip=request.remote_addr)
        flash(_("That device is signed out."), "success")
    else:
        flash(_("That session could not be found. It may have ended already."), "warning")
    db.session.commit()
    return redirect(url_for("accounts.sessions"))


@bp.post("/sessions/end-others")
@login_required
def end_other_sessions():
    """Sign out every other device of this user (a lost phone, a shared computer)."""
    if ActionForm().validate_on_submit():
        ended = end_user_sessions(current_user.id, keep_token=current_user.session_token)
        record_event(current_user, Kind.SESSIONS_ENDED, actor=current_user, ip=request.remote_addr)
        db.session.commit()
        flash(_("%(n)d other devices are signed out.", n=ended), "success")
    return redirect(url_for("accounts.sessions"))
