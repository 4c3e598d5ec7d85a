"""Nearby open reports of the same category: listed before filing, supported instead of filed again."""
from datetime import timedelta

from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.duplicates import find_duplicates
from app.reports.models import Report, ReportEvent, ReportStatus
from tests.factories import make_pao, make_report, make_user
from tests.reports.factories_reports import WEST_POINT, form_data

LAT, LON = WEST_POINT


def _nearby(world, **kwargs):
    kwargs.setdefault("lat", LAT + 0.0009)  # about 100 m north
    kwargs.setdefault("lon", LON)
    other_member = make_user(pao=world.pao)
    return make_report(filed_by=other_member, category=world.category, station=world.west,
                       narrative="Secret narrative about Somchai", **kwargs)


def test_only_open_same_category_reports_within_250_m_and_30_days(world):
    near = _nearby(world)
    _nearby(world, lat=LAT + 0.0036)  # about 400 m away
    _nearby(world, status=ReportStatus.CLOSED)
    old = _nearby(world)
    old.created_at = utcnow() - timedelta(days=31)
    other_category = next(c for c in world.category.parent.children if c.code == "crime.vandalism")
    make_report(filed_by=world.member, category=other_category, lat=LAT, lon=LON)
    other_pao_member = make_user(pao=make_pao())
    make_report(filed_by=other_pao_member, category=world.category, lat=LAT, lon=LON)
    db.session.flush()
    found = find_duplicates(pao_id=world.pao.id, category_id=world.category.id, lat=LAT, lon=LON)
    assert [r.id for r in found] == [near.id]
    # Someone else's report: a coarse band from its public point, never metres or its reference.
    assert found[0].band == 250 and found[0].distance_m is None and found[0].reference_number is None


def test_duplicates_endpoint_shows_no_personal_data(member_client, world):
    near = _nearby(world)
    near.supporter_count = 2
    db.session.commit()
    body = member_client.get(f"/reports/api/duplicates?category_id={world.category.id}&lat={LAT}&lon={LON}&lang=en")
    data = body.get_json()["duplicates"]
    assert len(data) == 1
    row = data[0]
    assert set(row) == {"category", "distance", "band_m", "age_days", "status", "status_label",
                        "supporter_count", "support_url"}
    assert row["distance"] == "within 250 m"
    assert row["status"] == "new" and row["supporter_count"] == 2 and row["age_days"] == 0
    assert "Somchai" not in body.get_data(as_text=True)


def test_submit_lists_duplicates_and_needs_confirmation(member_client, world):
    near = _nearby(world)
    db.session.commit()
    data = form_data(world)
    response = member_client.post("/reports/new?lang=en", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and db.session.scalar(db.select(db.func.count(Report.id))) == 1
    assert f'formaction="/reports/{near.id}/support"' in page and "Secret narrative" not in page
    assert 'name="confirm_new"' in page
    data["confirm_new"] = "y"
    assert member_client.post("/reports/new", data=data).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 2


def test_adding_a_supporter_counts_once_per_tap(member_client, world):
    near = _nearby(world)
    db.session.commit()
    data = form_data(world)
    first = member_client.post(f"/reports/{near.id}/support", data=data)
    again = member_client.post(f"/reports/{near.id}/support", data=data)
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"].endswith("/reports/mine")
    db.session.refresh(near)
    assert near.supporter_count == 1
    event = db.session.scalar(db.select(ReportEvent).where(ReportEvent.kind == "supporter_added"))
    assert event.actor_id == world.member.id and event.payload["count"] == 1
    member_client.post(f"/reports/{near.id}/support", data=form_data(world))  # another resident, another tap
    db.session.refresh(near)
    assert near.supporter_count == 2
    mine = member_client.get("/reports/mine").get_data(as_text=True)
    assert near.reference_number not in mine and "Secret narrative" not in mine


def test_support_is_refused_for_closed_or_other_pao_reports(member_client, world):
    closed = _nearby(world, status=ReportStatus.CLOSED)
    foreign = make_report(filed_by=make_user(pao=make_pao()), category=world.category)
    db.session.commit()
    for report in (closed, foreign):
        assert member_client.post(f"/reports/{report.id}/support", data={}).status_code == 404
    assert member_client.post("/reports/999999/support", data={}).status_code == 404
