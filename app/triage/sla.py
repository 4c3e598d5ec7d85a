"""SLA: deadlines from category hours and priority, overdue rules, and escalation of missed deadlines.

The rule: acknowledge-by = created + category.sla_ack_hours x factor, act-by = created +
category.sla_act_hours x factor, where the factor is urgent 0.25, high 0.5, normal 1, low 1.5.
Deadlines are UTC instants; "due today" is judged on the Asia/Bangkok calendar. A report is overdue
while the police owe the next step (new, acknowledged, in progress, reopened) and it has passed its
acknowledge-by (not yet acknowledged) or its act-by. The clock restarts when a report is reopened,
transferred or forwarded, because a station cannot act before it has the report.

Waiting stops the clock. needs_info (waiting for the council member) only keeps the report from being
overdue. needs_resident (waiting for the anonymous resident on the tracking page) does that too, and when
the wait ends (answer, the resident's STOP, or the desk's "stop waiting") the deadlines still owed move
later by the time waited, at most RESIDENT_WAIT_MAX_HOURS (72) per wait: the resident may answer late or
never, so the police get the waited time back, but a long silence cannot buy them unlimited time
(app/reports/lifecycle.py: pause_clock_for_resident).
"""
import logging
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, case, exists, or_

from app.core.timeutil import BANGKOK, to_bangkok, to_utc_naive, utcnow
from app.extensions import db
from app.reports.lifecycle import record_event, state_snapshot
from app.reports.models import SLA_STATUSES, Priority, Report  # noqa: F401  (SLA_STATUSES is used by oversight too)
from app.triage.models import SlaEscalation
from app.triage.signals import deadline_missed

log = logging.getLogger(__name__)

LEVELS = ("commander", "coordinator")


def bangkok_day_bounds(now):
    """Return the UTC start and end of the Bangkok calendar day containing the UTC instant `now`."""
    day = to_bangkok(now).date()
    start = to_utc_naive(datetime.combine(day, time(0, 0), tzinfo=BANGKOK))
    return start, start + timedelta(days=1)


def ack_overdue_clause(now):
    """SQL: the report owes an acknowledgement whose deadline has passed."""
    return and_(Report.status.in_(SLA_STATUSES), Report.acknowledged_at.is_(None), Report.ack_due_at < now)


def act_overdue_clause(now):
    """SQL: the report owes action whose deadline has passed."""
    return and_(Report.status.in_(SLA_STATUSES), Report.act_due_at < now)


def overdue_clause(now):
    """SQL: the report is overdue for the police."""
    return or_(ack_overdue_clause(now), act_overdue_clause(now))


def overdue_rank(now):
    """SQL: 1 for an overdue report, 0 otherwise (the queue's first sort key)."""
    return case((overdue_clause(now), 1), else_=0)


def due_today_clause(now):
    """SQL: a deadline the police still owe falls on today's Bangkok calendar day."""
    start, end = bangkok_day_bounds(now)
    return and_(Report.status.in_(SLA_STATUSES), or_(
        and_(Report.acknowledged_at.is_(None), Report.ack_due_at >= start, Report.ack_due_at < end),
        and_(Report.act_due_at >= start, Report.act_due_at < end)))


def overdue_deadlines(report, now=None):
    """Return the deadlines ('ack', 'act') this report has missed, as the police see it."""
    now = now or utcnow()
    if report.status not in SLA_STATUSES:
        return []
    missed = []
    if report.acknowledged_at is None and report.ack_due_at and report.ack_due_at < now:
        missed.append("ack")
    if report.act_due_at and report.act_due_at < now:
        missed.append("act")
    return missed


def due_today(report, now=None):
    """Return True when a deadline the police still owe falls on today's Bangkok calendar day."""
    now = now or utcnow()
    if report.status not in SLA_STATUSES:
        return False
    start, end = bangkok_day_bounds(now)
    dues = [report.act_due_at] + ([report.ack_due_at] if report.acknowledged_at is None else [])
    return any(due is not None and start <= due < end for due in dues)


def coordinator_delay():
    """Return how long a deadline stays missed before the PAO coordinator hears (SLA_ESCALATE_COORDINATOR_HOURS)."""
    return timedelta(hours=float(current_app.config.get("SLA_ESCALATE_COORDINATOR_HOURS", 24)))


def run_sla_check(now=None, batch=None):
    """Escalate every missed deadline once per level; return {level: count}. Running it again adds nothing.

    At most `batch` reports per deadline and level (config SLA_CHECK_BATCH, default 1000) are taken per run,
    so a first run over a large backlog stays a short transaction; the next run takes the rest.
    """
    now = now or utcnow()
    batch = batch or int(current_app.config.get("SLA_CHECK_BATCH", 1000))
    counts = dict.fromkeys(LEVELS, 0)
    for deadline, due_column, missed in (("ack", Report.ack_due_at, ack_overdue_clause),
                                         ("act", Report.act_due_at, act_overdue_clause)):
        for level, cutoff in (("commander", now), ("coordinator", now - coordinator_delay())):
            done = exists().where(SlaEscalation.report_id == Report.id, SlaEscalation.deadline == deadline,
                                  SlaEscalation.due_at == due_column, SlaEscalation.level == level)
            reports = db.session.scalars(db.select(Report).where(missed(now), due_column < cutoff, ~done)
                                         .order_by(Report.id).limit(batch)).all()
            for report in reports:
                escalate_report(report, deadline=deadline, level=level, now=now)
                counts[level] += 1
    if any(counts.values()):
        log.info("sla check escalated %s", counts)
    return counts


def escalate_report(report, *, deadline, level, now=None):
    """Record one escalation of a missed deadline: the row, an internal event and the notification."""
    now = now or utcnow()
    due_at = report.ack_due_at if deadline == "ack" else report.act_due_at
    db.session.add(SlaEscalation(report_id=report.id, deadline=deadline, due_at=due_at, level=level,
                                 created_at=now))
    record_event(report, "escalated", None, before=state_snapshot(report), internal=True, now=now,
              deadline=deadline, due_at=due_at.isoformat(), level=level)
    deadline_missed.send(report, deadline=deadline, due_at=due_at, level=level, now=now)
