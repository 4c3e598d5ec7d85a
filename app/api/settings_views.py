"""The signed-in user's API tokens and Open311 keys: create (shown once), list, revoke."""
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.api import settings_bp as bp
from app.api.forms import NewTokenForm, RevokeForm
from app.api.tokens import create_token, find_user_token, revoke_token, user_tokens
from app.extensions import db


@bp.get("/tokens")
@login_required
def tokens():
    """List the user's tokens and keys, with a form to create one."""
    return _page(NewTokenForm())


@bp.post("/tokens")
@login_required
def create():
    """Create a token or key and show its secret on this response only."""
    form = NewTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    token, secret = create_token(current_user, kind=form.kind.data, label=form.label.data)
    db.session.commit()
    return _page(NewTokenForm(formdata=None), created=(token, secret))


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id):
    """Revoke one of the user's tokens; clients using it get 401 from now on."""
    token = find_user_token(current_user, token_id)
    if token is None:
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    revoke_token(token, actor=current_user)
    db.session.commit()
    flash(_l("The token %(prefix)s was revoked.", prefix=token.prefix), "success")
    return redirect(url_for("settings.tokens"))


def _page(form, status=200, created=None):
    response = make_response(render_template("api/tokens.html", form=form, tokens=user_tokens(current_user),
                                             revoke_form=RevokeForm(), created=created), status)
    response.headers["Cache-Control"] = "no-store"  # a new secret must not stay in any cache
    return response
