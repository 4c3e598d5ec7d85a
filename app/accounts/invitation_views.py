"""Invitations: the admin makes one-time links (one or a CSV of many); the invited person accepts one."""
from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import bp, pending
from app.accounts.auth import sign_in, sign_out
from app.accounts.forms import AcceptInvitationForm, InvitationCsvForm, InvitationForm
from app.accounts.invitations import (
    InvitationError,
    accept_invitation,
    create_invitation,
    find_open_invitation,
    invite_from_csv,
    recent_invitations,
)
from app.accounts.labels import ROLE_LABELS
from app.accounts.passwords import PasswordPolicyError
from app.accounts.services import AccountError, complete_sign_in
from app.core.i18n import localized
from app.core.timeutil import utcnow
from app.extensions import db, limiter
from app.security.access import role_required
from app.stations.models import Pao, Station


def _no_store(page, status=200):
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"  # the links are as good as a password until used
    return response


def _link(token):
    base = current_app.config.get("PUBLIC_BASE_URL")  # the address people reach, behind any proxy
    path = url_for("accounts.accept_invitation", invite=token)
    return f"{base.rstrip('/')}{path}" if base else url_for("accounts.accept_invitation", invite=token,
                                                             _external=True)


def _invitation_form():
    form = InvitationForm()
    form.role.choices = [(role.value, str(label)) for role, label in ROLE_LABELS.items()]
    form.pao.choices = [("", "—")] + [(p.code, localized(p)) for p in db.session.scalars(
        db.select(Pao).order_by(Pao.code))]
    form.station.choices = [("", "—")] + [(s.code, f"{localized(s)} ({s.code})") for s in db.session.scalars(
        db.select(Station).order_by(Station.code))]
    return form


def _render_list(form, csv_form, status=200):
    return render_template("accounts/invitations.html", form=form, csv_form=csv_form,
                           invitations=recent_invitations(), now=utcnow()), status


@bp.get("/invitations")
@role_required("admin")
def invitations():
    """List recent invitations and offer the forms to invite one person or a CSV of people."""
    return _render_list(_invitation_form(), InvitationCsvForm())


@bp.post("/invitations", endpoint="create_invitation")
@role_required("admin")
def create_invitation_view():
    """Make one invitation and show its link once."""
    form = _invitation_form()
    if form.validate_on_submit():
        pao = db.session.scalar(db.select(Pao).where(Pao.code == form.pao.data)) if form.pao.data else None
        station = (db.session.scalar(db.select(Station).where(Station.code == form.station.data))
                   if form.station.data else None)
        try:
            issued = create_invitation(current_user, role=form.role.data, display_name=form.display_name.data,
                                       pao=pao, station=station, email=form.email.data, phone=form.phone.data)
        except InvitationError:
            db.session.rollback()
            form.station.errors.append(_("Police roles need a station; council members and coordinators a PAO."))
        else:
            db.session.commit()
            return _no_store(render_template("accounts/invitations_made.html",
                                             issued=[(issued.invitation, _link(issued.token))]))
    return _render_list(form, InvitationCsvForm(), 400)


@bp.post("/invitations/csv")
@role_required("admin")
def invite_csv():
    """Make one invitation per row of an uploaded CSV; all rows or none."""
    csv_form = InvitationCsvForm()
    if csv_form.validate_on_submit():
        try:
            text = csv_form.file.data.read(1_000_000).decode("utf-8")
            issued = invite_from_csv(current_user, text)
        except UnicodeDecodeError:
            csv_form.file.errors.append(_("The file is not UTF-8 text."))
        except InvitationError as error:
            db.session.rollback()
            csv_form.file.errors.append(_("Nobody was invited: %(problem)s", problem=str(error)))
        else:
            db.session.commit()
            return _no_store(render_template("accounts/invitations_made.html",
                                             issued=[(i.invitation, _link(i.token)) for i in issued]))
    return _render_list(_invitation_form(), csv_form, 400)


def _refused(reason):
    messages = {"used": _("This invitation was already used. Ask for a new one if you need it."),
                "expired": _("This invitation has expired. Ask for a new one.")}
    page = render_template("accounts/invitation_refused.html",
                           message=messages.get(reason, _("This invitation link is not valid.")))
    return _no_store(page, 410 if reason in messages else 404)


@bp.route("/invite/<invite>", methods=["GET", "POST"], endpoint="accept_invitation")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def accept_invitation_view(invite):
    """Let the invited person choose a username and password; staff go on to set up two-factor."""
    try:
        invitation = find_open_invitation(invite)
    except InvitationError as error:
        return _refused(error.reason)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = accept_invitation(invite, username=form.username.data, password=form.new_password.data)
        except InvitationError as error:
            db.session.rollback()
            return _refused(error.reason)
        except PasswordPolicyError as error:
            db.session.rollback()
            form.new_password.errors.extend(str(problem) for problem in error.problems)
        except AccountError:
            db.session.rollback()
            form.username.errors.append(_("This username is taken. Choose another."))
        else:
            db.session.commit()
            if current_user.is_authenticated:
                sign_out()
            if user.needs_two_factor:
                pending.start_pending(user, remember=False, next_url=url_for("home.home"))
                return redirect(url_for("accounts.two_factor_setup"))
            complete_sign_in(user, ip=request.remote_addr)
            db.session.commit()
            sign_in(user)
            flash(_("Welcome. Your account is ready."), "success")
            return redirect(url_for("home.home"))
    return _no_store(render_template("accounts/invitation_accept.html", form=form, invitation=invitation),
                     400 if form.errors else 200)

