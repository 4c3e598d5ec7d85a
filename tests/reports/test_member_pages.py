"""My reports, a report's page and timeline, and what the member does after filing."""
import pytest

from app.extensions import db
from app.reports.models import Report, ReportEvent, ReportStatus
from app.reports.workflow import perform
from tests.factories import make_report, make_user
from tests.reports.conftest import get_en
from tests.reports.factories_reports import form_data


@pytest.fixture()
def report(member_client, world):
    assert member_client.post("/reports/new", data=form_data(world)).status_code == 302
    return db.session.scalar(db.select(Report))


def _kinds(report):
    return [e.kind for e in db.session.scalars(db.select(ReportEvent).where(ReportEvent.report_id == report.id)
                                               .order_by(ReportEvent.id))]


def test_my_reports_lists_status_station_and_due_dates(member_client, world, report):
    other = make_report(filed_by=make_user(pao=world.pao), category=world.category)
    db.session.commit()
    page = get_en(member_client, "/reports/mine").get_data(as_text=True)
    assert report.reference_number in page and other.reference_number not in page
    assert "West Station" in page and "acknowledge by" in page


def test_detail_shows_the_timeline_without_internal_events(member_client, world, report):
    db.session.add(ReportEvent(report=report, kind="note", internal=True, payload={"text": "Police-only note"}))
    db.session.add(ReportEvent(report=report, kind="question", payload={"text": "Which car park exactly?"}))
    db.session.commit()
    page = get_en(member_client, f"/reports/{report.id}").get_data(as_text=True)
    assert "Report filed" in page and "Sent to a police station" in page
    assert "Police-only note" not in page
    assert "Which car park exactly?" in page and "Send answer" in page
    assert report.narrative in page


def test_police_of_the_station_see_internal_events(client, login, world, report):
    db.session.add(ReportEvent(report=report, kind="note", internal=True, payload={"text": "Police-only note"}))
    officer = make_user(role="desk_officer", station=world.west)
    db.session.commit()
    client.post("/accounts/logout")
    login(officer)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Police-only note" in page and "Send answer" not in page


def test_add_information_and_answer_a_question(member_client, world, report):
    question = ReportEvent(report=report, kind="question", payload={"text": "Which car park?"})
    db.session.add(question)
    db.session.commit()
    response = member_client.post(f"/reports/{report.id}/info", data={"text": "It happened again today."})
    assert response.status_code == 302
    assert member_client.post(f"/reports/{report.id}/questions/{question.id}/answer",
                              data={"text": "The one behind the bank."}).status_code == 302
    answer = db.session.scalar(db.select(ReportEvent).where(ReportEvent.kind == "answer"))
    assert answer.payload == {"text": "The one behind the bank.", "question_id": question.id}
    assert _kinds(report)[-3:] == ["question", "info_added", "answer"]
    page = member_client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Send answer" not in page  # answered questions are not asked again
    # An empty text or someone else's question is refused without a new event.
    member_client.post(f"/reports/{report.id}/info", data={"text": "  "})
    member_client.post(f"/reports/{report.id}/info", data={"text": "\x00"})
    member_client.post(f"/reports/{report.id}/questions/{answer.id}/answer", data={"text": "x"})
    assert len(_kinds(report)) == 5


def test_confirm_outcome_closes_and_reopen_needs_a_reason(member_client, world, report):
    assert member_client.post(f"/reports/{report.id}/confirm").status_code == 302
    db.session.refresh(report)
    assert report.status == ReportStatus.NEW  # nothing to confirm yet
    officer = make_user(role="desk_officer", station=world.west)
    perform(report, "acknowledge", officer)
    perform(report, "record_outcome", officer, outcome="patrol_increased", note="patrols added")
    db.session.commit()
    member_client.post(f"/reports/{report.id}/confirm")
    db.session.refresh(report)
    assert report.status == ReportStatus.CLOSED and report.closed_at is not None
    member_client.post(f"/reports/{report.id}/reopen", data={"text": ""})
    db.session.refresh(report)
    assert report.status == ReportStatus.CLOSED
    member_client.post(f"/reports/{report.id}/reopen", data={"text": "The bikes are stolen again."})
    db.session.refresh(report)
    assert report.status == ReportStatus.REOPENED and report.closed_at is None
    events = db.session.scalars(db.select(ReportEvent).where(ReportEvent.report_id == report.id)
                                .order_by(ReportEvent.id)).all()
    changes = [e for e in events if "transition" in e.payload]  # the triage workflow's status changes
    assert [(e.kind, e.payload["from"], e.payload["to"]) for e in changes] == [
        ("status_changed", "new", "acknowledged"), ("outcome", "acknowledged", "action_taken"),
        ("outcome_confirmed", "action_taken", "closed"), ("reopen_requested", "closed", "reopened")]
    assert changes[-1].actor_id == world.member.id
    assert changes[-1].payload["reason"] == "The bikes are stolen again."


def test_other_members_cannot_act_on_a_report(client, login, world, report):
    stranger = make_user(pao=world.pao)
    db.session.commit()
    client.post("/accounts/logout")
    login(stranger)
    assert client.get(f"/reports/{report.id}").status_code == 404
    assert client.get(f"/reports/{report.id}/receipt").status_code == 404
    assert client.post(f"/reports/{report.id}/info", data={"text": "hello there"}).status_code == 404
    assert _kinds(report) == ["submitted", "routed"]
