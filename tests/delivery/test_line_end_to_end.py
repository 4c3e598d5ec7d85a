"""LINE end to end: linking people and station groups through signed webhooks, pushes, answers from LINE."""
import json

from app.accounts.models import User
from app.delivery.channels.line import retry_key
from app.delivery.line_models import LineGroup, LineWebhookEvent
from app.delivery.models import OutboxMessage, OutboxStatus
from app.delivery.notify import notify_outcome_recorded
from app.delivery.worker import run_pass
from app.extensions import db as _db
from app.reports.models import ReportEvent, ReportStatus
from app.reports.workflow import perform
from tests.delivery.line_fake import SECRET, TOKEN, FakeLine, deliver, event, postback_event, sign, text_event
from tests.delivery.line_helpers import (
    GROUP_LINE,
    MEMBER_LINE,
    NARRATIVE,
    file_report,
    link_group,
    link_member,
    shown_code,
)


def test_a_bad_or_missing_signature_is_refused_and_nothing_is_processed(client, login, line_world, line):
    login(line_world.member)
    code, _page = shown_code(client)
    assert deliver(client, text_event(code, user_id=MEMBER_LINE), signature="bm90IHRoZSBzaWduYXR1cmU=") \
        .status_code == 400
    assert deliver(client, text_event(code, user_id=MEMBER_LINE), signature=False).status_code == 400
    _db.session.expire_all()
    assert _db.session.get(User, line_world.member.id).line_user_id is None
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(LineWebhookEvent)) == 0
    assert line.requests == []


def test_a_member_links_line_with_the_code_from_the_settings_page(client, login, line_world, line):
    login(line_world.member)
    code, page = shown_code(client)
    assert "https://line.me/R/oaMessage/%40ruamkan/?" + code in page and "<svg" in page
    deliver(client, event("follow", user_id=MEMBER_LINE))
    assert "ยินดีต้อนรับ" in line.reply_texts()[-1]
    assert any(r["path"] == f"/v2/bot/profile/{MEMBER_LINE}" for r in line.requests)
    link_member(client, line_world, line)  # sends the code, then confirms it on the page
    assert "Settings → Notifications" in line.reply_texts()[-1] or "ตั้งค่า" in line.reply_texts()[-1]
    # the code works once: sent again from another LINE account it links nothing
    deliver(client, text_event(code, user_id="U" + "9" * 32))
    assert "ไม่พบรหัสนี้" in line.reply_texts()[-1]
    assert _db.session.scalar(_db.select(_db.func.count(User.id)).where(User.line_user_id.is_not(None))) == 1
    assert "LINE is linked" in client.get("/delivery/notifications?lang=en").get_data(as_text=True)


def test_a_redelivered_event_is_processed_once(client, login, line_world, line):
    login(line_world.member)
    code, _page = shown_code(client)
    first = text_event(code, user_id=MEMBER_LINE)
    redelivered = {**first, "deliveryContext": {"isRedelivery": True}}
    assert deliver(client, first).status_code == 200
    assert deliver(client, redelivered).status_code == 200
    assert deliver(client, first, first).status_code == 200
    assert len(line.replies()) == 1
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(LineWebhookEvent)) == 1


def test_a_filed_report_is_pushed_once_to_the_station_group_without_the_narrative(client, login, line_world, line):
    login(line_world.commander)
    link_group(client, line_world)
    group = _db.session.scalar(_db.select(LineGroup))
    assert group.group_id == GROUP_LINE and group.station_id == line_world.west.id
    assert "เชื่อมสถานีจากระบบร่วมกัน" in line.reply_texts()[0] and line_world.west.name_th in line.reply_texts()[1]
    report = file_report(line_world)
    [message] = _db.session.scalars(_db.select(OutboxMessage).where(OutboxMessage.channel == "line")).all()
    assert run_pass().sent >= 1
    assert run_pass().sent == 0  # nothing is sent twice
    [push] = line.pushes()
    assert push["json"]["to"] == GROUP_LINE
    assert push["headers"]["X-Line-Retry-Key"] == retry_key(message.idempotency_key)
    raw = str(push["json"])
    assert report.reference_number in raw and NARRATIVE not in raw and "ท้ายซอย" not in raw
    [button] = push["json"]["messages"][0]["contents"]["footer"]["contents"]
    assert button["action"]["uri"] == f"https://ruamkan.example/reports/{report.id}"
    # the bot removed from the group: the station is no longer reached there
    deliver(client, event("leave", group_id=GROUP_LINE))
    assert _db.session.scalar(_db.select(LineGroup)) is None


