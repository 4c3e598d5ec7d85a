"""The station queue: order, filters, keyset pages, counts per status, the map data, scoping."""
import re
from datetime import timedelta

from app.categories.models import Priority
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import ReportStatus
from app.triage.queries import QueueFilters, decode_cursor, queue_page, status_counts
from tests.triage.conftest import new_report
from tests.triage.helpers import signed_in


def ids(page):
    return [report.id for report, _overdue in page.rows]


def make(world, hours_ago, priority=Priority.NORMAL, station=None, **fields):
    fields.setdefault("created_at", utcnow() - timedelta(hours=hours_ago))
    return new_report(filed_by=world.member, station=station or world.west, category=world.sub, priority=priority,
                      **fields)


def test_overdue_first_then_priority_then_oldest(world):
    old_normal = make(world, 10)
    urgent = make(world, 2, Priority.URGENT)
    high = make(world, 5, Priority.HIGH)
    overdue_low = make(world, 30, Priority.LOW)  # 24 h acknowledge-by has passed
    overdue_urgent = make(world, 25, Priority.URGENT)
    make(world, 1, status=ReportStatus.CLOSED)
    make(world, 50, Priority.URGENT, station=world.east)
    db.session.commit()
    page = queue_page(world.desk)
    assert ids(page) == [overdue_urgent.id, overdue_low.id, urgent.id, high.id, old_normal.id, world.report.id]
    assert [overdue for _r, overdue in page.rows] == [True, True, False, False, False, False]


def test_keyset_pages_walk_every_row_once_in_order(world):
    created = utcnow() - timedelta(hours=3)
    for n in range(8):  # equal sort keys: the id breaks the tie
        make(world, 3, Priority.HIGH if n % 3 == 0 else Priority.NORMAL, created_at=created)
    db.session.commit()
    everything = ids(queue_page(world.desk, size=100))
    walked, cursor, pages = [], None, 0
    while True:
        page = queue_page(world.desk, cursor=cursor, size=3)
        walked += ids(page)
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
        assert decode_cursor(cursor)[0] == page.now  # one walk keeps one "now"
    assert walked == everything and len(walked) == 9 and pages == 3


def test_filters(world):
    mine = make(world, 4, Priority.HIGH, assigned_to=world.desk)
    other_category = new_report(filed_by=world.member, station=world.west, category=world.category,
                                narrative="Loud music and a brawl at the karaoke bar")
    acknowledged = make(world, 6, status=ReportStatus.ACKNOWLEDGED, acknowledged_at=utcnow())
    closed = make(world, 7, status=ReportStatus.CLOSED)
    overdue = make(world, 40)
    db.session.commit()

    def run(**args):
        return set(ids(queue_page(world.desk, QueueFilters(**args))))

    assert run() == {world.report.id, mine.id, other_category.id, acknowledged.id, overdue.id}
    assert run(status="closed") == {closed.id}
    assert closed.id in run(status="all")
    assert run(status="acknowledged") == {acknowledged.id}
    assert run(category_id=world.sub.id) == {world.report.id, mine.id, acknowledged.id, overdue.id}
    assert other_category.id in run(category_id=world.category.id)  # a main category includes its own
    assert run(priority="high") == {mine.id}
    assert run(due="overdue") == {overdue.id}
    assert run(assigned="mine") == {mine.id}
    assert mine.id not in run(assigned="unassigned")
    assert run(assigned=str(world.desk.id)) == {mine.id}
    assert run(q="karaoke") == {other_category.id}
    assert run(q=mine.reference_number) == {mine.id}
    assert run(q=mine.reference_number.lower()[:-2]) >= {mine.id}
    assert run(q="100%_") == set()  # wildcards are searched for, not obeyed


def test_filters_from_the_query_string_drop_nonsense():
    from werkzeug.datastructures import MultiDict

    filters = QueueFilters.from_args(MultiDict({"status": "bogus", "priority": "meh", "due": "x", "assigned": "a;b",
                                                "category": "x", "q": "  two   words  "}))
    assert filters == QueueFilters(q="two words")
    assert QueueFilters(status="closed", due="today").as_args() == {"status": "closed", "due": "today"}


def test_counts_per_status_are_the_stations_only(world):
    make(world, 2, status=ReportStatus.CLOSED)
    make(world, 2, status=ReportStatus.CLOSED)
    make(world, 2, station=world.east)
    db.session.commit()
    counts = status_counts(world.desk)
    assert counts[ReportStatus.NEW] == 1 and counts[ReportStatus.CLOSED] == 2 and set(counts) == set(ReportStatus)


def test_queue_page_on_a_desk_screen_and_a_phone(app, world):
    overdue = make(world, 40, Priority.URGENT)
    make(world, 2, station=world.east, narrative="East only")
    db.session.commit()
    client = signed_in(app, world.desk)
    page = client.get("/triage/?lang=en").get_data(as_text=True)
    assert page.index(overdue.reference_number) < page.index(world.report.reference_number)
    assert "Overdue" in page and "East only" not in page
    assert "089-123-4567" in page  # the routed station's police read the narrative unmasked
    assert "<script>" not in page and " style=" not in page and "onclick" not in page
    assert re.findall(r'data-report-id="(\d+)"', page) == [str(overdue.id), str(world.report.id)]
    # a page after the last one, and a broken cursor, still answer
    assert client.get("/triage/?after=not-a-cursor").status_code == 200
    for role in (world.member, world.coordinator):
        assert signed_in(app, role).get("/triage/").status_code == 403


def test_next_page_link_keeps_the_filters(app, world):
    for n in range(30):
        make(world, 3 + n)
    db.session.commit()
    client = signed_in(app, world.desk)
    first = client.get("/triage/?priority=normal").get_data(as_text=True)
    link = re.search(r'id="next-page" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "priority=normal" in link and "after=" in link
    second = client.get(link).get_data(as_text=True)
    first_ids = set(re.findall(r'data-report-id="(\d+)"', first))
    second_ids = set(re.findall(r'data-report-id="(\d+)"', second))
    assert len(first_ids) == 25 and len(second_ids) == 6 and not first_ids & second_ids


def test_map_data_is_the_open_queue_as_geojson(app, world):
    make(world, 2, status=ReportStatus.CLOSED)
    make(world, 2, station=world.east)
    overdue = make(world, 40)
    db.session.commit()
    client = signed_in(app, world.commander)
    data = client.get("/triage/map.json?status=all").get_json()
    assert [f["properties"]["id"] for f in data["features"]] == [overdue.id, world.report.id]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [overdue.lon, overdue.lat]}
    assert feature["properties"]["overdue"] is True and feature["properties"]["url"] == f"/triage/reports/{overdue.id}"
    page = client.get("/triage/map").get_data(as_text=True)
    assert 'id="triage-map"' in page and "/stations/leaflet/leaflet.js" in page and "<script>" not in page
