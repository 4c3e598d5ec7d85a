"""Figures as numeric tables: one row per (month, station, category, amphoe), summed along any of them.

Rows come from the rollups (coordinators, admins; amphoe None, with the amphoe counts apart) or from
the reports directly (a council member's own reports, and tests); both hold the same columns.
"""
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select

from app.extensions import db
from app.oversight import histogram
from app.oversight.facts import as_vector, group_facts, iter_facts
from app.oversight.models import COUNTERS, AmphoeRollup, MemberRollup, StatsRollup

COL = {name: n for n, name in enumerate(COUNTERS)}
ACK = len(COUNTERS)  # a row: the counters, then both histograms, exactly as rollups pack them
ACT = ACK + histogram.SIZE
WIDTH = ACT + histogram.SIZE
DTYPE = np.int32  # counts stay far below 2**31; half the memory of int64 makes the sums faster
MONTH, STATION, CATEGORY, AMPHOE = range(4)  # positions in a row's key


@dataclass
class Table:
    keys: list  # (month, station_id, category_id, amphoe_code) per row
    values: np.ndarray  # shape (len(keys), WIDTH)

    def __add__(self, other):
        return Table(self.keys + other.keys, np.vstack([self.values, other.values]))

    def total(self):
        """Return the sum of every row."""
        return self.values.sum(axis=0)

    def sum_by(self, position):
        """Return {key value: summed row} along one key position (MONTH, STATION, CATEGORY or AMPHOE)."""
        if not self.keys:
            return {}
        labels, index = {}, []
        for key in self.keys:
            index.append(labels.setdefault(key[position], len(labels)))
        index = np.asarray(index)
        order = np.argsort(index, kind="stable")
        ordered = index[order]
        starts = np.concatenate(([0], np.flatnonzero(np.diff(ordered)) + 1))
        sums = np.add.reduceat(self.values[order], starts, axis=0)
        names = {i: label for label, i in labels.items()}
        return {names[int(ordered[s])]: sums[n] for n, s in enumerate(starts)}


def _empty():
    return Table([], np.zeros((0, WIDTH), dtype=DTYPE))


def rollup_table(scope, filters):
    """Return the rollup rows of the scope's PAO (all PAOs when none) for the filters."""
    query = rollup_filter(StatsRollup, select(StatsRollup.month, StatsRollup.station_id,
                                                      StatsRollup.category_id, StatsRollup.packed), scope, filters)
    # Core, not the ORM: a year is thousands of rows and ORM row handling doubled the time.
    rows = db.session.connection().execute(query).all()
    if not rows:
        return _empty()
    values = np.zeros((len(rows), WIDTH), dtype=DTYPE)
    values[:, :WIDTH] = histogram.unpack_all([row[3] for row in rows], WIDTH)
    return Table([(row[0], row[1], row[2], None) for row in rows], values)


def member_table(scope, filters):
    """Return the rollup rows of one member's own reports for the filters (amphoe in the key)."""
    m = MemberRollup
    query = rollup_filter(m, select(m.month, m.station_id, m.category_id, m.amphoe_code, m.flags, m.ack_bucket,
                                    m.act_bucket, m.reports), scope, filters)
    rows = db.session.connection().execute(query.where(m.member_id == scope.member_id)).all()
    if not rows:
        return _empty()
    flags, ack, act, counts = (np.array([row[n] if row[n] is not None else -1 for row in rows], dtype=np.int64)
                               for n in (4, 5, 6, 7))
    values = np.zeros((len(rows), WIDTH), dtype=DTYPE)
    # a row counts `reports` reports, each with the counters its flags set and one duration per bucket
    values[:, :ACK] = (flags[:, None] >> np.arange(ACK) & 1) * counts[:, None]
    for offset, buckets in ((ACK, ack), (ACT, act)):
        has = np.flatnonzero(buckets >= 0)
        values[has, offset + buckets[has]] = counts[has]
    return Table([tuple(row[:4]) for row in rows], values)


def amphoe_table(scope, filters):
    """Return the report counts per amphoe from the amphoe rollups (other keys None)."""
    names = ("reports", "open_reports", "overdue")
    query = rollup_filter(AmphoeRollup, select(AmphoeRollup.amphoe_code, *[
        func.sum(getattr(AmphoeRollup, name)) for name in names]), scope, filters)
    rows = db.session.connection().execute(query.group_by(AmphoeRollup.amphoe_code)).all()
    values = np.zeros((len(rows), WIDTH), dtype=DTYPE)
    for n, row in enumerate(rows):
        for name, value in zip(names, row[1:], strict=True):
            values[n, COL[name]] = value
    return Table([(None, None, None, row[0]) for row in rows], values)


def rollup_filter(model, query, scope, filters):
    """Restrict a query on a rollup model to the scope's PAO and the filters' months, category and station."""
    query = query.where(model.month >= filters.first, model.month <= filters.last)
    if scope.pao is not None:
        query = query.where(model.pao_id == scope.pao.id)
    if filters.category is not None:
        query = query.where(model.category_id.in_(filters.category_ids()))
    if filters.station is not None:
        query = query.where(model.station_id == filters.station.id)
    return query


def direct_table(scope, filters, now):
    """Return rows computed from the reports themselves at `now` (the figures rollups built then would hold)."""
    groups = group_facts(iter_facts(*scope.clauses(), *filters.clauses()), now)
    if not groups:
        return _empty()
    keys, values = [], np.zeros((len(groups), WIDTH), dtype=DTYPE)
    for n, ((_pao, month, station_id, category_id, amphoe_code), counts) in enumerate(groups.items()):
        keys.append((month, station_id, category_id, amphoe_code))
        values[n, :WIDTH] = as_vector(counts)
    return Table(keys, values)


class Figures:
    """The figures of one summed row: counts, percentiles (seconds) and shares (0..1, None without data)."""

    def __init__(self, vector):
        self.vector = vector

    def _count(self, name):
        return int(self.vector[COL[name]])

    def _share(self, part, whole):
        return part / whole if whole else None

    @property
    def ack_hist(self):
        return self.vector[ACK:ACT].tolist()

    @property
    def act_hist(self):
        return self.vector[ACT:WIDTH].tolist()

    @property
    def ack_median(self):
        return histogram.percentile(self.ack_hist, 0.5)

    @property
    def ack_p90(self):
        return histogram.percentile(self.ack_hist, 0.9)

    @property
    def act_median(self):
        return histogram.percentile(self.act_hist, 0.5)

    @property
    def act_p90(self):
        return histogram.percentile(self.act_hist, 0.9)

    @property
    def ack_sla(self):
        met = self._count("ack_met")
        return self._share(met, met + self._count("ack_late") + self._count("ack_missed"))

    @property
    def act_sla(self):
        met = self._count("act_met")
        return self._share(met, met + self._count("act_late") + self._count("act_missed"))

    @property
    def transfer_rate(self):
        return self._share(self._count("transferred"), self._count("reports"))

    @property
    def reopen_rate(self):
        return self._share(self._count("reopened"), self._count("reports"))


for _name in COUNTERS:
    setattr(Figures, _name, property(lambda self, _n=_name: self._count(_n)))


def zero_figures():
    """Return figures of nothing (a month or station without reports)."""
    return Figures(np.zeros(WIDTH, dtype=DTYPE))
