"""The council member's side goes through the same workflow: answer, confirm, reopen."""
import re

from app.extensions import db
from app.reports.models import ReportEvent, ReportStatus
from tests.triage.helpers import signed_in


def test_question_answer_outcome_confirm_reopen_through_the_pages(app, world):
    report = world.report
    desk, member = signed_in(app, world.desk), signed_in(app, world.member)
    base = f"/triage/reports/{report.id}"

    def post(client, url, **data):
        db.session.refresh(report)
        return client.post(url, data={"version": report.version, **data})

    assert post(desk, base + "/acknowledge").status_code == 302
    assert post(desk, base + "/start").status_code == 302
    assert post(desk, base + "/ask_question", text="Which gate of the school?").status_code == 302
    db.session.refresh(report)
    assert report.status == ReportStatus.NEEDS_INFO
    page = member.get(f"/reports/{report.id}?lang=en").get_data(as_text=True)
    assert "Which gate of the school?" in page
    question_id = re.search(r"/questions/(\d+)/answer", page).group(1)
    assert member.post(f"/reports/{report.id}/questions/{question_id}/answer",
                       data={"text": "The back gate"}).status_code == 302
    db.session.refresh(report)
    assert report.status == ReportStatus.IN_PROGRESS  # back where the question was asked
    answer = db.session.scalar(db.select(ReportEvent).where(ReportEvent.kind == "answer"))
    assert answer.payload["question_id"] == int(question_id) and answer.payload["to"] == "in_progress"
    assert post(desk, base + "/record_outcome", outcome="arrest", note="Two sellers arrested").status_code == 302
    page = member.get(f"/reports/{report.id}?lang=en").get_data(as_text=True)
    assert "Two sellers arrested" in page and "close the report" in page
    assert member.post(f"/reports/{report.id}/reopen", data={"text": "Others sell there now"}).status_code == 302
    db.session.refresh(report)
    assert report.status == ReportStatus.REOPENED and report.closed_at is None
    assert post(desk, base + "/acknowledge").status_code == 302  # police take it up again
    assert post(desk, base + "/record_outcome", outcome="checkpoint_set", note="Checkpoint at the back gate"
                ).status_code == 302
    assert member.post(f"/reports/{report.id}/confirm").status_code == 302
    db.session.refresh(report)
    assert report.status == ReportStatus.CLOSED and report.closed_at is not None
    kinds = [e.kind for e in db.session.scalars(db.select(ReportEvent).where(ReportEvent.report_id == report.id)
                                                .order_by(ReportEvent.id)) if "transition" in e.payload]
    assert kinds == ["status_changed", "status_changed", "question", "answer", "outcome", "reopen_requested",
                     "status_changed", "outcome", "outcome_confirmed"]


def test_a_member_cannot_confirm_what_the_police_did_not_finish(app, world):
    member = signed_in(app, world.member)
    assert member.post(f"/reports/{world.report.id}/confirm").status_code == 302  # refused with a message
    db.session.refresh(world.report)
    assert world.report.status == ReportStatus.NEW