def test_a_police_question_is_answered_from_line(client, login, line_world, line):
    login(line_world.member)
    link_member(client, line_world, line)
    report = file_report(line_world)
    perform(report, "acknowledge", line_world.desk)
    perform(report, "ask_question", line_world.desk, text="Which night of the week?")
    _db.session.commit()
    run_pass()
    [push] = [p for p in line.pushes() if p["json"]["to"] == MEMBER_LINE]
    buttons = push["json"]["messages"][0]["contents"]["footer"]["contents"]
    reply_button = buttons[-1]["action"]
    assert reply_button["type"] == "postback" and reply_button["label"] == "ตอบ"
    deliver(client, postback_event(reply_button["data"], user_id=MEMBER_LINE))
    assert report.reference_number in line.reply_texts()[-1]
    deliver(client, text_event("ทุกคืนวันศุกร์ประมาณสี่ทุ่ม", user_id=MEMBER_LINE))
    _db.session.expire_all()
    [answer] = [e for e in _db.session.get(type(report), report.id).events if e.kind == "answer"]
    assert answer.actor_id == line_world.member.id and answer.payload["text"] == "ทุกคืนวันศุกร์ประมาณสี่ทุ่ม"
    assert _db.session.get(type(report), report.id).status == ReportStatus.ACKNOWLEDGED
    assert "ขอบคุณ" in line.reply_texts()[-1]
    told = _db.session.scalars(_db.select(OutboxMessage).where(OutboxMessage.kind == "question_answered")).all()
    assert [m.recipient_user_id for m in told] == [line_world.desk.id]


def test_with_several_open_questions_the_bot_asks_which_one(client, login, line_world, line):
    login(line_world.member)
    link_member(client, line_world, line)
    first, second = file_report(line_world), file_report(line_world)
    for report in (first, second):
        perform(report, "acknowledge", line_world.desk)
        perform(report, "ask_question", line_world.desk, text="When?")
    _db.session.commit()
    deliver(client, text_event("ตอนเย็น", user_id=MEMBER_LINE))
    chooser = line.replies()[-1]["json"]["messages"][0]
    assert chooser["type"] == "template"
    actions = chooser["template"]["actions"]
    assert {a["label"] for a in actions} == {first.reference_number, second.reference_number}
    pick = next(a for a in actions if a["label"] == second.reference_number)
    deliver(client, postback_event(pick["data"], user_id=MEMBER_LINE))
    _db.session.expire_all()
    answers = _db.session.scalars(_db.select(ReportEvent).where(ReportEvent.kind == "answer")).all()
    assert [(a.report_id, a.payload["text"]) for a in answers] == [(second.id, "ตอนเย็น")]


def test_unlink_and_unfollow_stop_line_messages(client, login, line_world, line):
    login(line_world.member)
    link_member(client, line_world, line)
    report = file_report(line_world)
    assert [m.channel for m in notify_outcome_recorded(report)] == ["line"]
    assert client.post("/delivery/notifications/unlink").status_code == 302
    _db.session.expire_all()
    member = _db.session.get(User, line_world.member.id)
    assert member.line_user_id is None
    assert [m.channel for m in notify_outcome_recorded(report)] == ["email"]
    link_member(client, line_world, line)
    deliver(client, event("unfollow", user_id=MEMBER_LINE))
    _db.session.expire_all()
    assert _db.session.get(User, line_world.member.id).line_user_id is None


def test_each_kind_of_message_goes_on_its_chosen_channel(client, login, line_world, line):
    login(line_world.member)
    link_member(client, line_world, line)
    response = client.post("/delivery/notifications", data={"kind_outcome_recorded": "email",
                                                            "kind_question_asked": "line"})
    assert response.status_code == 302
    report = file_report(line_world)
    assert [m.channel for m in notify_outcome_recorded(report)] == ["email"]
    page = client.post("/delivery/notifications", data={"kind_outcome_recorded": "pigeon"})
    assert page.status_code == 400 and "LINE" in page.get_data(as_text=True)


