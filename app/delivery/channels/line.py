"""LINE Messaging API: push outbox messages to a linked user or a station's group, reply to webhook events.

The API contract used: POST /v2/bot/message/push and /v2/bot/message/reply, GET /v2/bot/profile/{userId},
all with `Authorization: Bearer <channel access token>`; pushes carry X-Line-Retry-Key so a retried push
is delivered once (LINE answers 409 when it already accepted that key).
"""
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid

from flask import current_app

from app.delivery.channels import DeliveryError, NotConfigured, PermanentFailure
from app.delivery.channels.http_post import dumps, post_json

log = logging.getLogger(__name__)

RETRY_KEY_NAMESPACE = uuid.UUID("6f1d3c1e-5b0a-4a57-9c55-7275616d6b61")


def retry_key(idempotency_key):
    """Return the X-Line-Retry-Key (a UUID) derived from the outbox idempotency key."""
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, idempotency_key))


def configured():
    """Return True when both the channel secret and token are set (otherwise LINE options are hidden)."""
    config = current_app.config
    return bool(config.get("LINE_CHANNEL_SECRET") and config.get("LINE_CHANNEL_TOKEN"))


def _base():
    return (current_app.config.get("LINE_API_BASE") or "https://api.line.me").rstrip("/")


def _token():
    token = current_app.config.get("LINE_CHANNEL_TOKEN")
    if not token:
        raise NotConfigured("LINE is not configured: set LINE_CHANNEL_TOKEN")
    return token


def _timeout():
    return float(current_app.config.get("LINE_TIMEOUT", 10))


def recipient_id(message):
    """Return the LINE id a message goes to: the user's LINE user id, or the station's group id."""
    from app.delivery.line_models import LineGroup
    from app.extensions import db

    if message.recipient_user is not None:
        return message.recipient_user.line_user_id
    if message.recipient_station_id is not None:
        return db.session.scalar(db.select(LineGroup.group_id).where(
            LineGroup.station_id == message.recipient_station_id))
    return None


def send(message):
    """Push the message, as a short Flex message with a button to the report, to its LINE recipient."""
    from app.delivery.line_messages import outbox_flex

    token = _token()
    to = recipient_id(message)
    if not to:
        raise PermanentFailure("the recipient has no LINE account or group linked")
    body = dumps({"to": to, "messages": [outbox_flex(message)]})
    # 409: LINE already accepted a request with this retry key, so the message went out before.
    # 401/403: our channel token is wrong or revoked; retry so fixing the setting is enough.
    # 429 (rate or monthly quota) is retried with back-off, honouring Retry-After.
    post_json(f"{_base()}/v2/bot/message/push", body,
              {"Authorization": f"Bearer {token}", "X-Line-Retry-Key": retry_key(message.idempotency_key)},
              timeout=_timeout(), accept=(409,), retry=(401, 403))


def reply(reply_token, messages):
    """Answer a webhook event with its reply token; return True when LINE accepted it (failures are logged)."""
    if not reply_token:
        return False
    try:
        post_json(f"{_base()}/v2/bot/message/reply", dumps({"replyToken": reply_token, "messages": messages}),
                  {"Authorization": f"Bearer {_token()}"}, timeout=min(_timeout(), 5))
    except DeliveryError as error:
        # A reply token lives about a minute and is good once; there is nothing to retry later.
        log.warning("LINE reply failed: %s", error)
        return False
    return True


def profile(line_user_id):
    """Return the user's LINE profile (displayName, language…) or {} when it cannot be read."""
    url = f"{_base()}/v2/bot/profile/{urllib.parse.quote(line_user_id, safe='')}"
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return {}
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {_token()}"})
    try:
        # the scheme was checked above: only http(s) reaches urlopen
        with urllib.request.urlopen(request, timeout=min(_timeout(), 5)) as response:  # nosec B310
            return json.loads(response.read(20000).decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        log.warning("LINE profile of a user could not be read: %s", error)
        return {}
