"""Who hears about what: one function per notification kind, for other modules to call in their transaction."""
from app.accounts.models import User
from app.delivery.messages import link_path
from app.delivery.services import enqueue_notification
from app.extensions import db
from app.security.access import Role


def station_staff(station, role):
    """Return the active users of a role at a station."""
    if station is None:
        return []
    return db.session.scalars(db.select(User).where(
        User.station_id == station.id, User.role == Role(role), User.active.is_(True)).order_by(User.id)).all()


def pao_coordinators(pao):
    """Return the active PAO coordinators of a PAO."""
    if pao is None:
        return []
    return db.session.scalars(db.select(User).where(
        User.pao_id == pao.id, User.role == Role.PAO_COORDINATOR, User.active.is_(True)).order_by(User.id)).all()


def notify_report_routed(report, *, now=None):
    """Tell the receiving station's desk officers, and the station's own system, about a routed report."""
    if report.station is None:
        return []
    return enqueue_notification("report_routed", report=report, stations=[report.station],
                                users=station_staff(report.station, Role.DESK_OFFICER), now=now)


def notify_question_asked(report, *, now=None):
    """Tell the council member who filed the report that the station asked a question."""
    return enqueue_notification("question_asked", report=report, users=[report.filed_by], now=now)


def notify_outcome_recorded(report, *, now=None):
    """Tell the council member who filed the report that an outcome was recorded."""
    return enqueue_notification("outcome_recorded", report=report, users=[report.filed_by], now=now)


def notify_overdue_escalation(report, *, deadline, due_at, now=None):
    """Tell the station commander and the PAO coordinators that a report passed a deadline, once per deadline."""
    if deadline not in ("ack", "act"):
        raise ValueError("deadline must be 'ack' or 'act'")
    users = station_staff(report.station, Role.STATION_COMMANDER) + pao_coordinators(report.pao)
    return enqueue_notification(
        "overdue_escalation", report=report, users=users, now=now,
        payload={"deadline": deadline, "due_at": due_at},
        key=f"overdue_escalation:{report.id}:{deadline}:{due_at.isoformat()}")


def notify_mou_expiring(mou, *, days_left, threshold_days, now=None):
    """Tell the PAO's coordinators that an MOU ends soon, once per (MOU, expiry date, threshold)."""
    station = mou.station
    return enqueue_notification(
        "mou_expiring", users=pao_coordinators(mou.pao), now=now,
        payload={"mou_id": mou.id, "expires_on": mou.expires_on, "days_left": days_left,
                 "threshold_days": threshold_days, "station_code": station.code,
                 "station": {"th": station.name_th, "en": station.name_en},
                 "pao": {"th": mou.pao.name_th, "en": mou.pao.name_en}, "pao_code": mou.pao.code,
                 "link": link_path("oversight.mous")},
        key=f"mou_expiring:{mou.id}:{mou.expires_on.isoformat()}:{threshold_days}")
