"""Filing a report through the form: receipt, routing, SLA, reference number, idempotency."""
import re
from datetime import timedelta

from app.extensions import db
from app.reports.models import Report, ReportEvent, ReportStatus, RoutingDecision
from tests.reports.factories_reports import EAST_POINT, form_data


def _reports():
    return db.session.scalars(db.select(Report).order_by(Report.id)).all()


def test_form_renders_for_a_council_member(member_client, world):
    response = member_client.get("/reports/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="idempotency_key"' in page
    assert re.search(r'name="idempotency_key"[^>]*value="[0-9a-f-]{36}"', page)
    assert "tel:191" in page
    assert "<script>" not in page and " style=" not in page and "onclick" not in page


def test_submit_files_routes_and_shows_the_receipt(member_client, world):
    response = member_client.post("/reports/new", data=form_data(world, priority="high"))
    assert response.status_code == 302, response.get_data(as_text=True)
    [report] = _reports()
    assert response.headers["Location"].endswith(f"/reports/{report.id}/receipt")
    assert re.fullmatch(rf"{world.pao.reference_prefix}-25\d\d-000001", report.reference_number)
    assert report.station_id == world.west.id
    assert report.status == ReportStatus.NEW
    assert report.priority.value == "high"
    # high priority halves the category's hours (app/reports/lifecycle.py: compute_due_times)
    assert report.ack_due_at - report.created_at == timedelta(hours=world.category.sla_ack_hours * 0.5)
    assert report.act_due_at - report.created_at == timedelta(hours=world.category.sla_act_hours * 0.5)
    assert report.resident_anonymous is True and report.resident_name_sealed is None
    kinds = [e.kind for e in db.session.scalars(db.select(ReportEvent).where(ReportEvent.report_id == report.id))]
    assert kinds == ["submitted", "routed"]
    decision = db.session.scalar(db.select(RoutingDecision).where(RoutingDecision.report_id == report.id))
    assert decision.rule == "area"

    receipt = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert report.reference_number in receipt
    assert "West Station" in receipt or "สภ.ตะวันตก" in receipt
    assert "<svg" in receipt and report.tracking_secret in receipt
    assert f"/reports/track/{report.reference_number}?s={report.tracking_secret}" in receipt


def test_east_point_goes_to_the_east_station(member_client, world):
    data = form_data(world, lat=str(EAST_POINT[0]), lon=str(EAST_POINT[1]))
    assert member_client.post("/reports/new", data=data).status_code == 302
    assert _reports()[0].station_id == world.east.id


def test_same_idempotency_key_twice_makes_one_report(member_client, world):
    data = form_data(world)
    first = member_client.post("/reports/new", data=data)
    second = member_client.post("/reports/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_reports()) == 1


def test_a_new_key_makes_a_second_report_with_the_next_number(member_client, world):
    member_client.post("/reports/new", data=form_data(world))
    member_client.post("/reports/new", data=form_data(world, lat="7.25", confirm_new="y"))
    numbers = [r.reference_number[-6:] for r in _reports()]
    assert numbers == ["000001", "000002"]


def test_tracking_link_uses_the_public_base_url(app, member_client, world, monkeypatch):
    member_client.post("/reports/new", data=form_data(world))
    report = db.session.scalar(db.select(Report))
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ruamkan.example.go.th/")
    page = member_client.get(f"/reports/{report.id}/receipt").get_data(as_text=True)
    assert (f'href="https://ruamkan.example.go.th/reports/track/{report.reference_number}'
            f'?s={report.tracking_secret}"') in page


def test_control_characters_in_a_field_come_back_as_that_fields_error_with_the_text_kept(member_client, world):
    data = form_data(world, narrative="Motorbikes race\x00 past the school\x07 every night")
    response = member_client.post("/reports/new?lang=en", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _reports() == []
    assert "Motorbikes race past the school every night" in page  # what was typed, without the controls
    assert "invisible control characters" in page
    assert "\x00" not in page and "\x07" not in page


def test_without_a_public_address_the_tracking_link_uses_the_host_the_member_reached(member_client, world):
    member_client.post("/reports/new", data=form_data(world))
    report = db.session.scalar(db.select(Report))
    page = member_client.get(f"/reports/{report.id}/receipt", base_url="http://localhost:8080").get_data(as_text=True)
    assert f'href="http://localhost:8080/reports/track/{report.reference_number}?s={report.tracking_secret}"' in page
    assert "127.0.0.1:5000" not in page
