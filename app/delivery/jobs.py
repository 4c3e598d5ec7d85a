"""Periodic job of delivery: MOU expiry reminders to PAO coordinators (app/jobs.py registers it)."""
from datetime import timedelta

from flask import current_app

from app.core.timeutil import to_bangkok
from app.delivery.notify import notify_mou_expiring
from app.extensions import db
from app.stations.models import Mou, MouStatus

DAY = 24 * 3600


def notice_thresholds():
    """Return the reminder thresholds in days, largest first (config MOU_EXPIRY_NOTICE_DAYS, e.g. '60,30,7')."""
    raw = current_app.config.get("MOU_EXPIRY_NOTICE_DAYS", "60,30,7")
    values = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    return sorted({int(v) for v in values if str(v).strip()}, reverse=True)


def check_expiring_mous(now):
    """Enqueue one reminder per MOU and threshold for MOUs ending soon; running it again adds nothing."""
    thresholds = notice_thresholds()
    if not thresholds:
        return 0
    today = to_bangkok(now).date()  # MOU dates are Thai calendar days
    mous = db.session.scalars(db.select(Mou).where(
        Mou.status == MouStatus.ACTIVE, Mou.expires_on.isnot(None), Mou.expires_on >= today,
        Mou.expires_on <= today + timedelta(days=thresholds[0])).order_by(Mou.id)).all()
    count = 0
    for mou in mous:
        days_left = (mou.expires_on - today).days
        # Only the tightest threshold reached: an MOU found 5 days before its end gets one reminder, not three.
        threshold = min(t for t in thresholds if days_left <= t)
        count += len(notify_mou_expiring(mou, days_left=days_left, threshold_days=threshold, now=now))
    return count
