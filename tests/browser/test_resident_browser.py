"""The resident, on a phone, talks with the desk from the tracking page: adds, answers, is warned, stops."""
import pytest

from app.accounts.models import Role
from app.extensions import db
from app.reports.models import Report, ReportStatus
from app.reports.reference import new_tracking_secret
from app.reports.timeline import timeline
from app.reports.workflow import perform
from tests.factories import make_report, make_user

pytestmark = pytest.mark.browser


@pytest.fixture()
def tracked(live_server):
    """A report routed to West, acknowledged by its desk, with a real secret code; and that desk officer."""
    world = live_server["world"]
    desk = make_user(role=Role.DESK_OFFICER, station=world.west)
    report = make_report(filed_by=world.member, station=world.west, category=world.category)
    report.tracking_secret = new_tracking_secret()
    perform(report, "acknowledge", desk)
    db.session.commit()
    return report, desk


def _reload(report):
    db.session.expire_all()
    return db.session.get(Report, report.id)


def test_resident_talks_with_the_desk_on_a_phone(phone, live_server, tracked):
    report, desk = tracked
    phone.goto(f"/reports/track/{report.reference_number}?s={report.tracking_secret}&lang=en")
    phone.locator("#conversation").wait_for()

    # Adds information; typing a phone number warns at once, and the server asks to confirm.
    phone.fill("#message-form textarea", "Call me on 081-234-5678")
    assert phone.locator("#message-form .pii-warning").is_visible()
    phone.fill("#message-form textarea", "A grey pickup waits there after ten at night")
    assert phone.locator("#message-form .pii-warning").is_hidden()
    with phone.expect_navigation():
        phone.locator("#send-message").tap()
    assert "A grey pickup waits there" in phone.locator(".conversation").inner_text()

    # The desk asks the resident; the phone shows the question and the answer goes back.
    report = _reload(report)
    perform(report, "ask_resident", desk, text="Which soi exactly?")
    db.session.commit()
    phone.reload()
    assert "Which soi exactly?" in phone.locator("#open-question").inner_text()
    phone.fill("#message-form textarea", "Soi 7, next to the temple")
    with phone.expect_navigation():
        phone.locator("#send-message").tap()
    report = _reload(report)
    assert report.status == ReportStatus.ACKNOWLEDGED
    seen = [(e["event"].kind, e["event"].actor_id, e["text"]) for e in timeline(report, desk, "en")]
    assert ("resident_answer", None, "Soi 7, next to the temple") in seen  # no actor: the desk sees no one
    assert ("resident_info", None, "A grey pickup waits there after ten at night") in seen

    # STOP ends the conversation for good.
    with phone.expect_navigation():
        phone.locator("#stop-conversation").tap()
    phone.locator("#conversation-ended").wait_for()
    assert phone.locator("#message-form").count() == 0
    assert _reload(report).resident_has_stopped
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.errors == []
