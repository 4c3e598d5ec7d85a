"""Whose reports a figure covers (a PAO, a council member's own, every PAO) and the dashboard filters."""
from dataclasses import dataclass

from sqlalchemy import false

from app.categories.models import Category
from app.extensions import db
from app.oversight.periods import add_months, month_code, month_of, months_between, utc_start
from app.reports.models import Report
from app.security.access import oversight_reach
from app.security.params import month_arg
from app.stations.models import Pao, Station

MAX_MONTHS = 36
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Scope:
    """The reports figures may be drawn from: one PAO's, one member's own (pao set too), or all (pao None)."""

    pao: object = None
    member_id: int | None = None

    @property
    def is_member(self):
        return self.member_id is not None

    def clauses(self):
        """Return the SQL conditions on Report for this scope."""
        clauses = []
        if self.pao is not None:
            clauses.append(Report.pao_id == self.pao.id)
        if self.member_id is not None:
            clauses.append(Report.filed_by_id == self.member_id)
        return clauses


def oversight_scope(user, pao_code=None):
    """Return the scope a user may see (coordinators their PAO, members their own reports, admins any PAO),
    or None when the user sees no figures; raise LookupError for an unknown PAO code."""
    reach = oversight_reach(user)
    if reach is None:
        return None
    if not reach.any_pao:
        return Scope(pao=user.pao, member_id=reach.member_id)
    if not pao_code:
        return Scope()
    pao = db.session.scalar(db.select(Pao).where(Pao.code == pao_code))
    if pao is None:
        raise LookupError(pao_code)
    return Scope(pao=pao)


def nothing():
    """Return a SQL condition no report meets (a filter naming something unknown matches nothing)."""
    return false()


@dataclass(frozen=True)
class Filters:
    """A checked period of whole months, and optionally one category (with its sub-categories) and station."""

    first: object  # date: first day of the first month
    last: object  # date: first day of the last month
    category: object = None  # Category
    station: object = None  # Station

    @classmethod
    def from_args(cls, args, today):
        """Build filters from ?from=YYYY-MM&to=YYYY-MM&category=code&station=code; unknown values are dropped."""
        last = month_arg(args, "to") or month_of(today)
        first = month_arg(args, "from") or add_months(last, -(DEFAULT_MONTHS - 1))
        if first > last:
            first, last = last, first
        first = max(first, add_months(last, -(MAX_MONTHS - 1)))
        category = station = None
        if args.get("category"):
            category = db.session.scalar(db.select(Category).where(Category.code == args.get("category")))
        if args.get("station"):
            station = db.session.scalar(db.select(Station).where(Station.code == args.get("station")))
        return cls(first, last, category, station)

    @classmethod
    def for_month(cls, month, **kwargs):
        """Return filters covering exactly one month."""
        return cls(month, month, **kwargs)

    @property
    def months(self):
        return months_between(self.first, self.last)

    @property
    def start_utc(self):
        return utc_start(self.first)

    @property
    def end_utc(self):
        return utc_start(add_months(self.last, 1))

    def category_ids(self):
        """Return the ids of the chosen category and its sub-categories, or None when not filtered."""
        if self.category is None:
            return None
        return [self.category.id] + [c.id for c in self.category.children]

    def clauses(self):
        """Return the SQL conditions on Report for the period, category and station."""
        clauses = [Report.created_at >= self.start_utc, Report.created_at < self.end_utc]
        if self.category is not None:
            clauses.append(Report.category_id.in_(self.category_ids()))
        if self.station is not None:
            clauses.append(Report.station_id == self.station.id)
        return clauses

    def as_args(self):
        """Return the filters as query-string arguments for links (exports, the summary, the map)."""
        args = {"from": month_code(self.first), "to": month_code(self.last)}
        if self.category is not None:
            args["category"] = self.category.code
        if self.station is not None:
            args["station"] = self.station.code
        return args
