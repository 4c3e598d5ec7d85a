"""Incremental rollup refresh: move only the changed reports' contributions between rollup rows.

Every report's contribution to the rollups is kept in `rollup_entries` (its rollup keys, its counters
as bits and its two duration buckets), written when its month is rebuilt. A refresh then reads the
changed reports' facts, subtracts each one's stored contribution from the rows it was counted in,
adds its new one to the rows it counts in now, and stores the new contribution: it touches only the
counters and squares those reports touch, whatever the size of the month. The result equals a
rebuild of the month at the same time (tests compare them), because a contribution changes only when
its report changes or one of its deadlines passes, and both put it in the changed set.
"""
import math

from sqlalchemy import delete, select

from app.extensions import db
from app.oversight import grid, histogram
from app.oversight.facts import count_facts, iter_facts, new_counts
from app.oversight.models import (
    COUNTERS,
    AmphoeRollup,
    HotspotCell,
    HotspotRollup,
    MemberRollup,
    RollupEntry,
    StatsRollup,
)
from app.oversight.tables import WIDTH  # a rollup row: the counters, then both histograms
from app.reports.models import Report

N = len(COUNTERS)
AMPHOE_COUNTERS = [COUNTERS.index(name) for name in ("reports", "open_reports", "overdue")]
BATCH = 1000


def entry_of(facts, now):
    """Return the rollup_entries row of one report's facts judged at `now`."""
    counts = new_counts()
    count_facts(counts, facts, now)
    ack, act = facts.ack_seconds, facts.act_seconds
    return {"report_id": facts.id, "pao_id": facts.pao_id, "month": facts.month, "station_id": facts.station_id,
            "category_id": facts.category_id, "amphoe_code": facts.amphoe_code, "member_id": facts.filed_by_id,
            "cell_row": math.floor(facts.lat * grid.CELLS_PER_DEGREE + 1e-9),
            "cell_col": math.floor(facts.lon * grid.CELLS_PER_DEGREE + 1e-9),
            "flags": sum(1 << n for n, name in enumerate(COUNTERS) if counts[name]),
            "ack_bucket": None if ack is None else histogram.bucket_of(ack),
            "act_bucket": None if act is None else histogram.bucket_of(act)}


def vector_of(entry, sign=1):
    """Return an entry's contribution as a full rollup vector (times `sign`)."""
    vector = [sign if entry["flags"] >> n & 1 else 0 for n in range(N)] + [0] * (2 * histogram.SIZE)
    if entry["ack_bucket"] is not None:
        vector[N + entry["ack_bucket"]] += sign
    if entry["act_bucket"] is not None:
        vector[N + histogram.SIZE + entry["act_bucket"]] += sign
    return vector


def _keys(entry):
    base = (entry["pao_id"], entry["month"], entry["station_id"], entry["category_id"])
    return {StatsRollup: base, AmphoeRollup: base + (entry["amphoe_code"],),
            MemberRollup: base + (entry["amphoe_code"], entry["member_id"], entry["flags"], entry["ack_bucket"],
                                  entry["act_bucket"]),
            HotspotRollup: base + (entry["cell_row"], entry["cell_col"])}


KEY_COLUMNS = {StatsRollup: ("pao_id", "month", "station_id", "category_id"),
               AmphoeRollup: ("pao_id", "month", "station_id", "category_id", "amphoe_code"),
               MemberRollup: ("pao_id", "month", "station_id", "category_id", "amphoe_code", "member_id", "flags",
                              "ack_bucket", "act_bucket"),
               HotspotRollup: ("pao_id", "month", "station_id", "category_id", "cell_row", "cell_col"),
               HotspotCell: ("pao_id", "month", "category_id", "zoom", "cell_row", "cell_col")}


def _collect(deltas, entry, sign):
    vector = vector_of(entry, sign)
    for model, key in _keys(entry).items():
        total = deltas.setdefault(model, {}).setdefault(key, [0] * WIDTH)
        total[:] = [a + b for a, b in zip(total, vector, strict=True)]
    # A report's square and category never change: only a new report (or a removed one) moves a square.
    for zoom in range(grid.FINEST + 1):
        square = grid.coarsen((entry["cell_row"], entry["cell_col"]), zoom)
        key = (entry["pao_id"], entry["month"], entry["category_id"], zoom) + square
        total = deltas.setdefault(HotspotCell, {}).setdefault(key, [0] * WIDTH)
        total[0] += sign


def _apply(model, key, vector, now):
    """Add a delta vector to the row of one key, creating it, or removing it when it counts no report."""
    if not any(vector):
        return
    columns = KEY_COLUMNS[model]
    # Plain equality (not IS NOT DISTINCT FROM) so PostgreSQL can use the index on the key.
    row = db.session.scalar(select(model).where(*[getattr(model, name).is_(None) if value is None
                                                  else getattr(model, name) == value
                                                  for name, value in zip(columns, key, strict=True)]))
    if row is None:
        row = model(**dict(zip(columns, key, strict=True)))
        db.session.add(row)
        current = [0] * WIDTH
    elif model is StatsRollup:
        current = list(histogram.unpack_all([row.packed], WIDTH)[0])
    else:
        current = [row.reports or 0] + [0] * (WIDTH - 1)
        if model is AmphoeRollup:
            current = [0] * WIDTH
            for n, name in zip(AMPHOE_COUNTERS, ("reports", "open_reports", "overdue"), strict=True):
                current[n] = getattr(row, name) or 0
    total = [int(a) + b for a, b in zip(current, vector, strict=True)]
    if total[0] <= 0:  # counts no report any more
        if row in db.session.new:
            db.session.expunge(row)
        else:
            db.session.delete(row)
        return
    if model is StatsRollup:
        row.packed = histogram.pack(total)
        for n, name in enumerate(COUNTERS):
            setattr(row, name, total[n])
        row.computed_at = now
    elif model is AmphoeRollup:
        for n, name in zip(AMPHOE_COUNTERS, ("reports", "open_reports", "overdue"), strict=True):
            setattr(row, name, total[n])
    else:  # a count of reports (a member row counts those sharing its counters and buckets)
        row.reports = total[0]


def apply_changes(report_ids, now):
    """Move the contributions of the given reports to what they are at `now`; return the (PAO, month)
    pairs whose figures changed."""
    report_ids = sorted(set(report_ids))
    changed = set()
    for start in range(0, len(report_ids), BATCH):
        batch = report_ids[start:start + BATCH]
        old = {row.report_id: {c.name: getattr(row, c.name) for c in RollupEntry.__table__.columns}
               for row in db.session.scalars(select(RollupEntry).where(RollupEntry.report_id.in_(batch)))}
        new = {facts.id: entry_of(facts, now) for facts in iter_facts(Report.id.in_(batch))}
        deltas = {}
        for report_id in batch:
            before, after = old.get(report_id), new.get(report_id)
            if before == after:
                continue
            changed.update((e["pao_id"], e["month"]) for e in (before, after) if e is not None)
            if before is not None:
                _collect(deltas, before, -1)
            if after is not None:
                _collect(deltas, after, 1)
        for model, by_key in deltas.items():
            for key, vector in by_key.items():
                _apply(model, key, vector, now)
        db.session.flush()
        db.session.execute(delete(RollupEntry).where(RollupEntry.report_id.in_(batch)))
        if new:
            db.session.execute(RollupEntry.__table__.insert(), list(new.values()))
    return changed
