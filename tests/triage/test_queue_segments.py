"""The queue read in segments (app/triage/queries.py) gives exactly the order a full sort gives.

Random reports (every status and priority, old and new, acknowledged or not) are walked page by page,
with and without filters, and compared with the queue order computed in Python from each report's own
deadlines: overdue first, then priority, then oldest, then id.
"""
import random
from datetime import timedelta

import pytest

from app.categories.models import PRIORITY_RANK, Priority
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import OPEN_STATUSES, ReportStatus
from app.triage.queries import QueueFilters, queue_page
from app.triage.sla import due_today, overdue_deadlines
from tests.triage.conftest import new_report


def walk(user, filters, size, now):
    rows, cursor = [], None
    while True:
        page = queue_page(user, filters, cursor=cursor, now=now, size=size)
        assert len(page.rows) <= size
        rows += [(report.id, overdue) for report, overdue in page.rows]
        if not page.next_cursor:
            return rows
        assert len(page.rows) == size
        cursor = page.next_cursor


def expected(reports, filters, now, user):
    def keep(report):
        if filters.status == "open" and report.status not in OPEN_STATUSES:
            return False
        if filters.status not in ("open", "all") and report.status != ReportStatus(filters.status):
            return False
        if filters.priority and report.priority != Priority(filters.priority):
            return False
        if filters.due == "overdue" and not overdue_deadlines(report, now):
            return False
        if filters.due == "today" and not due_today(report, now):
            return False
        return not (filters.assigned == "mine" and report.assigned_to_id != user.id)

    def key(report):
        return (-bool(overdue_deadlines(report, now)), -PRIORITY_RANK[report.priority], report.created_at, report.id)

    return [(r.id, bool(overdue_deadlines(r, now))) for r in sorted(filter(keep, reports), key=key)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_segments_walk_the_queue_in_full_sort_order(world, seed):
    rng = random.Random(seed)
    now = utcnow()
    base = now - timedelta(days=3)
    for _ in range(70):
        status = rng.choice(list(ReportStatus))
        created = base + timedelta(minutes=rng.choice([0, 60, 600]) * rng.randint(0, 7))  # ties on purpose
        new_report(filed_by=world.member, station=world.west, category=world.sub, status=status,
                   priority=rng.choice(list(Priority)), created_at=created,
                   acknowledged_at=now - timedelta(hours=1) if rng.random() < 0.4 else None,
                   assigned_to=world.desk if rng.random() < 0.3 else None)
    db.session.commit()
    reports = [r for r in db.session.scalars(db.select(type(world.report))) if r.station_id == world.west.id]
    for filters in (QueueFilters(), QueueFilters(status="all"), QueueFilters(status="acknowledged"),
                    QueueFilters(priority="urgent"), QueueFilters(due="overdue"), QueueFilters(due="today"),
                    QueueFilters(assigned="mine"), QueueFilters(status="all", priority="low")):
        want = expected(reports, filters, now, world.desk)
        for size in (1, 4, 25):
            assert walk(world.desk, filters, size, now) == want, (filters, size)


def test_a_long_overdue_backlog_still_gives_the_new_reports_after_it(world):
    """More overdue reports than a page: the page is all overdue, and the walk reaches the rest."""
    now = utcnow()
    old = [new_report(filed_by=world.member, station=world.west, category=world.sub,
                      created_at=now - timedelta(days=40, minutes=n)) for n in range(30)]
    fresh = new_report(filed_by=world.member, station=world.west, category=world.sub, priority=Priority.URGENT,
                       created_at=now - timedelta(minutes=5))
    db.session.commit()
    first = queue_page(world.desk, now=now, size=25)
    assert all(overdue for _report, overdue in first.rows) and first.next_cursor
    assert first.rows[0][0].id == old[-1].id  # the oldest overdue report leads
    walked = walk(world.desk, QueueFilters(), 25, now)
    assert walked[-2:] == [(fresh.id, False), (world.report.id, False)]


def test_the_same_page_shape_follows_the_clock(world):
    """A page asked again later (the same desk, filters and cursor shape) judges "overdue" at its own time."""
    now = utcnow()
    ids = lambda page: [(report.id, overdue) for report, overdue in page.rows]  # noqa: E731
    assert ids(queue_page(world.desk, now=now)) == [(world.report.id, False)]
    later = now + timedelta(hours=30)  # past the 24-hour acknowledgement deadline
    assert ids(queue_page(world.desk, now=later)) == [(world.report.id, True)]
    assert ids(queue_page(world.desk, QueueFilters(due="overdue"), now=now)) == []
    assert ids(queue_page(world.desk, QueueFilters(due="overdue"), now=later)) == [(world.report.id, True)]


def test_the_same_page_shape_keeps_each_desk_to_its_own_reports(world):
    """Desks of two stations, and two searches, asked in turn: each answer is its own."""
    east = new_report(filed_by=world.member, station=world.east, category=world.sub, narrative="Racing at the pier")
    db.session.commit()
    now = utcnow()
    for _ in range(2):
        assert [r.id for r, _ in queue_page(world.desk, now=now).rows] == [world.report.id]
        assert [r.id for r, _ in queue_page(world.east_desk, now=now).rows] == [east.id]
        assert queue_page(world.east_desk, QueueFilters(q="pier"), now=now).rows[0][0].id == east.id
        assert queue_page(world.east_desk, QueueFilters(q="school"), now=now).rows == []


def test_later_pages_start_after_their_own_cursor(world):
    """Two walks whose cursors stop in the same segment at different rows each go on from their own row."""
    now = utcnow()
    more = [new_report(filed_by=world.member, station=world.west, category=world.sub,
                       created_at=now - timedelta(hours=2, minutes=n)) for n in range(4)]
    db.session.commit()
    order = [r.id for r in sorted([*more, world.report], key=lambda r: (r.created_at, r.id))]
    first = queue_page(world.desk, now=now, size=1)
    second = queue_page(world.desk, now=now, size=2)
    assert [r.id for r, _ in queue_page(world.desk, cursor=first.next_cursor, size=1).rows] == order[1:2]
    assert [r.id for r, _ in queue_page(world.desk, cursor=second.next_cursor, size=2).rows] == order[2:4]


def test_desks_of_every_station_share_one_kept_statement(world):
    """The kept statements hold no station's values, so a server's memory does not grow with its stations."""
    from app.triage import queries

    queries._SEGMENTS.clear()
    queue_page(world.desk)
    kept = len(queries._SEGMENTS)
    for desk in (world.east_desk, world.coord_desk, world.desk2, world.commander):
        queue_page(desk)
    assert kept and len(queries._SEGMENTS) == kept
