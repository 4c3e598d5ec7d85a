"""Set-based rollup rebuild: the database computes every report's contribution and sums the rollup rows.

`insert_entries` writes the rollup_entries of all the reports meeting some clauses with one
INSERT … SELECT (the counters as bits and the duration buckets computed in SQL, exactly as
app.oversight.delta.entry_of does in Python for one report); `insert_rollups` then fills every rollup
table (of one PAO's month, of the months from a date, or all) from those entries with one GROUP BY
each. Only the packed counters and histograms of the stats rows (one per PAO, month, station and
category: few) are put together in Python, from grouped rows, never from the reports. The same
statements run on PostgreSQL and SQLite; the expressions they spell differently (seconds between two
instants, the Bangkok month, a duration's bucket) are compiled per dialect below.
"""
from sqlalchemy import Date, Integer, and_, case, cast, func, insert, literal, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from app.extensions import db
from app.oversight import histogram
from app.oversight.facts import ACTED_STATUSES, facts_query
from app.oversight.grid import FACTORS
from app.oversight.hotspots import cell_of
from app.oversight.models import (
    COUNTERS,
    AmphoeRollup,
    HotspotCell,
    HotspotRollup,
    MemberRollup,
    RollupEntry,
    StatsRollup,
)
from app.reports.models import OPEN_STATUSES, ReportStatus
from app.triage.sla import SLA_STATUSES

N = len(COUNTERS)
ENTRY_COLUMNS = ("report_id", "pao_id", "month", "station_id", "category_id", "amphoe_code", "member_id",
                 "cell_row", "cell_col", "flags", "ack_bucket", "act_bucket")


class seconds_between(FunctionElement):  # noqa: N801 - used like a SQL function
    """Seconds from the second instant to the first (NULL when either is NULL)."""

    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    # julianday keeps milliseconds; rounding drops the float noise so durations on a bucket edge stay on it
    return f"round((julianday({later}) - julianday({earlier})) * 86400.0, 3)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    # float8: the bucket CASE compares each value with up to 93 edges, and numeric comparisons cost far more
    return f"CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS float8)"


class bangkok_month(FunctionElement):  # noqa: N801 - used like a SQL function
    """The first day of the Bangkok calendar month of a stored UTC instant (app.oversight.periods.month_of)."""

    type = Date()
    inherit_cache = True
    name = "bangkok_month"


@compiles(bangkok_month)
def _month_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours', 'start of month')"


@compiles(bangkok_month, "postgresql")
def _month_postgresql(element, compiler, **kw):
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)} + interval '7 hours') AS date)"


class duration_bucket(FunctionElement):  # noqa: N801 - used like a SQL function
    """histogram.bucket_of(seconds) in SQL: how many edges lie below the duration (NULL stays NULL)."""

    type = Integer()
    inherit_cache = True
    name = "duration_bucket"


@compiles(duration_bucket)
def _bucket_sqlite(element, compiler, **kw):
    seconds = list(element.clauses)[0]
    return compiler.process(case((seconds.is_(None), None), *[(seconds <= edge, n) for n, edge in enumerate(
        histogram.EDGES)], else_=len(histogram.EDGES)), **kw)


@compiles(duration_bucket, "postgresql")
def _bucket_postgresql(element, compiler, **kw):
    # width_bucket counts the thresholds at or below a value: over the negated edges, those at or above
    # the duration; the rest lie below it. One binary search where a CASE would repeat the duration's
    # expression for each of the 93 edges.
    thresholds = ", ".join(str(-edge) for edge in reversed(histogram.EDGES))
    seconds = compiler.process(element.clauses, **kw)
    return f"({len(histogram.EDGES)} - width_bucket(-({seconds}), ARRAY[{thresholds}]::float8[]))"


def _flags(f, now):
    """Return SQL for the counters of one report's facts (columns of facts_query) as bits, judged at `now`."""
    owed = f.c.status.in_(SLA_STATUSES)
    ack_missed = and_(owed, f.c.acknowledged_at.is_(None), f.c.ack_due_at.isnot(None), f.c.ack_due_at < now)
    act_missed = and_(owed, f.c.act_due_at.isnot(None), f.c.act_due_at < now)
    acked = and_(f.c.acknowledged_at.isnot(None), f.c.ack_due_at.isnot(None))
    acted = and_(f.c.status.in_(ACTED_STATUSES), f.c.last_outcome.isnot(None), f.c.act_due_at.isnot(None))
    conditions = {
        "reports": true(), "open_reports": f.c.status.in_(OPEN_STATUSES),
        "acknowledged": func.coalesce(f.c.first_ack, f.c.acknowledged_at).isnot(None),
        "acted": f.c.first_outcome.isnot(None),
        "ack_met": and_(acked, f.c.acknowledged_at <= f.c.ack_due_at),
        "ack_late": and_(acked, f.c.acknowledged_at > f.c.ack_due_at),
        "act_met": and_(acted, f.c.last_outcome <= f.c.act_due_at),
        "act_late": and_(acted, f.c.last_outcome > f.c.act_due_at),
        "transferred": f.c.transferred == true(), "reopened": f.c.reopened == 1,
        "rejected": f.c.status == ReportStatus.REJECTED,
        "ack_missed": ack_missed, "act_missed": act_missed, "overdue": or_(ack_missed, act_missed)}
    return sum(case((conditions[name], 1 << n), else_=0) for n, name in enumerate(COUNTERS))


