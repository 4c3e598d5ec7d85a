"""Who hears about what: one function per notification kind, for other modules to call in their transaction."""
from app.accounts.models import User
from app.delivery.line_models import NotifyPreference
from app.delivery.messages import link_path
from app.delivery.services import enqueue_notification
from app.extensions import db
from app.reports.models import ReportEvent
from app.reports.signals import outcome_recorded, question_answered, question_asked, report_routed, resident_wrote
from app.security.access import Role
from app.triage.signals import deadline_missed


def station_staff(station, role, kind):
    """Return (the active users of a role at a station, {user id: the channel each chose for `kind`}), read in
    one statement; enqueue_notification takes the choices as `chosen` instead of reading them again."""
    if station is None:
        return [], {}
    rows = db.session.execute(_STATION_STAFF, {"station_id": station.id, "role": Role(role), "kind": kind}).all()
    return [user for user, _channel in rows], {user.id: channel for user, channel in rows if channel}


# Read for every report routed: built once.
_STATION_STAFF = (
    db.select(User, NotifyPreference.channel)
    .outerjoin(NotifyPreference, db.and_(NotifyPreference.user_id == User.id,
                                         NotifyPreference.kind == db.bindparam("kind")))
    .where(User.station_id == db.bindparam("station_id"), User.role == db.bindparam("role"),
           User.active.is_(True))
    .order_by(User.id))


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
    desks, chosen = station_staff(report.station, Role.DESK_OFFICER, "report_routed")
    return enqueue_notification("report_routed", report=report, stations=[report.station], users=desks,
                                chosen=chosen, now=now)


def notify_question_asked(report, *, now=None):
    """Tell the council member who filed the report that the station asked a question (LINE offers Reply)."""
    question_id = db.session.scalar(db.select(db.func.max(ReportEvent.id)).where(
        ReportEvent.report_id == report.id, ReportEvent.kind == "question", ReportEvent.internal.is_(False)))
    payload = {"question_id": question_id} if question_id else None
    return enqueue_notification("question_asked", report=report, users=[report.filed_by], payload=payload,
                                now=now)


def notify_question_answered(report, *, now=None):
    """Tell the station's desk officers that the council member answered their question."""
    desks, chosen = station_staff(report.station, Role.DESK_OFFICER, "question_answered")
    return enqueue_notification("question_answered", report=report, users=desks, chosen=chosen, now=now)


def notify_resident_wrote(report, *, answered=False, now=None):
    """Tell the station's desk officers that the resident wrote from the tracking page (never what, never who)."""
    desks, chosen = station_staff(report.station, Role.DESK_OFFICER, "resident_wrote")
    return enqueue_notification("resident_wrote", report=report, users=desks, chosen=chosen,
                                payload={"answered": bool(answered)}, now=now)


def notify_outcome_recorded(report, *, now=None):
    """Tell the council member who filed the report that an outcome was recorded."""
    return enqueue_notification("outcome_recorded", report=report, users=[report.filed_by], now=now)


def notify_escalation(report, *, deadline, due_at, level, now=None):
    """Tell the station commanders (level 1) or the PAO coordinators (level 2), once per deadline and level."""
    # A report without a station has no commander: its first level is already the coordinator.
    users, chosen = (station_staff(report.station, Role.STATION_COMMANDER, "overdue_escalation")
                     if level == "commander" else ([], {}))
    if level == "coordinator" or not users:
        users, chosen = pao_coordinators(report.pao), None
    return enqueue_notification(
        "overdue_escalation", report=report, users=users, chosen=chosen, now=now, line_groups=[report.station],
        payload={"deadline": deadline, "due_at": due_at},
        key=f"overdue_escalation:{report.id}:{deadline}:{due_at.isoformat()}:{level}")


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


def connect_notifications():
    """Listen to what reports and triage announce (create_app calls this once; connecting twice is harmless)."""
    report_routed.connect(_on(notify_report_routed), weak=False)
    question_asked.connect(_on(notify_question_asked), weak=False)
    question_answered.connect(_on(notify_question_answered), weak=False)
    resident_wrote.connect(_on(notify_resident_wrote), weak=False)
    outcome_recorded.connect(_on(notify_outcome_recorded), weak=False)
    deadline_missed.connect(_on(notify_escalation), weak=False)


_RECEIVERS = {}


def _on(notify):
    # one receiver per notification kind, kept so that a second connect finds the same one
    return _RECEIVERS.setdefault(notify, lambda report, **data: notify(report, **data))
