"""The coordinator's queue: reports without an MOU station, forwarded in one step to a chosen station."""
import re

from app.delivery.models import OutboxMessage
from app.extensions import db
from app.reports.models import ReportEvent, ReportStatus, RoutingDecision
from app.triage.coordinator import coordinator_queue
from tests.factories import make_mou
from tests.triage.conftest import new_report
from tests.triage.helpers import signed_in


def routed(world, rule, station):
    report = new_report(filed_by=world.member, station=station, category=world.sub)
    db.session.add(RoutingDecision(report=report, station=station, rule=rule, explanation_th="ทดสอบ",
                                   explanation_en=f"test: {rule}"))
    db.session.flush()
    return report


def test_the_queue_holds_what_no_mou_station_took(world):
    without_mou = routed(world, "area_without_mou", world.coordinating)
    outside = routed(world, "outside_coverage", world.coordinating)
    no_station = new_report(filed_by=world.member, station=None, category=world.sub)
    routed(world, "area", world.west)
    routed(world, "area", world.coordinating)  # the coordinating station's own area: its normal work
    new_report(filed_by=world.member, station=None, category=world.sub, status=ReportStatus.CLOSED)  # not queued
    db.session.commit()
    for user in (world.coordinator, world.coord_desk):
        reports, total, next_after = coordinator_queue(user)
        assert [r.id for r in reports] == [without_mou.id, outside.id, no_station.id] and total == 3
        assert next_after is None
    for user in (world.desk, world.other_coordinator, world.member):
        assert coordinator_queue(user) == ([], 0, None)


def test_forward_sends_the_report_to_the_chosen_station_as_new(app, world):
    make_mou(pao=world.pao, station=world.east)
    report = routed(world, "outside_coverage", world.coordinating)
    db.session.commit()
    client = signed_in(app, world.coordinator)
    page = client.get("/triage/coordinator?lang=en").get_data(as_text=True)
    assert report.reference_number in page and "Stations under MOU" in page
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert client.post(f"/triage/coordinator/{report.id}/forward",
                       data={"version": version, "station": world.east.id, "note": ""}).status_code == 400
    response = client.post(f"/triage/coordinator/{report.id}/forward",
                           data={"version": version, "station": world.east.id, "note": "East patrols that road"})
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.station_id == world.east.id and report.status == ReportStatus.NEW
    latest = report.routing_decisions[-1]
    assert (latest.rule, latest.reason, latest.decided_by_id) == ("manual", "manual", world.coordinator.id)
    [event] = db.session.scalars(db.select(ReportEvent).where(ReportEvent.report_id == report.id,
                                                              ReportEvent.kind == "rerouted")).all()
    assert event.payload["transition"] == "forward" and event.payload["decision_id"] == latest.id
    assert event.payload["before"]["station_code"] == "coord" and event.payload["after"]["station_code"] == "east"
    assert [m.recipient_user_id for m in db.session.scalars(db.select(OutboxMessage))] == [world.east_desk.id]
    assert report.reference_number in signed_in(app, world.east_desk).get("/triage/").get_data(as_text=True)
    after = client.get("/triage/coordinator").get_data(as_text=True)
    assert "was forwarded to" in after and f'id="report-{report.id}"' not in after


def test_the_coordinating_stations_desk_forwards_too_and_others_may_not(app, world):
    report = routed(world, "area_without_mou", world.coordinating)
    db.session.commit()
    url = f"/triage/coordinator/{report.id}/forward"
    data = {"version": report.version, "station": world.west.id, "note": "West is responsible"}
    assert signed_in(app, world.desk).get("/triage/coordinator").status_code == 403
    assert signed_in(app, world.desk).post(url, data=data).status_code == 404
    assert signed_in(app, world.other_coordinator).post(url, data=data).status_code == 404
    assert signed_in(app, world.member).post(url, data=data).status_code == 403
    stale = signed_in(app, world.coord_desk).post(url, data={**data, "version": report.version + 5})
    assert stale.status_code == 409
    assert signed_in(app, world.coord_desk).post(url, data=data).status_code == 302
    db.session.refresh(report)
    assert report.station_id == world.west.id


def test_the_queue_pages_oldest_first_and_a_forwarded_report_shifts_nothing(app, world, monkeypatch):
    from datetime import timedelta

    from app.core.timeutil import utcnow
    monkeypatch.setitem(app.config, "COORDINATOR_PAGE_SIZE", 2)
    make_mou(pao=world.pao, station=world.east)
    start = utcnow() - timedelta(days=3)
    reports = [new_report(filed_by=world.member, station=None, category=world.sub,
                          created_at=start + timedelta(minutes=n // 2)) for n in range(5)]  # pairs share a time
    db.session.commit()
    expected = sorted(reports, key=lambda r: (r.created_at, r.id))
    client = signed_in(app, world.coordinator)

    first = client.get("/triage/coordinator?lang=en").get_data(as_text=True)
    assert _shown(first) == [r.id for r in expected[:2]] and "5 waiting" in first
    next_url = re.search(r'id="next-page" href="([^"]+)"', first).group(1).replace("&amp;", "&")

    # the first report is forwarded before the coordinator turns the page: the next page starts where it was
    version = re.search(r'name="version" type="hidden" value="(\d+)"', first).group(1)
    assert client.post(f"/triage/coordinator/{expected[0].id}/forward",
                       data={"version": version, "station": world.east.id, "note": "East"}).status_code == 302
    second = client.get(next_url).get_data(as_text=True)
    assert _shown(second) == [r.id for r in expected[2:4]] and "4 waiting" in second
    last_url = re.search(r'id="next-page" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    last = client.get(last_url).get_data(as_text=True)
    assert _shown(last) == [expected[4].id] and 'id="next-page"' not in last
    assert "First page" in last


def _shown(page):
    return [int(n) for n in re.findall(r'<section class="card coordinator-item" id="report-(\d+)"', page)]