def insert_entries(clauses, now):
    """Insert the rollup_entries of every report meeting the clauses, judged at `now`, in one statement."""
    f = facts_query(*clauses).order_by(None).subquery()
    row, col = (cast(expression, Integer) for expression in cell_of(f.c.lat, f.c.lon))
    per_report = select(
        f.c.id, f.c.pao_id, bangkok_month(f.c.created_at).label("month"), f.c.station_id, f.c.category_id,
        f.c.amphoe_code, f.c.filed_by_id, row.label("cell_row"), col.label("cell_col"),
        _flags(f, now).label("flags"),
        seconds_between(func.coalesce(f.c.first_ack, f.c.acknowledged_at), f.c.created_at).label("ack_seconds"),
        seconds_between(f.c.first_outcome, f.c.created_at).label("act_seconds")).subquery()
    entries = select(*[per_report.c[name] for name in (
        "id", "pao_id", "month", "station_id", "category_id", "amphoe_code", "filed_by_id", "cell_row", "cell_col",
        "flags")], duration_bucket(per_report.c.ack_seconds), duration_bucket(per_report.c.act_seconds))
    db.session.execute(insert(RollupEntry).from_select(ENTRY_COLUMNS, entries))


def _bit(n):
    return case((RollupEntry.flags.op("&")(1 << n) != 0, 1), else_=0)


def _vectors(keys, where):
    """Return {key: full rollup vector} of the entries meeting `where`, grouped by the key columns."""
    vectors = {}
    counters = select(*keys, *[func.sum(_bit(n)) for n in range(N)]).where(*where).group_by(*keys)
    for row in db.session.execute(counters):
        vectors[tuple(row[:len(keys)])] = [int(v) for v in row[len(keys):]] + [0] * (2 * histogram.SIZE)
    for offset, bucket in ((N, RollupEntry.ack_bucket), (N + histogram.SIZE, RollupEntry.act_bucket)):
        grouped = select(*keys, bucket, func.count()).where(*where, bucket.isnot(None)).group_by(*keys, bucket)
        for row in db.session.execute(grouped):
            vectors[tuple(row[:len(keys)])][offset + row[-2]] = row[-1]
    return vectors


def _within(model, pao_id, month, first):
    """Return the conditions picking a rollup model's rows of one PAO and month, or of every month from `first`."""
    conditions = []
    if pao_id is not None:
        conditions.append(model.pao_id == pao_id)
    if month is not None:
        conditions.append(model.month == month)
    if first is not None:
        conditions.append(model.month >= first)
    return tuple(conditions)


def insert_rollups(now, *, pao_id=None, month=None, first=None):
    """Fill every rollup table from the rollup_entries of one PAO's month (pao_id and month), of every month
    from `first`, or of all of them; return the stats rows written."""
    e = RollupEntry
    where = _within(e, pao_id, month, first)
    base = (e.pao_id, e.month, e.station_id, e.category_id)
    names = ("pao_id", "month", "station_id", "category_id")
    stats = [{**dict(zip(names, key, strict=True)), **dict(zip(COUNTERS, vector, strict=False)),
              "packed": histogram.pack(vector), "computed_at": now}
             for key, vector in _vectors(base, where).items()]
    if stats:
        db.session.execute(insert(StatsRollup), stats)
    for model, keys, sums in (
            (MemberRollup, (e.amphoe_code, e.member_id, e.flags, e.ack_bucket, e.act_bucket), {"reports": None}),
            (AmphoeRollup, (e.amphoe_code,), {name: _bit(COUNTERS.index(name))
                                              for name in ("reports", "open_reports", "overdue")}),
            (HotspotRollup, (e.cell_row, e.cell_col), {"reports": None})):
        grouped = select(*base, *keys, *[func.count() if value is None else func.sum(value)
                                         for value in sums.values()]).where(*where).group_by(*base, *keys)
        db.session.execute(insert(model).from_select(names + tuple(key.key for key in keys) + tuple(sums), grouped))
    _insert_squares(_within(HotspotRollup, pao_id, month, first))
    return len(stats)


def _insert_squares(where):
    """Sum each zoom's squares from the base cells just written (far fewer rows than the reports)."""
    for zoom, factor in enumerate(FACTORS):
        row, col = (cast(func.floor(column * 1.0 / factor), Integer)
                    for column in (HotspotRollup.cell_row, HotspotRollup.cell_col))
        squares = (select(HotspotRollup.pao_id, HotspotRollup.month, HotspotRollup.category_id,
                          literal(zoom, Integer), row, col, func.sum(HotspotRollup.reports))
                   .where(*where)
                   .group_by(HotspotRollup.pao_id, HotspotRollup.month, HotspotRollup.category_id, row, col))
        db.session.execute(insert(HotspotCell).from_select(
            ["pao_id", "month", "category_id", "zoom", "cell_row", "cell_col", "reports"], squares))
