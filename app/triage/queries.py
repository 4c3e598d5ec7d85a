"""Read-only queue queries: the station queue (keyset pages), counts per status and map points.

The queue's order is overdue first, then priority (urgent > high > normal > low), then age (oldest
first), with the id as the tie-break. A page cursor carries that sort key of the last row plus the
"now" the first page was computed at, so every page of one walk agrees on what was overdue.

A page costs what it shows, however long the station's backlog: "overdue" depends on the clock, so no
index can sort the whole queue. The queue is cut into segments (overdue or not × status × priority), each
already in created_at order in ix_reports_triage_queue; each segment gives at most a page from the index,
and the page is the first rows of their union. The not-overdue segments are read only when the overdue
ones do not fill the page, so their scans skip fewer than a page of overdue rows.
"""
import base64
import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, literal, tuple_, union_all
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import replacement_traverse

from app.categories.models import PRIORITY_RANK, Category, Priority
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import OPEN_STATUSES, SLA_STATUSES, Report, ReportStatus
from app.reports.queries import report_scope
from app.security.params import bounded_int, choice_arg, in_range, int_arg
from app.triage.sla import due_today_clause, overdue_clause, overdue_rank

PAGE_SIZE = 25
MAP_LIMIT = 500
STATUS_CHOICES = ("open", "all", *(s.value for s in ReportStatus))
DUE_CHOICES = ("all", "overdue", "today")


class BadCursor(ValueError):
    """A page cursor that was not made by this code."""


@dataclass(frozen=True)
class QueueFilters:
    """What the desk narrowed the queue to; every value is already checked."""

    status: str = "open"
    category_id: int | None = None
    priority: str | None = None
    due: str = "all"
    assigned: str = ""  # "", "mine", "unassigned" or an officer's id
    q: str = ""

    @classmethod
    def from_args(cls, args):
        """Build filters from query-string arguments, dropping anything unknown."""
        assigned = args.get("assigned", "")
        return cls(
            status=choice_arg(args, "status", STATUS_CHOICES, "open"),
            category_id=int_arg(args, "category"),
            priority=choice_arg(args, "priority", {p.value for p in Priority}),
            due=choice_arg(args, "due", DUE_CHOICES, "all"),
            assigned=assigned if assigned in ("mine", "unassigned") or int_arg(args, "assigned") is not None else "",
            q=" ".join((args.get("q") or "").split())[:100])

    def as_args(self):
        """Return the filters as query-string arguments (defaults left out), for links and cursors."""
        values = {"status": self.status if self.status != "open" else None, "category": self.category_id,
                  "priority": self.priority, "due": self.due if self.due != "all" else None,
                  "assigned": self.assigned or None, "q": self.q or None}
        return {key: value for key, value in values.items() if value is not None}


@dataclass
class QueuePage:
    """One page of the queue: (report, overdue) rows, the cursor of the next page, and the "now" judged at."""

    rows: list  # (report, overdue) pairs
    next_cursor: str | None
    now: datetime
    filters: QueueFilters = field(default_factory=QueueFilters)


def _statuses(filters):
    if filters.status == "open":
        return OPEN_STATUSES
    return frozenset(ReportStatus) if filters.status == "all" else frozenset({ReportStatus(filters.status)})


def _filter_clauses(user, filters, now):
    """Return the SQL conditions of the filters but status and priority, which choose the segments."""
    clauses = []
    if filters.category_id:
        clauses.append(Report.category_id.in_(db.select(Category.id).where(
            db.or_(Category.id == filters.category_id, Category.parent_id == filters.category_id))))
    if filters.due == "overdue":
        clauses.append(overdue_clause(_NOW))
    elif filters.due == "today":
        clauses.append(due_today_clause(now))
    if filters.assigned == "mine":
        clauses.append(Report.assigned_to_id == user.id)
    elif filters.assigned == "unassigned":
        clauses.append(Report.assigned_to_id.is_(None))
    elif filters.assigned:
        clauses.append(Report.assigned_to_id == int(filters.assigned))
    if filters.q:
        clauses.append(_search(filters.q))
    return clauses


