"""Was it fixed? Satisfaction and "not resolved" rates per station and category, only where k answers exist.

Definitions (the dashboard says the same): an answer is one "was it fixed?" by the resident or the council
member after an outcome (app/reports/resident.py); it counts for the station that recorded the outcome and
the report's category, in the Bangkok month the report was filed (as every other figure). Not resolved =
answers "no" / answers; satisfaction = the mean of the 1-5 ratings given. A group with fewer than
FEEDBACK_MIN_ANSWERS (default 5) answers shows no figure, so a single resident's answer cannot be read back.
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, func

from app.categories.models import Category
from app.extensions import db
from app.reports.models import Report, ReportFeedback
from app.stations.models import Station


def min_answers():
    """Return k: the fewest answers a satisfaction figure is shown for."""
    return max(1, int(current_app.config.get("FEEDBACK_MIN_ANSWERS", 5)))


@dataclass(frozen=True)
class Satisfaction:
    """The answers of one group; the rates are None below k, so templates cannot show them by mistake."""

    answers: int
    not_resolved: int
    ratings: int
    rating_sum: int
    k: int

    @property
    def shown(self):
        return self.answers >= self.k

    @property
    def not_resolved_rate(self):
        return self.not_resolved / self.answers if self.shown else None

    @property
    def mean_rating(self):
        return self.rating_sum / self.ratings if self.shown and self.ratings else None


@dataclass
class SatisfactionData:
    total: Satisfaction
    by_station: list  # [(station or None, Satisfaction)], most answers first
    by_category: list  # [(top-level category, Satisfaction)], in category order
    k: int


def satisfaction_data(scope, filters):
    """Return the "was it fixed?" figures of a scope and filters (oversight.scope), suppressed below k."""
    k = min_answers()
    columns = (func.count(ReportFeedback.id), func.sum(case((ReportFeedback.resolved.is_(False), 1), else_=0)),
               func.count(ReportFeedback.rating), func.coalesce(func.sum(ReportFeedback.rating), 0))
    base = (db.select(ReportFeedback.station_id, Report.category_id, *columns)
            .join(Report, ReportFeedback.report_id == Report.id)
            .where(*scope.clauses(), *_feedback_clauses(filters))
            .group_by(ReportFeedback.station_id, Report.category_id))
    rows = db.session.execute(base).all()
    categories = {c.id: c for c in db.session.scalars(db.select(Category))}
    stations, tops, total = {}, {}, [0, 0, 0, 0]
    for station_id, category_id, *values in rows:
        category = categories[category_id]
        top = category.parent or category
        for bucket in (stations.setdefault(station_id, [0, 0, 0, 0]), tops.setdefault(top.id, [0, 0, 0, 0]), total):
            for i, value in enumerate(values):
                bucket[i] += int(value or 0)
    loaded = {s.id: s for s in db.session.scalars(db.select(Station).where(Station.id.in_(
        [sid for sid in stations if sid is not None])))}
    by_station = sorted(((loaded.get(sid), Satisfaction(*v, k)) for sid, v in stations.items()),
                        key=lambda item: -item[1].answers)
    by_category = sorted(((categories[cid], Satisfaction(*v, k)) for cid, v in tops.items()),
                         key=lambda item: (item[0].sort_order, item[0].code))
    return SatisfactionData(Satisfaction(*total, k), by_station, by_category, k)


def _feedback_clauses(filters):
    # The report's period and category, but the station that answered for the outcome.
    clauses = [Report.created_at >= filters.start_utc, Report.created_at < filters.end_utc]
    if filters.category is not None:
        clauses.append(Report.category_id.in_(filters.category_ids()))
    if filters.station is not None:
        clauses.append(ReportFeedback.station_id == filters.station.id)
    return clauses
