"""Reads of the MOU registry: which PAO a page is about, its MOUs with their state, and those ending soon."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.security.access import may_manage_mou
from app.stations.models import Mou, MouRecord, MouStatus

EXPIRY_WINDOW_DAYS = 60
STATE_LABELS = {
    "in_force": _l("In force"),
    "future": _l("Not yet in force"),
    "expired": _l("Expired"),
    "ended": _l("Ended"),
}


def managed_mou(user, mou_id):
    """Return the MOU when the user may manage it (admins any, coordinators their PAO's), else None."""
    mou = db.session.get(Mou, mou_id)
    return mou if mou is not None and may_manage_mou(user, mou) else None


def mou_state(mou, today):
    """Return 'in_force', 'future', 'expired' or 'ended'."""
    if mou.status == MouStatus.ENDED:
        return "ended"
    if mou.effective_from > today:
        return "future"
    if mou.expires_on is not None and mou.expires_on < today:
        return "expired"
    return "in_force"


def registry_rows(pao, today):
    """Return every MOU of the PAO with its station, state, record and renewals, by station then newest first."""
    mous = db.session.scalars(db.select(Mou).where(Mou.pao_id == pao.id).options(joinedload(Mou.station))).all()
    records = {r.mou_id: r for r in db.session.scalars(
        db.select(MouRecord).where(MouRecord.mou_id.in_([m.id for m in mous])))} if mous else {}
    renewed_by = {r.renews_mou_id: r.mou_id for r in records.values() if r.renews_mou_id}
    rows = [{"mou": m, "station": m.station, "state": mou_state(m, today), "record": records.get(m.id),
             "renews_id": records[m.id].renews_mou_id if m.id in records else None,
             "renewed_by_id": renewed_by.get(m.id)} for m in mous]
    rows.sort(key=lambda r: (r["station"].name_th, -r["mou"].effective_from.toordinal(), -r["mou"].id))
    return rows


def expiring_rows(rows, today, days=EXPIRY_WINDOW_DAYS):
    """Return the rows of MOUs in force that expire within `days` and have no renewal yet, soonest first."""
    until = today + timedelta(days=days)
    soon = [dict(row, days_left=(row["mou"].expires_on - today).days) for row in rows
            if row["state"] in ("in_force", "future") and row["mou"].expires_on is not None
            and today <= row["mou"].expires_on <= until and not row["renewed_by_id"]]
    return sorted(soon, key=lambda row: row["mou"].expires_on)
