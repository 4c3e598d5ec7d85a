"""LINE pages: the webhook LINE calls, and Settings → Notifications (link LINE, channel per kind, station group)."""
import json
import logging
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.forms import ActionForm
from app.core.qr import qr_svg
from app.delivery import bp
from app.delivery.channels.line import configured
from app.delivery.line_links import (
    LinkError,
    answer_claim,
    format_code,
    issue_link_code,
    kind_channels,
    pending_claims,
    set_kind_channels,
    station_group,
    unlink_group,
    unlink_user,
)
from app.delivery.line_models import LineGroup
from app.delivery.line_webhook import handle_webhook, send_replies, valid_signature
from app.delivery.messages import KINDS
from app.delivery.services import NOTIFY_CHOICES
from app.delivery.views import KIND_LABELS
from app.extensions import csrf, db
from app.security.access import Role

log = logging.getLogger(__name__)

line_bp = Blueprint("line", __name__, url_prefix="/line")
csrf.exempt(line_bp)  # LINE signs its requests; it cannot send our CSRF token


@line_bp.post("/webhook")
def webhook():
    """Receive LINE events: 400 unless the X-Line-Signature is right, then handle each event once."""
    body = request.get_data(cache=False)
    if not valid_signature(current_app.config.get("LINE_CHANNEL_SECRET"), body,
                           request.headers.get("X-Line-Signature", "")):
        log.warning("LINE webhook refused: missing or bad signature")
        abort(400)
    try:
        document = json.loads(body)
    except ValueError:
        abort(400)
    owed = handle_webhook(document if isinstance(document, dict) else {})
    response = current_app.response_class("", 200)
    if owed:
        app = current_app._get_current_object()

        def reply_after_answering():
            with app.app_context():
                send_replies(owed)

        response.call_on_close(reply_after_answering)  # LINE gets its 200 first, then the replies go
    return response


# Which kinds each role is ever sent (app/delivery/notify.py); others are left off its settings page.
KINDS_BY_ROLE = {Role.COUNCIL_MEMBER: ("question_asked", "outcome_recorded"),
                 Role.DESK_OFFICER: ("report_routed", "question_answered", "resident_wrote"),
                 Role.STATION_COMMANDER: ("overdue_escalation",),
                 Role.PAO_COORDINATOR: ("overdue_escalation", "mou_expiring")}


def add_friend_link(code):
    """Return the line.me link that opens a chat with the Official Account with the code typed in."""
    basic_id = current_app.config.get("LINE_BOT_BASIC_ID") or ""
    if not basic_id:
        return None
    return f"https://line.me/R/oaMessage/{quote(basic_id, safe='')}/?{quote(format_code(code.code), safe='')}"


def _page(status=200, typed=None):
    line_on = configured()
    code = group = group_code = None
    if line_on and not current_user.line_user_id:
        code = issue_link_code(current_user)
    commander = current_user.role == Role.STATION_COMMANDER and current_user.station is not None
    if line_on and commander:
        group = station_group(current_user.station)
        group_code = issue_link_code(current_user, station=current_user.station)
    db.session.commit()
    link = add_friend_link(code) if code else None
    choices = [c for c in NOTIFY_CHOICES if line_on or c != "line"]
    channels = {**kind_channels(current_user), **(typed or {})}  # a refused form shows what was chosen
    return render_template("delivery/notifications.html", line_on=line_on, code=code, link=link,
                           qr=qr_svg(link) if link else None, format_code=format_code, group=group,
                           group_code=group_code, commander=commander,
                           claims=pending_claims(current_user) if line_on else [],
                           kinds=KINDS_BY_ROLE.get(current_user.role, KINDS), kind_labels=KIND_LABELS,
                           channels=channels, choices=choices, form=ActionForm()), status


@bp.get("/notifications")
@login_required
def notifications():
    """Show how this user gets messages: LINE link code, channel per kind, a commander's station group."""
    return _page()


@bp.post("/notifications")
@login_required
def save_notifications():
    """Save the channel chosen for each kind of message."""
    form = ActionForm()
    allowed = NOTIFY_CHOICES if configured() else tuple(c for c in NOTIFY_CHOICES if c != "line")
    choices = {kind: request.form.get(f"kind_{kind}", "") for kind in KINDS if f"kind_{kind}" in request.form}
    if not form.validate_on_submit() or any(channel not in allowed for channel in choices.values()):
        flash(_("Choose e-mail, LINE or no message for each kind."), "error")
        return _page(status=400, typed=choices)
    set_kind_channels(current_user, choices)
    db.session.commit()
    flash(_("Your notification choices were saved."), "success")
    return redirect(url_for("delivery.notifications"))


@bp.post("/notifications/unlink")
@login_required
def unlink_line():
    """Remove this user's LINE link; messages go by e-mail again."""
    if ActionForm().validate_on_submit():
        unlink_user(current_user)
        db.session.commit()
        flash(_("LINE was unlinked. Messages go by e-mail."), "success")
    return redirect(url_for("delivery.notifications"))


@bp.post("/notifications/station-group/unlink")
@login_required
def unlink_station_group():
    """Stop sending the station's messages to its LINE group (commanders only)."""
    if current_user.role != Role.STATION_COMMANDER or current_user.station is None:
        abort(403)
    group = station_group(current_user.station)
    if ActionForm().validate_on_submit() and group is not None:
        unlink_group(group.group_id)
        db.session.commit()
        flash(_("The station's LINE group was unlinked."), "success")
    return redirect(url_for("delivery.notifications"))


@bp.post("/notifications/line-claims/<int:code_id>")
@login_required
def answer_line_claim(code_id):
    """Confirm or refuse the LINE account (or station group) that sent one of this user's codes."""
    form = ActionForm()
    confirm = request.form.get("answer") == "confirm"
    if not form.validate_on_submit() or request.form.get("answer") not in ("confirm", "refuse"):
        flash(_("Choose whether to link this LINE account."), "error")
        return _page(status=400)
    try:
        linked = answer_claim(current_user, code_id, confirm)
    except LinkError:
        db.session.rollback()
        flash(_("This request has expired or was already answered. Send a new code from LINE."), "error")
        return redirect(url_for("delivery.notifications"))
    db.session.commit()
    if linked is None:
        flash(_("Refused: that LINE account was not linked."), "success")
    elif isinstance(linked, LineGroup):
        flash(_("The LINE group now gets the station's new reports, deadline warnings and transfers."), "success")
    else:
        flash(_("Linked: Ruamkan messages now come to this LINE. You can choose LINE or e-mail for each kind "
                "of message below."), "success")
    return redirect(url_for("delivery.notifications"))
