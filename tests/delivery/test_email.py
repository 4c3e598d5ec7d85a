"""E-mail through a real SMTP server (aiosmtpd): Thai intact, sent once, no personal data."""
from app.delivery.channels.email import message_id
from app.delivery.models import OutboxStatus
from app.delivery.notify import notify_question_asked, notify_report_routed
from app.delivery.worker import run_pass
from tests.delivery.conftest import personal_data_in
from tests.delivery.receivers import SmtpSink, free_port


def use_smtp(config, sink_or_port):
    config["SMTP_HOST"] = "127.0.0.1"
    config["SMTP_PORT"] = getattr(sink_or_port, "port", sink_or_port)
    config["MAIL_FROM"] = "Ruamkan <no-reply@ruamkan.example>"


def test_email_arrives_once_with_thai_text_and_no_personal_data(db, world, channel_settings):
    [message] = notify_report_routed(world.report)
    db.session.commit()
    with SmtpSink() as sink:
        use_smtp(channel_settings, sink)
        first = run_pass()
        second = run_pass()

    assert (first.sent, second.claimed) == (1, 0)
    [mail] = sink.messages
    assert mail["To"] == "desk@example.test"
    assert mail["Subject"] == f"[ร่วมกัน] เรื่องใหม่ {world.report.reference_number} ส่งถึงสภ.เมืองสงขลา"
    body = mail.get_content()
    assert "มีเรื่องร้องเรียนใหม่ส่งถึงสภ.เมืองสงขลา" in body
    assert f"https://ruamkan.example/reports/{world.report.id}" in body
    assert mail["Message-ID"] == f"<{message.idempotency_key}@ruamkan.example>"
    assert personal_data_in(mail.as_string()) == [] and personal_data_in(body) == []
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.attempts == 1


def test_english_recipients_get_english(db, world, channel_settings):
    world.member.preferred_language = "en"
    notify_question_asked(world.report)
    db.session.commit()
    with SmtpSink() as sink:
        use_smtp(channel_settings, sink)
        run_pass()
    [mail] = sink.messages
    assert mail["Subject"] == f"[Ruamkan] Mueang Songkhla asked about {world.report.reference_number}"


def test_the_message_id_is_the_same_on_every_attempt(db, world):
    assert message_id("abc", "Ruamkan <x@ruamkan.example>") == "<abc@ruamkan.example>"
    assert message_id("abc", "x@ruamkan.example") == message_id("abc", "x@ruamkan.example")


def test_a_refused_address_is_dead_at_once(db, world, channel_settings):
    [message] = notify_question_asked(world.report)
    db.session.commit()
    with SmtpSink(refuse="550 5.1.1 no such mailbox") as sink:
        use_smtp(channel_settings, sink)
        result = run_pass()
    assert result.dead == 1 and sink.messages == []
    db.session.refresh(message)
    assert message.status == OutboxStatus.DEAD and "550" in message.last_error


def test_a_temporary_refusal_is_retried(db, world, channel_settings):
    [message] = notify_question_asked(world.report)
    db.session.commit()
    with SmtpSink(refuse="451 4.3.0 try again later") as sink:
        use_smtp(channel_settings, sink)
        result = run_pass()
    assert result.retrying == 1
    db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING and "451" in message.last_error


def test_an_unreachable_server_is_retried_then_delivered(db, world, channel_settings):
    [message] = notify_question_asked(world.report)
    db.session.commit()
    port = free_port()
    use_smtp(channel_settings, port)
    assert run_pass().retrying == 1
    db.session.refresh(message)
    assert "SMTP 127.0.0.1" in message.last_error
    with SmtpSink(port=port) as sink:  # the server comes up on the same port
        assert run_pass(now=message.next_attempt_at).sent == 1
    assert len(sink.messages) == 1


def test_no_smtp_host_is_a_clear_error(db, world):
    [message] = notify_question_asked(world.report)
    db.session.commit()
    run_pass()
    db.session.refresh(message)
    assert message.last_error == "e-mail is not configured: set SMTP_HOST"
