"""Sign in (password, then a second factor for staff roles), sign out, password and recovery codes."""
from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import bp, pending
from app.accounts.auth import sign_in, sign_out
from app.accounts.forms import CodeForm, LoginForm, PasswordChangeForm
from app.accounts.models import AccountEventKind as Kind
from app.accounts.passwords import PasswordPolicyError
from app.accounts.services import (
    AccountError,
    SignInStep,
    change_password,
    check_credentials,
    complete_sign_in,
    enrol_two_factor,
    record_event,
    renew_recovery_codes,
    verify_second_factor,
)
from app.accounts.twofactor import new_totp_secret, provisioning_uri, unused_recovery_codes
from app.core.qr import qr_svg
from app.extensions import db, limiter
from app.security.redirects import safe_redirect_target


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _locked_message():
    return _("This account is locked after too many failed sign-ins. Ask an administrator to unlock it.")


def _no_store(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"  # secrets and recovery codes must not stay in a cache
    return response


def _back_to_login(user):
    """End a pending sign-in that expired (user None) or whose account got locked meanwhile."""
    pending.clear_pending()
    if user is None:
        flash(_("Your sign-in took too long. Please enter your password again."), "warning")
    else:
        flash(_locked_message(), "error")
    return redirect(url_for("accounts.login"))


def _finish(user, marker):
    """Sign the user in after every factor passed and return where to go."""
    pending.clear_pending()
    complete_sign_in(user, ip=request.remote_addr)
    db.session.commit()
    sign_in(user, remember=marker["remember"])
    # checked again on the way out: a marker set before this check existed may carry any text
    return safe_redirect_target(marker.get("next"), url_for("home.home"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Check the password; sign in, or go on to the second factor when the role needs one."""
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        pending.clear_pending()
        step, user = check_credentials(form.username.data, form.password.data, ip=request.remote_addr)
        db.session.commit()  # failure counts and events are kept whatever happens next
        marker = {"remember": form.remember.data,
                  "next": safe_redirect_target(request.args.get("next"), url_for("home.home"))}
        if step == SignInStep.DONE:
            return redirect(_finish(user, marker))
        if step in (SignInStep.VERIFY, SignInStep.SETUP):
            pending.start_pending(user, remember=marker["remember"], next_url=marker["next"])
            endpoint = "accounts.two_factor" if step == SignInStep.VERIFY else "accounts.two_factor_setup"
            return redirect(url_for(endpoint))
        if step == SignInStep.LOCKED:
            form.password.errors.append(_locked_message())
            status = 403
        else:
            form.password.errors.append(_("Wrong username or password."))
    if form.errors and status == 200:
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/2fa", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def two_factor():
    """Ask a user whose password was right for the code from their app, or a recovery code."""
    user, marker = pending.pending_sign_in()
    if user is None or user.is_locked:
        return _back_to_login(user)
    if not user.two_factor_enrolled:
        return redirect(url_for("accounts.two_factor_setup"))
    form = CodeForm()
    if form.validate_on_submit():
        step = verify_second_factor(user, form.code.data, ip=request.remote_addr)
        db.session.commit()
        if step == SignInStep.DONE:
            target = _finish(user, marker)
            left = unused_recovery_codes(user)
            if left < 3:
                flash(_("You have %(n)d recovery codes left. Make new ones on the Password page.", n=left),
                      "warning")
            return redirect(target)
        if step == SignInStep.LOCKED:
            return _back_to_login(user)
        form.code.errors.append(_("That code is not right, or it was already used. Wait for the next code "
                                  "in your app and try again."))
    status = 400 if form.errors else 200
    return render_template("accounts/two_factor.html", form=form), status


@bp.route("/2fa/setup", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def two_factor_setup():
    """Enrol an authenticator app at first sign-in: QR code, text secret, then one code to prove it."""
    user, marker = pending.pending_sign_in()
    if user is None or user.is_locked:
        return _back_to_login(user)
    if user.two_factor_enrolled:
        return redirect(url_for("accounts.two_factor"))
    secret = pending.setup_secret(user, new_totp_secret)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = enrol_two_factor(user, secret, form.code.data, ip=request.remote_addr)
        except AccountError:
            db.session.rollback()
            form.code.errors.append(_("That code is not right. Check that the phone's clock is correct and "
                                      "enter the newest code from the app."))
        else:
            target = _finish(user, marker)
            return _no_store(render_template("accounts/recovery_codes.html", codes=codes, next_url=target))
    uri = provisioning_uri(user, secret)
    page = render_template("accounts/two_factor_setup.html", form=form, qr=qr_svg(uri), uri=uri,
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)))
    return _no_store((page, 400 if form.errors else 200))


@bp.route("/recovery-codes", methods=["GET", "POST"])
@login_required
def recovery_codes():
    """Let a signed-in two-factor user replace their recovery codes after a current code."""
    if not current_user.two_factor_enrolled:
        return redirect(url_for("accounts.password"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = renew_recovery_codes(current_user, form.code.data, ip=request.remote_addr)
        except AccountError:
            db.session.rollback()
            form.code.errors.append(_("That code is not right, or it was already used. Wait for the next code "
                                      "in your app and try again."))
        else:
            db.session.commit()
            return _no_store(render_template("accounts/recovery_codes.html", codes=codes,
                                             next_url=url_for("accounts.password")))
    return render_template("accounts/recovery_renew.html", form=form,
                           left=unused_recovery_codes(current_user)), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    """Sign the user out: the session ends on the server, so a copy of the cookie is worth nothing."""
    record_event(current_user, Kind.SIGNED_OUT, actor=current_user, ip=request.remote_addr)
    sign_out()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Let a signed-in user change their password (checked against the password policy)."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data,
                            ip=request.remote_addr, keep_session=current_user.session_token)
        except PasswordPolicyError as error:
            form.new_password.errors.extend(str(problem) for problem in error.problems)
        except AccountError:
            form.current_password.errors.append(_("Your current password is not correct."))
        else:
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.home"))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("accounts/password.html", form=form,
                           min_length=current_app.config["PASSWORD_MIN_LENGTH"]), status