def _search(text):
    # A reference number is matched from its start; anything else is looked for in the narrative.
    if re.fullmatch(r"[A-Za-z]{2,8}-[0-9-]*", text):
        return Report.reference_number.istartswith(text.upper(), autoescape=True)
    return db.or_(Report.reference_number.istartswith(text.upper(), autoescape=True),
                  Report.narrative.icontains(text, autoescape=True))


def queue_page(user, filters=None, *, cursor=None, now=None, size=PAGE_SIZE):
    """Return one page of the user's station queue after `cursor` (None: the first page).

    Two steps: the sort keys of the page come from the covering index ix_reports_triage_queue alone,
    a page per segment at most (see the module's text), then only the page's rows load.
    """
    filters = filters or QueueFilters()
    key = decode_cursor(cursor) if cursor else None
    now = key[0] if key else (now or utcnow())
    where = [report_scope(user), *_filter_clauses(user, filters, now)]
    keys = _segment_keys(1, where, filters, now, key, size + 1)
    if len(keys) <= size and filters.due != "overdue":
        keys += _segment_keys(0, where, filters, now, key, size + 1 - len(keys))
    more = len(keys) > size
    keys = keys[:size]
    reports = {report.id: report for report in db.session.scalars(
        db.select(Report).where(Report.id.in_([row.id for row in keys]))
        .options(joinedload(Report.category), joinedload(Report.assigned_to)))} if keys else {}
    next_cursor = encode_cursor(now, keys[-1]) if more else None
    return QueuePage([(reports[row.id], bool(row[1])) for row in keys], next_cursor, now, filters)


# The page's clock, cursor and size are parameters of the segments' statement, so one statement serves every
# page of the same shape (see _segment_keys).
_NOW = db.bindparam("now", type_=db.DateTime())
_LIMIT = db.bindparam("limit", type_=db.Integer())
_LAST_CREATED = db.bindparam("last_created", type_=db.DateTime())
_LAST_ID = db.bindparam("last_id", type_=db.Integer())
_OWN_PARAMETERS = {"now", "limit", "last_created", "last_id"}
_SEGMENTS = {}  # shape -> statement (None: no segment to read)
_UNBUILT = object()
# Shapes kept per process; past that the cache starts again. A statement holds about 0.4 MB with its cache
# key, and a desk's usual pages are a handful of shapes, whatever its station.
SEGMENTS_KEPT = 64


def _segment_keys(overdue, where, filters, now, key, limit):
    """Return up to `limit` sort keys (id, overdue, rank, created_at) of the overdue (1) or other (0)
    segments after the cursor `key`, in queue order.

    Building the union of twenty-odd segments cost more than running it (about 3.5 of 5 ms), and desks ask
    the same few shapes again and again: the statement is kept per shape (the segments, the cursor's
    segment, the form of the scope and filters), and every value is a parameter: the clock, the cursor, the
    size, and the values in the scope and filters (so every station's desks share one statement).
    """
    statuses = _statuses(filters) & SLA_STATUSES if overdue else _statuses(filters)
    priorities = (Priority(filters.priority),) if filters.priority else tuple(Priority)
    where, params = _as_parameters(where)
    where_key = _form_key(where)
    shape = (overdue, statuses, priorities, key[1:3] if key else None, where_key)
    statement = _SEGMENTS.get(shape, _UNBUILT) if where_key is not None else _UNBUILT
    if statement is _UNBUILT:
        statement = _segments_statement(overdue, statuses, priorities, where, key)
        if where_key is not None:
            if len(_SEGMENTS) >= SEGMENTS_KEPT:
                _SEGMENTS.clear()
            _SEGMENTS[shape] = statement
    if statement is None:
        return []
    params.update(now=now, limit=limit)
    if key:
        params.update(last_created=key[3], last_id=key[4])
    return db.session.execute(statement, params).all()


