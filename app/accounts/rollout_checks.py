"""The accounts' line of the PAO rollout checklist: people invited, and people who have signed in."""
from flask_babel import gettext as _

from app.accounts.models import Invitation, User
from app.core.timeutil import utcnow
from app.extensions import db
from app.stations.rollout import CheckItem, register_rollout_check


@register_rollout_check
def users_check(pao, today):
    """Return the users item: invitations waiting and accounts of the PAO that have signed in."""
    now = utcnow()
    waiting = db.session.scalar(db.select(db.func.count(Invitation.id)).where(
        Invitation.pao_id == pao.id, Invitation.used_at.is_(None), Invitation.expires_at > now))
    accounts = db.session.scalar(db.select(db.func.count(User.id)).where(User.pao_id == pao.id, User.active))
    signed_in = db.session.scalar(db.select(db.func.count(User.id)).where(
        User.pao_id == pao.id, User.active, User.last_login_at.is_not(None)))
    return CheckItem("users", _("Users invited and active"), signed_in > 0,
                     _("%(waiting)d invitations waiting, %(accounts)d accounts, %(active)d have signed in.",
                       waiting=waiting, accounts=accounts, active=signed_in), "accounts.invitations")
