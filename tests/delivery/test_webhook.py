"""Signed webhooks to a real local HTTP server: valid signatures, exactly-once by idempotency key."""
import hashlib
import hmac
import time
from datetime import timedelta

from app.core.timeutil import utcnow
from app.delivery.models import OutboxMessage, OutboxStatus
from app.delivery.services import enqueue_notification, set_station_webhook
from app.delivery.worker import run_pass
from tests.delivery.conftest import personal_data_in
from tests.delivery.receivers import Receiver, free_port
from tests.factories import make_report

SECRET = "s3cret-for-tests"


def routed_messages(db, world, url, count):
    set_station_webhook(world.station, url + "/ruamkan", secret=SECRET)
    reports = [world.report] + [make_report(filed_by=world.member, station=world.station) for _ in range(count - 1)]
    messages = [m for r in reports for m in enqueue_notification("report_routed", report=r, stations=[world.station])]
    db.session.commit()
    return messages


def passes_until_quiet(now, limit=20):
    """Run worker passes, jumping past every backoff (no sleeping), until nothing is left to do."""
    for _ in range(limit):
        result = run_pass(now=now)
        if result.claimed == 0:
            return now
        now += timedelta(days=1)
    raise AssertionError("the outbox never drained")


def test_signature_timestamp_and_idempotency_key_are_valid(db, world):
    with Receiver() as receiver:
        [message] = routed_messages(db, world, receiver.url, 1)
        assert run_pass().sent == 1
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Ruamkan-Signature"], expected)
    assert headers["Idempotency-Key"] == message.idempotency_key
    assert abs(int(headers["X-Ruamkan-Timestamp"]) - time.time()) < 60
    assert request["path"] == "/ruamkan"
    event = receiver.json(request)
    assert event["event"] == "report_routed" and event["id"] == message.idempotency_key
    assert event["data"]["reference_number"] == world.report.reference_number
    assert event["data"]["station_code"] == world.station.code
    assert personal_data_in(body.decode("utf-8")) == []


def test_a_receiver_down_then_up_gets_every_message_exactly_once(db, world):
    # The first 7 requests get 503 (the station's system is restarting), then it answers 200.
    with Receiver(status_for=lambda n: 503 if n <= 7 else 200) as receiver:
        messages = routed_messages(db, world, receiver.url, 5)
        passes_until_quiet(utcnow())
    keys = [r["headers"]["Idempotency-Key"] for r in receiver.accepted()]
    assert sorted(keys) == sorted(m.idempotency_key for m in messages)
    assert len(receiver.requests) == 7 + 5
    db.session.expire_all()
    assert {m.status for m in messages} == {OutboxStatus.SENT}


def test_a_receiver_not_listening_at_first_gets_every_message_once_when_it_starts(db, world):
    port = free_port()
    messages = routed_messages(db, world, f"http://127.0.0.1:{port}", 3)
    now = utcnow()
    assert run_pass(now=now).retrying == 3
    db.session.expire_all()
    assert all("cannot reach" in m.last_error for m in messages)
    with Receiver(port=port) as receiver:
        passes_until_quiet(now + timedelta(days=1))
    assert sorted(r["headers"]["Idempotency-Key"] for r in receiver.requests) == sorted(
        m.idempotency_key for m in messages)


def test_the_body_and_key_are_the_same_on_every_attempt(db, world):
    with Receiver(status_for=lambda n: 500 if n == 1 else 200) as receiver:
        routed_messages(db, world, receiver.url, 1)
        passes_until_quiet(utcnow())
    first, second = receiver.requests
    assert first["body"] == second["body"]
    assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]


def test_a_4xx_answer_is_permanent_but_408_and_429_are_retried(db, world):
    with Receiver(status_for=lambda n: {1: 429, 2: 408}.get(n, 410)) as receiver:
        [message] = routed_messages(db, world, receiver.url, 1)
        passes_until_quiet(utcnow())
    db.session.refresh(message)
    assert [r["status"] for r in receiver.requests] == [429, 408, 410]
    assert message.status == OutboxStatus.DEAD and message.attempts == 3 and "HTTP 410" in message.last_error


def test_retry_after_is_honoured(db, world):
    with Receiver(status_for=lambda n: 503, headers_for=lambda n: {"Retry-After": "3600"}) as receiver:
        [message] = routed_messages(db, world, receiver.url, 1)
        now = utcnow()
        run_pass(now=now)
    db.session.refresh(message)
    assert message.next_attempt_at >= now + timedelta(seconds=3600)


def test_a_slow_receiver_times_out_and_is_retried(db, world, channel_settings):
    channel_settings["WEBHOOK_TIMEOUT"] = 0.3
    with Receiver(delay=1.0) as receiver:
        [message] = routed_messages(db, world, receiver.url, 1)
        assert run_pass().retrying == 1
    db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING and "timed out" in message.last_error


def test_always_failing_receiver_ends_dead_after_max_attempts_keeping_the_error(db, world, channel_settings):
    channel_settings["OUTBOX_MAX_ATTEMPTS"] = 4
    with Receiver(status_for=lambda n: 502) as receiver:
        [message] = routed_messages(db, world, receiver.url, 1)
        passes_until_quiet(utcnow())
    db.session.refresh(message)
    assert len(receiver.requests) == 4
    assert message.status == OutboxStatus.DEAD and message.attempts == 4 and "HTTP 502" in message.last_error
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1
