"""Monthly rollups: the figures of each (PAO, month), built from the reports, kept up to date report by report.

The periodic job (app.oversight.jobs) runs `refresh_rollups` every minute; `flask oversight rollup`
runs it by hand. A first run (or --all, --since) rebuilds months whole (delete, recompute, insert) and
stores each report's contribution; later runs move only the contributions of reports that changed or
passed a deadline (app.oversight.delta), so the rows always equal what app.oversight.facts computes
directly at the time of the last run (at most one job period old).
"""
import logging
from datetime import timedelta

from sqlalchemy import delete, func, select

from app.core.timeutil import utcnow
from app.extensions import db
from app.oversight.delta import apply_changes
from app.oversight.models import (
    AmphoeRollup,
    HotspotCell,
    HotspotRollup,
    MemberRollup,
    RollupCheckpoint,
    RollupEntry,
    StatsRollup,
)
from app.oversight.periods import add_months, month_of, months_between, utc_start
from app.oversight.rebuild import insert_entries, insert_rollups
from app.reports.models import Report
from app.triage.sla import SLA_STATUSES

log = logging.getLogger(__name__)

CHECKPOINT = "rollups"
# A change committed late (a long transaction) carries an updated_at before the last run: look back this far.
OVERLAP = timedelta(minutes=15)
ROLLUPS = (StatsRollup, AmphoeRollup, HotspotRollup, HotspotCell, MemberRollup, RollupEntry)
# More changed reports than this in one run: rebuilding their months is cheaper than moving each one.
MAX_MOVED = 20_000


def rebuild_month(pao_id, month, now=None):
    """Replace one PAO's rollup rows of one month with figures computed from its reports; return rows written."""
    now = now or utcnow()
    for model in ROLLUPS:
        db.session.execute(delete(model).where(model.pao_id == pao_id, model.month == month))
    insert_entries((Report.pao_id == pao_id, Report.created_at >= utc_start(month),
                    Report.created_at < utc_start(add_months(month, 1))), now)
    return insert_rollups(now, pao_id=pao_id, month=month)


def rebuild_from(since, now):
    """Replace every rollup row from the month of `since` (a date, or None: all of them) with figures computed
    from the reports, the whole period at once; return the (PAO, month) pairs rebuilt."""
    clauses = () if since is None else (Report.created_at >= utc_start(month_of(since)),)
    first = None if since is None else month_of(since)
    for model in ROLLUPS:
        db.session.execute(delete(model) if first is None else delete(model).where(model.month >= first))
    insert_entries(clauses, now)
    insert_rollups(now, first=first)
    return months_with_reports(since)


def months_with_reports(since=None):
    """Return {(pao_id, month)} from each PAO's first (or `since`) to its last filing month."""
    query = select(Report.pao_id, func.min(Report.created_at), func.max(Report.created_at)).group_by(Report.pao_id)
    if since is not None:
        query = query.where(Report.created_at >= utc_start(month_of(since)))
    return {(pao_id, month) for pao_id, first, last in db.session.execute(query)
            for month in months_between(month_of(first), month_of(last))}


def changed_reports(since, now):
    """Return {report id: (pao_id, month)} of reports changed, or past a deadline the police still owe, since
    `since`."""
    changed = select(Report.id, Report.pao_id, Report.created_at).where(Report.updated_at >= since)
    # Passing a deadline changes no row, yet it makes the report overdue: those reports count anew too.
    ack_passed = select(Report.id, Report.pao_id, Report.created_at).where(
        Report.ack_due_at >= since, Report.ack_due_at < now, Report.acknowledged_at.is_(None),
        Report.status.in_(SLA_STATUSES))
    act_passed = select(Report.id, Report.pao_id, Report.created_at).where(
        Report.act_due_at >= since, Report.act_due_at < now, Report.status.in_(SLA_STATUSES))
    reports = {}
    for query in (changed, ack_passed, act_passed):
        for report_id, pao_id, created_at in db.session.execute(query.execution_options(yield_per=10000)):
            reports[report_id] = (pao_id, month_of(created_at))
    return reports


class RollupBusy(Exception):
    """Another rebuild holds the checkpoint; this one should not wait for it."""


def _checkpoint(wait):
    # The row lock keeps two rebuilds from interleaving; the worker's job skips rather than waits, so a
    # long `flask oversight rollup --all` never holds up the notifications the same worker sends.
    lock = True if wait else {"skip_locked": True}
    row = db.session.get(RollupCheckpoint, CHECKPOINT, with_for_update=lock, populate_existing=True)
    if row is None:
        if not wait and db.session.scalar(select(func.count()).where(RollupCheckpoint.name == CHECKPOINT)):
            raise RollupBusy()
        row = RollupCheckpoint(name=CHECKPOINT)
        db.session.add(row)
        db.session.flush()
    return row


def refresh_rollups(*, now=None, since=None, rebuild_all=False, wait=True):
    """Bring the rollups up to date and return how many (PAO, month) pairs were rebuilt.

    By default only the reports changed since the last refresh move their contributions
    (app.oversight.delta; above MAX_MOVED of them, their months are rebuilt); `since` (a date) rebuilds
    every month from its month on; `rebuild_all` (or a first run) rebuilds everything. With
    wait=False, raise RollupBusy instead of waiting for a rebuild already running.
    """
    now = now or utcnow()
    checkpoint = _checkpoint(wait)
    moved = set()
    if rebuild_all or (since is None and checkpoint.refreshed_at is None):
        months = rebuild_from(None, now)
    elif since is not None:
        months = rebuild_from(since, now)
    else:
        changed = changed_reports(checkpoint.refreshed_at - OVERLAP, now)
        if len(changed) <= MAX_MOVED:
            apply_changes(changed, now)
            months, moved = (), set(changed.values())  # counted as before: the pairs brought up to date
        else:
            months = set(changed.values())
            for pao_id, month in sorted(months):
                rebuild_month(pao_id, month, now)
    months = set(months) | moved
    if since is None:
        checkpoint.refreshed_at = now
    db.session.flush()
    if months:
        log.info("rollups rebuilt for %s (PAO, month) pair(s)", len(months))
    return len(months)


def rollups_refreshed_at():
    """Return when the rollups were last brought up to date, or None."""
    return db.session.scalar(select(RollupCheckpoint.refreshed_at).where(RollupCheckpoint.name == CHECKPOINT))
