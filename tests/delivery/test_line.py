"""LINE push messages against a local stand-in for the LINE API."""
import json
import uuid

from app.delivery.channels.line import retry_key
from app.delivery.models import OutboxStatus
from app.delivery.notify import notify_outcome_recorded
from app.delivery.services import set_notify_preference
from app.delivery.worker import run_pass
from tests.delivery.conftest import personal_data_in
from tests.delivery.receivers import Receiver


def line_message(db, world):
    set_notify_preference(world.member, "line", line_user_id="U0123456789abcdef")
    [message] = notify_outcome_recorded(world.report)
    db.session.commit()
    return message


def test_push_has_token_retry_key_and_thai_text(db, world, channel_settings):
    with Receiver() as line_api:
        channel_settings.update(LINE_API_BASE=line_api.url, LINE_CHANNEL_TOKEN="test-token")
        message = line_message(db, world)
        assert run_pass().sent == 1
    [request] = line_api.requests
    assert request["path"] == "/v2/bot/message/push"
    assert request["headers"]["Authorization"] == "Bearer test-token"
    assert request["headers"]["X-Line-Retry-Key"] == retry_key(message.idempotency_key)
    assert uuid.UUID(request["headers"]["X-Line-Retry-Key"])
    body = json.loads(request["body"])
    assert body["to"] == "U0123456789abcdef"
    [flex] = body["messages"]
    assert flex["type"] == "flex" and "ผลการดำเนินการเรื่อง" in flex["altText"]
    [button] = flex["contents"]["footer"]["contents"]
    assert button["action"] == {"type": "uri", "label": "เปิดดูเรื่อง",
                                "uri": f"https://ruamkan.example/reports/{world.report.id}"}
    assert personal_data_in(request["body"].decode("utf-8")) == []


def test_the_retry_key_is_stable_and_a_409_means_already_sent(db, world, channel_settings):
    with Receiver(status_for=lambda n: 500 if n == 1 else 409) as line_api:
        channel_settings.update(LINE_API_BASE=line_api.url, LINE_CHANNEL_TOKEN="test-token")
        message = line_message(db, world)
        assert run_pass().retrying == 1
        db.session.refresh(message)
        assert run_pass(now=message.next_attempt_at).sent == 1
    db.session.refresh(message)
    first, second = line_api.requests
    assert first["headers"]["X-Line-Retry-Key"] == second["headers"]["X-Line-Retry-Key"]
    assert message.status == OutboxStatus.SENT


def test_without_a_token_the_message_fails_clearly_and_dies_after_max_attempts(db, world, channel_settings):
    channel_settings["OUTBOX_MAX_ATTEMPTS"] = 3
    message = line_message(db, world)
    for _ in range(3):
        db.session.refresh(message)
        run_pass(now=message.next_attempt_at)
    db.session.refresh(message)
    assert message.status == OutboxStatus.DEAD and message.attempts == 3
    assert message.last_error == "LINE is not configured: set LINE_CHANNEL_TOKEN"
