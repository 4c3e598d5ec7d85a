"""The coordinator's queue: reports no MOU station took (area without MOU, outside coverage, no station)."""
from sqlalchemy import false, func
from sqlalchemy.orm import joinedload

from app.core.timeutil import to_bangkok, utcnow
from app.extensions import db
from app.reports.models import OPEN_STATUSES, Report, RoutingDecision
from app.security.access import POLICE_ROLES, Role
from app.stations.models import Mou, MouStatus, Pao, Station

COORDINATOR_RULES = ("area_without_mou", "outside_coverage")
PAGE_SIZE = 50


def coordinated_pao_ids(user):
    """Return the ids of the PAOs whose coordinator queue this user works: their own, or their station's."""
    if user.role == Role.PAO_COORDINATOR:
        return [user.pao_id] if user.pao_id else []
    if user.role in POLICE_ROLES and user.station_id:
        return list(db.session.scalars(db.select(Pao.id).where(Pao.coordinator_station_id == user.station_id)))
    return []


def _queue_clause(user):
    pao_ids = coordinated_pao_ids(user)
    if not pao_ids:
        return false()
    # These rules send a report to the coordinating station (or to none), so look only there: it is indexed.
    stations = db.select(Pao.coordinator_station_id).where(Pao.id.in_(pao_ids)).scalar_subquery()
    latest = (db.select(func.max(RoutingDecision.id)).where(RoutingDecision.report_id == Report.id)
              .correlate(Report).scalar_subquery())
    latest_rule = db.select(RoutingDecision.rule).where(RoutingDecision.id == latest).scalar_subquery()
    return db.and_(Report.pao_id.in_(pao_ids), Report.status.in_(OPEN_STATUSES),
                   db.or_(Report.station_id.is_(None), Report.outside_province.is_(True),
                          db.and_(Report.station_id.in_(stations), latest_rule.in_(COORDINATOR_RULES))))


def coordinator_queue(user, *, after=None, size=PAGE_SIZE):
    """Return (reports, total, next_after): one page of the reports waiting for a station, oldest first.

    `after` is the id of the last report of the previous page (keyset paging on created_at, id, so a
    report forwarded meanwhile shifts nothing); next_after is None on the last page.
    """
    clause = _queue_clause(user)
    total = db.session.scalar(db.select(func.count(Report.id)).where(clause))
    query = db.select(Report).where(clause)
    if after is not None:
        # the report the page ended with may have left the queue since; its row still gives the position
        created = db.select(Report.created_at).where(Report.id == after).scalar_subquery()
        query = query.where(db.or_(Report.created_at > created,
                                   db.and_(Report.created_at == created, Report.id > after)))
    reports = db.session.scalars(
        query.options(joinedload(Report.category), joinedload(Report.station))
        .order_by(Report.created_at, Report.id).limit(size + 1)).all()
    more = len(reports) > size
    reports = reports[:size]
    return reports, total, (reports[-1].id if more else None)


def coordinator_report(user, report_id):
    """Return a report of this user's coordinator queue, or None (the view answers 'not found')."""
    return db.session.scalar(db.select(Report).where(Report.id == report_id, _queue_clause(user)))


def forward_choices(pao):
    """Return (stations under an MOU in force with the PAO, other active stations), each by name."""
    today = to_bangkok(utcnow()).date()  # MOU dates are Thai calendar days
    with_mou = {m.station_id for m in db.session.scalars(db.select(Mou).where(
        Mou.pao_id == pao.id, Mou.status == MouStatus.ACTIVE)) if m.is_active_on(today)}
    stations = db.session.scalars(db.select(Station).where(Station.active.is_(True))
                                  .order_by(Station.name_th, Station.id)).all()
    return [s for s in stations if s.id in with_mou], [s for s in stations if s.id not in with_mou]