def _segments_statement(overdue, statuses, priorities, where, key):
    """Return the union of the segments' first rows in queue order, or None when no segment is left."""
    parts = []
    for status in sorted(statuses):
        for priority in priorities:
            rank = PRIORITY_RANK[priority]
            after = _after(key, overdue, rank)
            if after is None:
                continue
            conditions = [*where, *after, Report.status == status, Report.priority == priority]
            if status in SLA_STATUSES:
                conditions.append(overdue_clause(_NOW) if overdue else overdue_rank(_NOW) == 0)
            parts.append(db.select(Report.id, literal(overdue).label("overdue"), literal(rank).label("rank"),
                                   Report.created_at).where(*conditions)
                         .order_by(Report.created_at, Report.id).limit(_LIMIT).subquery().select())
    if not parts:
        return None
    union = union_all(*parts).subquery()
    return db.select(union).order_by(union.c.rank.desc(), union.c.created_at, union.c.id).limit(_LIMIT)


def _as_parameters(clauses):
    """Return (copies of the clauses with each value they hold replaced by a parameter w0, w1, … in the
    order they are met, {parameter: value}): two clauses of the same form get the same names."""
    values = {}

    def replace(element):
        if not isinstance(element, BindParameter) or element.key in _OWN_PARAMETERS:
            return None
        name = f"w{len(values)}"
        values[name] = element.effective_value
        return db.bindparam(name, type_=element.type, expanding=element.expanding)

    return [replacement_traverse(clause, {}, replace) for clause in clauses], values


def _form_key(clauses):
    """Return a hashable key of the clauses' form (SQLAlchemy's own cache key, which holds no values), or
    None when a clause cannot be keyed."""
    keys = [clause._generate_cache_key() for clause in clauses]
    return None if any(key is None for key in keys) else tuple(key.key for key in keys)


def _after(key, overdue, rank):
    """Return the conditions that keep a segment's rows after the cursor: [] for a segment wholly after
    it, None for one wholly before it."""
    if key is None:
        return []
    _now, last_overdue, last_rank, _created, _id = key
    if (overdue, rank) > (last_overdue, last_rank):
        return None
    if (overdue, rank) < (last_overdue, last_rank):
        return []
    return [tuple_(Report.created_at, Report.id) > tuple_(_LAST_CREATED, _LAST_ID)]


def encode_cursor(now, row):
    """Return an opaque, URL-safe cursor for the (id, overdue, rank, created_at) row a page ended with."""
    report_id, overdue, rank, created_at = row
    data = [now.isoformat(), int(overdue), int(rank), created_at.isoformat(), report_id]
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """Return (now, overdue, rank, created_at, id) from a cursor, or raise BadCursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        now, overdue, rank, created, report_id = json.loads(raw)
        return (in_range(datetime.fromisoformat(now)), bounded_int(overdue, high=1), bounded_int(rank, high=3),
                in_range(datetime.fromisoformat(created)), bounded_int(report_id))
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise BadCursor(str(error)) from error


def status_counts(user):
    """Return {status: count} of the user's station queue, every status included."""
    counts = dict(db.session.execute(db.select(Report.status, func.count()).where(report_scope(user))
                                     .group_by(Report.status)).all())
    return {status: counts.get(status, 0) for status in ReportStatus}


def map_points(user, filters, now=None):
    """Return (report, overdue) pairs of the queue with their places, open reports only, queue order."""
    filters = filters if filters.status != "all" else replace(filters, status="open")
    page = queue_page(user, filters, now=now, size=MAP_LIMIT)
    return page.rows, page.next_cursor is not None


def category_choices():
    """Return the top-level categories and their sub-categories, for the filter."""
    return db.session.scalars(db.select(Category).order_by(Category.sort_order, Category.id)).all()
