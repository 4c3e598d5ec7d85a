"""The resident's voice on the tracking page: add information, answer the desk, STOP, and "was it fixed?"."""
import io
from datetime import timedelta

import pytest

from app.core.timeutil import utcnow
from app.extensions import db, limiter
from app.reports.models import ReportEvent, ReportFeedback, ReportStatus, ResidentMessage
from app.reports.reference import new_tracking_secret
from app.reports.resident import record_resident_feedback, send_message
from app.reports.retention import purge_expired
from app.reports.workflow import perform
from app.triage.timeline import police_timeline
from tests.triage.conftest import RESIDENT_NAME, RESIDENT_PHONE, new_report
from tests.triage.helpers import UserClient, signed_in

INFO = "They come on a red motorbike after nine at night"
ANSWER = "Always the lane behind the football field"


@pytest.fixture(autouse=True)
def fresh_limits():
    """Address-based limits start empty, so earlier tests' posts do not count here."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture(autouse=True)
def real_secret(world):
    """The factory's secrets are not in the resident's alphabet: give the report one as filing does."""
    world.report.tracking_secret = new_tracking_secret()
    db.session.commit()


def another_report(world):
    report = new_report(filed_by=world.member, station=world.west, category=world.sub)
    report.tracking_secret = new_tracking_secret()
    db.session.commit()
    return report


@pytest.fixture()
def resident(app):
    """An anonymous browser: nobody signed in."""
    return UserClient(app, app.response_class, use_cookies=True)


def track_url(report):
    return f"/reports/track/{report.reference_number}?s={report.tracking_secret}&lang=en"


def say(client, report, text, secret=None, **extra):
    return client.post(f"/reports/track/{report.reference_number}/message?lang=en",
                       data={"s": secret or report.tracking_secret, "text": text, **extra})


def desk_do(client, report, action, **data):
    db.session.refresh(report)
    return client.post(f"/triage/reports/{report.id}/{action}", data={"version": report.version, **data})


def test_resident_adds_information_answers_the_desk_and_stops(app, world, resident):
    report = world.report
    desk, member = signed_in(app, world.desk), signed_in(app, world.member)
    page = resident.get(track_url(report)).get_data(as_text=True)
    assert "Talk with the police station" in page and 'id="stop-conversation"' in page

    response = say(resident, report, INFO)
    assert response.status_code == 303 and response.headers["Location"].endswith("#conversation")
    info = db.session.scalar(db.select(ReportEvent).where(ReportEvent.kind == "resident_info"))
    assert info.actor_id is None and "text" not in info.payload  # the words live in resident_messages
    assert INFO in resident.get(track_url(report)).get_data(as_text=True)

    # The desk asks the resident, beside asking the council member.
    assert desk_do(desk, report, "acknowledge").status_code == 302
    assert desk_do(desk, report, "start").status_code == 302
    desk_page = desk.get(f"/triage/reports/{report.id}?lang=en").get_data(as_text=True)
    assert 'id="open-ask_question"' in desk_page and 'id="open-ask_resident"' in desk_page
    assert desk_do(desk, report, "ask_resident", text="Which lane do they use?").status_code == 302
    db.session.refresh(report)
    assert report.status == ReportStatus.NEEDS_RESIDENT and report.previous_status == ReportStatus.IN_PROGRESS
    queue = desk.get("/triage/?lang=en").get_data(as_text=True)
    assert report.reference_number in queue and "Waiting for the resident" in queue

    page = resident.get(track_url(report)).get_data(as_text=True)
    assert "Which lane do they use?" in page and "The police have a question for you" in page
    assert say(resident, report, ANSWER).status_code == 303
    db.session.refresh(report)
    assert report.status == ReportStatus.IN_PROGRESS  # back with the police where the question was asked

    # The desk reads both, as from "the resident (anonymous)", and no name or phone.
    desk_page = desk.get(f"/triage/reports/{report.id}?lang=en").get_data(as_text=True)
    assert INFO in desk_page and ANSWER in desk_page
    assert "Information from the resident (anonymous)" in desk_page
    assert "Answer from the resident (anonymous)" in desk_page
    assert RESIDENT_NAME not in desk_page and RESIDENT_PHONE not in desk_page
    audit = signed_in(app, world.commander).get(f"/triage/reports/{report.id}/audit?lang=en").get_data(as_text=True)
    assert "Resident (anonymous)" in audit and RESIDENT_NAME not in audit
    # The council member sees the exchange on their report page.
    member_page = member.get(f"/reports/{report.id}?lang=en").get_data(as_text=True)
    assert INFO in member_page and ANSWER in member_page and "Which lane do they use?" in member_page

    # STOP ends it: nothing more can be sent, and the desk can no longer ask.
    assert resident.post(f"/reports/track/{report.reference_number}/stop",
                         data={"s": report.tracking_secret}).status_code == 303
    page = resident.get(track_url(report)).get_data(as_text=True)
    assert 'id="conversation-ended"' in page and 'id="message-form"' not in page
    refused = say(resident, report, "one more thing")
    assert refused.status_code == 400 and "You ended this conversation" in refused.get_data(as_text=True)
    assert 'id="open-ask_resident"' not in desk.get(f"/triage/reports/{report.id}").get_data(as_text=True)
    assert desk_do(desk, report, "ask_resident", text="Are you there?").status_code in (403, 409)
    assert db.session.scalar(db.select(db.func.count(ResidentMessage.id))) == 2


def test_stop_while_the_desk_waits_hands_the_report_back(app, world, resident):
    report = world.report
    perform(report, "acknowledge", world.desk)
    perform(report, "ask_resident", world.desk, text="What colour is the car?")
    db.session.commit()
    assert resident.post(f"/reports/track/{report.reference_number}/stop",
                         data={"s": report.tracking_secret}).status_code == 303
    db.session.refresh(report)
    assert report.status == ReportStatus.ACKNOWLEDGED and report.resident_has_stopped


def test_the_desk_can_stop_waiting(app, world):
    report = world.report
    desk = signed_in(app, world.desk)
    perform(report, "acknowledge", world.desk)
    perform(report, "ask_resident", world.desk, text="What colour is the car?")
    db.session.commit()
    assert desk_do(desk, report, "stop_waiting").status_code == 302
    db.session.refresh(report)
    assert report.status == ReportStatus.ACKNOWLEDGED


def test_waiting_for_the_resident_pauses_the_deadlines_up_to_the_cap(app, world):
    report = world.report
    asked = utcnow()
    perform(report, "acknowledge", world.desk, now=asked)
    perform(report, "ask_resident", world.desk, text="Which night?", now=asked)
    due = report.act_due_at
    assert not report.is_overdue(asked + timedelta(days=30))  # no deadline runs while waiting
    send_message(report, "Friday", now=asked + timedelta(hours=10))
    assert report.act_due_at == due + timedelta(hours=10)

    perform(report, "ask_resident", world.desk, text="Which street?", now=asked + timedelta(hours=11))
    send_message(report, "The main street", now=asked + timedelta(days=30))
    assert report.act_due_at == due + timedelta(hours=10 + 72)  # RESIDENT_WAIT_MAX_HOURS


def test_personal_data_needs_a_confirmation_and_what_was_typed_stays(world, resident):
    report = world.report
    text = "Call me on 081-234-5678 after six"
    refused = say(resident, report, text)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "a phone number" in page and text in page
    assert 'name="pii_confirmed"' in page
    assert db.session.scalar(db.select(db.func.count(ResidentMessage.id))) == 0
    id_number = say(resident, report, "My ID is 1-1017-00207-13-7")  # a valid checksum
    assert id_number.status_code == 400 and "a citizen ID number" in id_number.get_data(as_text=True)
    assert say(resident, report, text, pii_confirmed="y").status_code == 303
    assert db.session.scalar(db.select(ResidentMessage.text)) == text


def test_messages_are_rate_limited_per_report(app, world, resident, monkeypatch):
    monkeypatch.setitem(app.config, "RESIDENT_MESSAGES_PER_HOUR", 2)
    report = world.report
    assert [say(resident, world.report, f"note {n}").status_code for n in range(3)] == [303, 303, 400]
    assert "many messages" in say(resident, report, "again").get_data(as_text=True)


def test_posts_are_rate_limited_per_address(app, world, resident, monkeypatch):
    monkeypatch.setitem(app.config, "RESIDENT_POST_RATE_LIMIT", "2 per day")
    codes = [say(resident, world.report, f"note {n}", secret="WRONG234").status_code for n in range(3)]
    assert codes == [404, 404, 429]


def test_another_reports_secret_neither_reads_nor_writes_this_conversation(world, resident):
    report = world.report
    other = another_report(world)
    assert say(resident, report, INFO).status_code == 303
    crossed = resident.get(f"/reports/track/{report.reference_number}?s={other.tracking_secret}&lang=en")
    assert crossed.status_code == 404 and INFO not in crossed.get_data(as_text=True)
    assert say(resident, report, "planted", secret=other.tracking_secret).status_code == 404
    assert resident.post(f"/reports/track/{report.reference_number}/stop",
                         data={"s": other.tracking_secret}).status_code == 404
    assert resident.post(f"/reports/track/{report.reference_number}/feedback",
                         data={"s": other.tracking_secret, "resolved": "no"}).status_code == 404
    assert INFO not in resident.get(track_url(other)).get_data(as_text=True)
    assert db.session.scalars(db.select(ResidentMessage.text)).all() == [INFO]
    assert not report.resident_has_stopped


def test_open311_and_public_pages_show_nothing_the_resident_wrote(client, world, resident):
    report = world.report
    say(resident, report, INFO)
    perform(report, "acknowledge", world.desk)
    perform(report, "ask_resident", world.desk, text="Which lane?")
    db.session.commit()
    say(resident, report, ANSWER)
    for path in ("/open311/v2/requests.json?jurisdiction_id=songkhla",
                 f"/open311/v2/requests/{report.reference_number}.json?jurisdiction_id=songkhla",
                 "/open311/v2/requests.xml?jurisdiction_id=songkhla",
                 "/open311/v2/servicerequestupdates.json?jurisdiction_id=songkhla", "/reports/track"):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert INFO not in body and ANSWER not in body and "Which lane" not in body, path


def _to_action_taken(report, desk):
    perform(report, "acknowledge", desk)
    perform(report, "record_outcome", desk, outcome="arrest", note="Two sellers arrested")
    db.session.commit()


def test_not_fixed_reopens_the_report_with_the_residents_words(app, world, resident):
    report = world.report
    _to_action_taken(report, world.desk)
    page = resident.get(track_url(report)).get_data(as_text=True)
    assert 'id="feedback-form"' in page
    url = f"/reports/track/{report.reference_number}/feedback?lang=en"
    refused = resident.post(url, data={"s": report.tracking_secret, "rating": "2"})
    assert refused.status_code == 400 and "Say whether the problem was fixed" in refused.get_data(as_text=True)
    answer = {"s": report.tracking_secret, "resolved": "no", "rating": "2", "comment": "They moved to the next soi"}
    assert resident.post(url, data=answer).status_code == 303
    db.session.refresh(report)
    assert report.status == ReportStatus.REOPENED and report.closed_at is None
    reopened = db.session.scalar(db.select(ReportEvent).where(ReportEvent.kind == "resident_reopened"))
    assert reopened.actor_id is None and reopened.payload["transition"] == "resident_reopen"
    feedback = db.session.scalar(db.select(ReportFeedback))
    assert (feedback.party, feedback.resolved, feedback.rating, feedback.station_id) == \
        ("resident", False, 2, world.west.id)
    desk_page = signed_in(app, world.desk).get(f"/triage/reports/{report.id}?lang=en").get_data(as_text=True)
    assert "They moved to the next soi" in desk_page and "says it was not fixed" in desk_page
    assert 'id="feedback-form"' not in resident.get(track_url(report)).get_data(as_text=True)
    assert resident.post(url, data=answer).status_code == 400  # one answer per outcome


def test_the_member_answers_was_it_fixed_on_their_page(app, world):
    report = world.report
    _to_action_taken(report, world.desk)
    member = signed_in(app, world.member)
    assert 'id="send-member-feedback"' in member.get(f"/reports/{report.id}?lang=en").get_data(as_text=True)
    response = member.post(f"/reports/{report.id}/feedback", data={"resolved": "yes", "rating": "5"})
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.status == ReportStatus.CLOSED
    assert db.session.scalar(db.select(ReportFeedback.rating).where(ReportFeedback.party == "member")) == 5
    assert signed_in(app, world.desk2).post(f"/reports/{report.id}/feedback",
                                            data={"resolved": "no"}).status_code == 403


def test_ratings_reach_the_dashboard_and_the_summary_only_from_five_answers(app, world):
    reports = [world.report] + [another_report(world) for _ in range(4)]
    for n, report in enumerate(reports):
        _to_action_taken(report, world.desk)
        record_resident_feedback(report, n != 0, 4 if n else 1, "")  # one not resolved, ratings 1,4,4,4,4
        db.session.commit()
    coordinator = signed_in(app, world.coordinator)
    month = utcnow().strftime("%Y-%m")
    page = coordinator.get(f"/oversight/?lang=en&from={month}&to={month}").get_data(as_text=True)
    section = page[page.index('id="satisfaction"'):]
    section = section[:section.index("</section>")]
    assert "West Station" in section and "20%" in section and "3.4 / 5" in section  # 1 of 5; (1+16)/5
    summary = coordinator.get(f"/oversight/summary?lang=en&month={month}").get_data(as_text=True)
    assert "3.4 / 5" in summary

    db.session.delete(db.session.scalars(db.select(ReportFeedback)).first())  # four answers: nothing shown
    db.session.commit()
    page = coordinator.get(f"/oversight/?lang=en&from={month}&to={month}").get_data(as_text=True)
    section = page[page.index('id="satisfaction"'):]
    assert "fewer than 5 answers" in section[:section.index("</section>")]
    assert "/ 5" not in section[:section.index("</section>")]


def test_retention_removes_the_residents_words_with_the_contact(app, world, resident):
    report = world.report
    say(resident, report, INFO)
    perform(report, "acknowledge", world.desk)
    perform(report, "reject", world.desk, reason="not_police_matter", note="Civil dispute")
    report.closed_at = utcnow() - timedelta(days=app.config["RETENTION_CONTACT_DAYS"] + 1)
    db.session.commit()
    assert purge_expired().contacts == 1
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(ResidentMessage.id))) == 0
    assert report.resident_name_sealed is None
    texts = [entry["text"] for entry in police_timeline(report, world.desk, "en")
             if entry["event"].kind == "resident_info"]
    assert texts == ["[removed under the retention policy]"]
    assert purge_expired().reports == 0  # nothing left: a second run finds nothing


def test_photos_go_through_the_intake_checks_and_lose_their_metadata(app, world, resident, tmp_path, monkeypatch):
    from PIL import Image

    from app.core.storage import get_storage
    from app.reports.models import ReportPhoto
    from tests.reports.factories_reports import jpeg_bytes

    monkeypatch.setitem(app.config, "PHOTO_STORAGE_DIR", str(tmp_path / "photos"))
    report = world.report
    url = f"/reports/track/{report.reference_number}/message?lang=en"
    bad = resident.post(url, data={"s": report.tracking_secret, "text": "See this",
                                   "photos": [(io.BytesIO(b"not an image"), "scene.jpg")]},
                        content_type="multipart/form-data")
    assert bad.status_code == 400 and "See this" in bad.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ReportPhoto.id))) == 0
    good = resident.post(url, data={"s": report.tracking_secret, "text": "",
                                    "photos": [(io.BytesIO(jpeg_bytes(gps=(7.2001, 100.5501))), "car.jpg")]},
                         content_type="multipart/form-data")
    assert good.status_code == 303
    photo = db.session.scalar(db.select(ReportPhoto))
    public = Image.open(io.BytesIO(get_storage().read(photo.public_key)))
    assert not public.getexif()  # no GPS, no camera: the copy the police and the member see
    event = db.session.scalar(db.select(ReportEvent).where(ReportEvent.kind == "resident_info"))
    assert event.payload["photo_ids"] == [photo.id] and event.actor_id is None
    assert "1 photos added" in resident.get(track_url(report)).get_data(as_text=True)


def test_the_desk_is_told_when_the_resident_writes_but_not_what_or_who(app, world, resident):
    from app.delivery.models import OutboxMessage

    report = world.report
    desk = signed_in(app, world.desk)
    assert say(resident, report, INFO).status_code == 303
    told = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "resident_wrote")).all()
    assert {m.recipient_user_id for m in told} == {world.desk.id, world.desk2.id}  # this station's desk only
    for message in told:
        text = message.payload["subject"] + message.payload["text"]
        assert report.reference_number in text and INFO not in text and RESIDENT_NAME not in text
        assert message.payload["data"]["answered"] is False
        assert "เพิ่มข้อมูล" in message.payload["text"] or "added information" in message.payload["text"]

    assert desk_do(desk, report, "acknowledge").status_code == 302
    assert desk_do(desk, report, "ask_resident", text="Which lane do they use?").status_code == 302
    assert say(resident, report, ANSWER).status_code == 303
    answers = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "resident_wrote")
                                 .order_by(OutboxMessage.id.desc())).all()[:2]
    assert all(m.payload["data"]["answered"] is True and ANSWER not in m.payload["text"] for m in answers)
    assert all("ตอบคำถาม" in m.payload["text"] or "answered your question" in m.payload["text"] for m in answers)


def test_the_resident_sees_their_own_photos_again_and_nobody_elses(app, world, resident, tmp_path, monkeypatch):
    from PIL import Image

    from app.reports.models import ReportPhoto
    from tests.reports.factories_reports import jpeg_bytes

    monkeypatch.setitem(app.config, "PHOTO_STORAGE_DIR", str(tmp_path / "photos"))
    report, other = world.report, another_report(world)
    sent = resident.post(f"/reports/track/{report.reference_number}/message?lang=en",
                         data={"s": report.tracking_secret, "text": "The car again",
                               "photos": [(io.BytesIO(jpeg_bytes(gps=(7.2001, 100.5501))), "car.jpg")]},
                         content_type="multipart/form-data")
    assert sent.status_code == 303
    photo = db.session.scalar(db.select(ReportPhoto))
    base = f"/reports/track/{report.reference_number}/photos/{photo.id}"
    page = resident.get(track_url(report)).get_data(as_text=True)
    assert f"{base}/thumb.jpg?s={report.tracking_secret}" in page and "Photo 1 you added" in page
    for variant in ("thumb", "public"):
        shown = resident.get(f"{base}/{variant}.jpg?s={report.tracking_secret}")
        assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
        assert "no-store" in shown.headers["Cache-Control"] and shown.headers["Referrer-Policy"] == "no-referrer"
        assert not Image.open(io.BytesIO(shown.data)).getexif()
    # a wrong code, another report's code, or another report's reference: the same 404
    assert resident.get(f"{base}/thumb.jpg?s=WRONG").status_code == 404
    assert resident.get(f"{base}/thumb.jpg?s={other.tracking_secret}").status_code == 404
    assert resident.get(f"/reports/track/{other.reference_number}/photos/{photo.id}/thumb.jpg"
                        f"?s={other.tracking_secret}").status_code == 404
    # the member's own photos of the report are not the resident's to see
    copied = {c.key: getattr(photo, c.key) for c in ReportPhoto.__table__.columns if c.key not in ("id", "position")}
    members = ReportPhoto(**copied, position=5)
    db.session.add(members)
    db.session.commit()
    assert resident.get(f"/reports/track/{report.reference_number}/photos/{members.id}/thumb.jpg"
                        f"?s={report.tracking_secret}").status_code == 404
