"""Read-only look-ups of the JSON API, always inside the caller's report scope."""
import re

from sqlalchemy.orm import joinedload, selectinload

from app.api.errors import ApiError
from app.categories.models import Category
from app.extensions import db
from app.reports.models import OPEN_STATUSES, Report, ReportStatus
from app.reports.queries import report_scope
from app.security.params import bounded_int
from app.stations.models import Station

MAX_LIMIT, DEFAULT_LIMIT = 100, 25
STATUS_FILTERS = ("open", "closed", *(s.value for s in ReportStatus))


def find_report(user, reference):
    """Return the report with this reference the user may see, or raise not_found."""
    report = db.session.scalars(db.select(Report).where(Report.reference_number == (reference or "")[:40],
                                                        report_scope(user)).limit(1)).first()
    if report is None:
        raise ApiError("not_found")
    return report


# Pages are keyed by id, newest first: the cursor is the id the next page starts below. Every value
# the document allows (digits) is a cursor, so a client can neither forge a wrong one nor see an error.
CURSOR_PATTERN = r"^[0-9]{1,19}$"


def encode_cursor(report_id):
    """Return the cursor of the page after this report."""
    return str(report_id)


def decode_cursor(cursor):
    """Return the report id a cursor points after, or raise invalid_cursor."""
    try:
        if not re.match(CURSOR_PATTERN, cursor):
            raise ValueError(cursor)
        return bounded_int(cursor)
    except (ValueError, TypeError):
        raise ApiError("invalid_cursor", fields={"cursor": {"message": "Not a cursor of this API.",
                                                             "message_th": "ไม่ใช่ cursor ของ API นี้"}}) from None


def report_page(user, *, cursor=None, limit=DEFAULT_LIMIT, status=None, category=None):
    """Return (reports, next_cursor): newest first, keyset-paged by id so a walk never repeats a report."""
    query = (db.select(Report).where(report_scope(user)).order_by(Report.id.desc())
             .options(joinedload(Report.category).joinedload(Category.parent), joinedload(Report.station),
                      joinedload(Report.pao), selectinload(Report.photos)))
    if cursor is not None:
        query = query.where(Report.id < decode_cursor(cursor))
    if status == "open":
        query = query.where(Report.status.in_(OPEN_STATUSES))
    elif status == "closed":
        query = query.where(Report.status.notin_(OPEN_STATUSES))
    elif status:
        query = query.where(Report.status == ReportStatus(status))
    if category:
        codes = db.select(Category.id).where((Category.code == category)
                                             | Category.parent.has(Category.code == category))
        query = query.where(Report.category_id.in_(codes))
    rows = db.session.scalars(query.limit(limit + 1)).unique().all()
    if len(rows) > limit:
        return rows[:limit], encode_cursor(rows[limit - 1].id)
    return rows, None


def category_tree():
    """Return [(top-level category, [active sub-categories])] in display order."""
    categories = db.session.scalars(db.select(Category).where(Category.active.is_(True))
                                    .order_by(Category.sort_order, Category.id)).all()
    tops = [c for c in categories if c.parent_id is None]
    return [(top, [c for c in categories if c.parent_id == top.id]) for top in tops]


def active_stations():
    """Return the active stations, by code."""
    return db.session.scalars(db.select(Station).where(Station.active.is_(True)).order_by(Station.code)).all()