def test_without_line_settings_the_options_are_hidden(client, login, line_world, app, monkeypatch):
    monkeypatch.setitem(app.config, "LINE_CHANNEL_SECRET", None)
    login(line_world.member)
    page = client.get("/delivery/notifications?lang=en").get_data(as_text=True)
    assert 'id="line-code"' not in page and 'value="line"' not in page and 'value="email"' in page
    assert client.post("/delivery/notifications", data={"kind_outcome_recorded": "line"}).status_code == 400
    assert client.post("/line/webhook", data=b"{}", headers={"X-Line-Signature": "x"}).status_code == 400


def test_line_down_is_retried_and_nothing_is_lost(client, login, line_world, line, channel_settings):
    login(line_world.member)
    link_member(client, line_world, line)
    line.stop()  # LINE is unreachable
    report = file_report(line_world)
    [message] = notify_outcome_recorded(report)
    _db.session.commit()
    assert run_pass().retrying >= 1
    _db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING and "cannot reach" in message.last_error
    # LINE comes back but is over quota for a moment: 429 with Retry-After backs off through the outbox
    with FakeLine(port=line.port, push_status=lambda n: 429 if n == 1 else 200,
                  push_headers=lambda n: {"Retry-After": "3600"}) as back:
        run_pass(now=message.next_attempt_at)
        _db.session.refresh(message)
        assert message.status == OutboxStatus.PENDING and message.attempts == 2
        assert (message.next_attempt_at - message.last_attempt_at).total_seconds() >= 3600
        run_pass(now=message.next_attempt_at)
        _db.session.refresh(message)
        assert message.status == OutboxStatus.SENT
        assert len([p for p in back.pushes() if p["json"]["to"] == MEMBER_LINE]) == 1


def test_line_status_command_counts_links(client, login, line_world, line, app):
    login(line_world.member)
    link_member(client, line_world, line)
    output = app.test_cli_runner().invoke(args=["line", "status"]).output
    assert "channel secret: set" in output and "linked accounts: 1" in output
    assert "linked station groups: 0" in output and "webhook URL: https://ruamkan.example/line/webhook" in output
    assert SECRET not in output and TOKEN not in output


def test_the_webhook_needs_no_csrf_token_but_its_signature(client, app, monkeypatch, line_world, line):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert deliver(client, event("follow", user_id=MEMBER_LINE)).status_code == 200
    assert deliver(client, event("follow", user_id=MEMBER_LINE), signature=False).status_code == 400
    assert len(line.replies()) == 1


def test_odd_bodies_never_cause_a_server_error(client, line_world, line):
    body = b"{not json"
    assert client.post("/line/webhook", data=body, headers={"X-Line-Signature": sign(body)}).status_code == 400
    odd = [1, {"type": "message", "webhookEventId": "E1", "source": {}, "message": {"type": "sticker"}},
           {"type": "postback", "webhookEventId": "E2", "source": {"userId": MEMBER_LINE},
            "postback": {"data": "reply:not-a-number"}}, {"type": "something-new", "webhookEventId": "E3"}]
    body = json.dumps({"destination": "Ubot", "events": odd}).encode()
    assert client.post("/line/webhook", data=body, headers={"X-Line-Signature": sign(body)}).status_code == 200
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(LineWebhookEvent)) == 3
    assert line.replies() == []



def test_an_answer_on_the_website_tells_the_desk_too(client, login, line_world, line):
    login(line_world.member)
    report = file_report(line_world)
    perform(report, "acknowledge", line_world.desk)
    question = perform(report, "ask_question", line_world.desk, text="Which night of the week?")
    _db.session.commit()
    question_id = question.id if isinstance(question, ReportEvent) else \
        next(e.id for e in report.events if e.kind == "question")
    response = client.post(f"/reports/{report.id}/questions/{question_id}/answer", data={"text": "Friday nights."})
    assert response.status_code == 302
    told = _db.session.scalars(_db.select(OutboxMessage).where(OutboxMessage.kind == "question_answered")).all()
    assert [m.recipient_user_id for m in told] == [line_world.desk.id]
