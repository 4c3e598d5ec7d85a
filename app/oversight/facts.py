"""The per-report facts every figure is built from, read in one query, and their grouping into rollup rows.

Definitions (the dashboard's help text says the same):
- a report counts for the station it is with now, in the Bangkok month it was filed;
- time to acknowledge: filing to the first acknowledgement; time to act: filing to the first outcome;
- acknowledged within SLA: the current acknowledgement is at or before the current acknowledge-by
  deadline (a reopened or transferred report starts a fresh clock, as app.triage.sla does);
- acted within SLA: a report with action taken (or closed after it) got its latest outcome by its
  act-by deadline. A report the police still owe a step (app.triage.sla) past a deadline counts as
  missed and as overdue, judged at the time the figures are computed;
- transferred: it has a routing decision with reason 'transfer'; reopened: it has a 'reopen_requested' event.
"""
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, select

from app.extensions import db
from app.oversight import histogram
from app.oversight.models import COUNTERS
from app.oversight.periods import month_of
from app.reports.models import OPEN_STATUSES, Report, ReportEvent, ReportStatus, RoutingDecision
from app.triage.sla import SLA_STATUSES

ACTED_STATUSES = frozenset({ReportStatus.ACTION_TAKEN, ReportStatus.CLOSED})
EVENT_KINDS = ("status_changed", "outcome", "reopen_requested")


@dataclass
class Facts:
    """What one report contributes to the figures."""

    id: int
    pao_id: int
    filed_by_id: int
    reference_number: str
    category_id: int
    station_id: int | None
    amphoe_code: str | None
    status: ReportStatus
    created_at: object
    acknowledged_at: object
    closed_at: object
    ack_due_at: object
    act_due_at: object
    lat: float
    lon: float
    first_ack: object
    first_outcome: object
    last_outcome: object
    reopened: bool
    transferred: bool

    @property
    def month(self):
        return month_of(self.created_at)

    @property
    def ack_seconds(self):
        first = self.first_ack or self.acknowledged_at  # rows imported without events still count
        return (first - self.created_at).total_seconds() if first else None

    @property
    def act_seconds(self):
        return (self.first_outcome - self.created_at).total_seconds() if self.first_outcome else None

    @property
    def ack_result(self):
        """Return 'met', 'late' or None (not acknowledged in the current cycle)."""
        if self.acknowledged_at is None or self.ack_due_at is None:
            return None
        return "met" if self.acknowledged_at <= self.ack_due_at else "late"

    def missed(self, now):
        """Return (acknowledgement missed, action missed) at `now` for a report the police still owe a step."""
        if self.status not in SLA_STATUSES:
            return False, False
        ack = self.acknowledged_at is None and self.ack_due_at is not None and self.ack_due_at < now
        return ack, self.act_due_at is not None and self.act_due_at < now

    @property
    def act_result(self):
        """Return 'met', 'late' or None (no action owed or not taken yet)."""
        if self.status not in ACTED_STATUSES or self.last_outcome is None or self.act_due_at is None:
            return None
        return "met" if self.last_outcome <= self.act_due_at else "late"


def _event_summary(report_ids):
    transition = ReportEvent.payload["transition"].as_string()
    is_ack = and_(ReportEvent.kind == "status_changed", transition == "acknowledge")
    is_outcome = ReportEvent.kind == "outcome"
    return (select(ReportEvent.report_id.label("report_id"),
                   func.min(case((is_ack, ReportEvent.created_at))).label("first_ack"),
                   func.min(case((is_outcome, ReportEvent.created_at))).label("first_outcome"),
                   func.max(case((is_outcome, ReportEvent.created_at))).label("last_outcome"),
                   func.max(case((ReportEvent.kind == "reopen_requested", 1), else_=0)).label("reopened"))
            .where(ReportEvent.kind.in_(EVENT_KINDS), ReportEvent.report_id.in_(report_ids))
            .group_by(ReportEvent.report_id).subquery())


def facts_query(*clauses):
    """Return the SELECT of the facts of every report meeting the clauses, oldest first."""
    events = _event_summary(select(Report.id).where(*clauses))
    transferred = exists().where(RoutingDecision.report_id == Report.id, RoutingDecision.reason == "transfer")
    return (select(Report.id, Report.pao_id, Report.filed_by_id, Report.reference_number, Report.category_id,
                   Report.station_id, Report.amphoe_code, Report.status, Report.created_at,
                   Report.acknowledged_at, Report.closed_at,
                   Report.ack_due_at, Report.act_due_at, Report.lat, Report.lon, events.c.first_ack,
                   events.c.first_outcome, events.c.last_outcome, events.c.reopened,
                   transferred.label("transferred"))
            .outerjoin(events, events.c.report_id == Report.id)
            .where(*clauses).order_by(Report.created_at, Report.id))


def iter_facts(*clauses, batch=5000):
    """Yield Facts for every report meeting the clauses, streamed in batches."""
    result = db.session.execute(facts_query(*clauses).execution_options(yield_per=batch))
    for row in result:
        values = row._asdict()
        values["reopened"] = bool(values["reopened"])
        values["transferred"] = bool(values["transferred"])
        yield Facts(**values)


def new_counts():
    """Return an empty rollup row body: every counter at zero and two full-length histograms."""
    return {**dict.fromkeys(COUNTERS, 0), "ack_hist": histogram.empty(), "act_hist": histogram.empty()}


def count_facts(counts, facts, now):
    """Add one report's facts, judged at `now`, to a rollup row body (in place)."""
    ack_missed, act_missed = facts.missed(now)
    counts["ack_missed"] += ack_missed
    counts["act_missed"] += act_missed
    counts["overdue"] += ack_missed or act_missed
    counts["reports"] += 1
    counts["open_reports"] += facts.status in OPEN_STATUSES
    counts["rejected"] += facts.status == ReportStatus.REJECTED
    counts["transferred"] += facts.transferred
    counts["reopened"] += facts.reopened
    ack, act = facts.ack_seconds, facts.act_seconds
    if ack is not None:
        counts["acknowledged"] += 1
        histogram.add(counts["ack_hist"], ack)
    if act is not None:
        counts["acted"] += 1
        histogram.add(counts["act_hist"], act)
    if facts.ack_result:
        counts["ack_" + facts.ack_result] += 1
    if facts.act_result:
        counts["act_" + facts.act_result] += 1


def as_vector(counts):
    """Return a row body as one list: the counters in COUNTERS order, then both histograms."""
    return [counts[name] for name in COUNTERS] + counts["ack_hist"] + counts["act_hist"]


def group_facts(facts, now, *, by_member=False):
    """Return {(pao_id, month, station_id, category_id, amphoe_code): row body} of Facts judged at `now`
    (with the filing member's id last in the key when `by_member`)."""
    groups = {}
    for item in facts:
        key = (item.pao_id, item.month, item.station_id, item.category_id, item.amphoe_code)
        if by_member:
            key += (item.filed_by_id,)
        counts = groups.get(key)
        if counts is None:
            counts = groups[key] = new_counts()
        count_facts(counts, item, now)
    return groups
