"""LINE Messaging API push messages to council members and coordinators who chose LINE."""
import uuid

from flask import current_app

from app.delivery.channels import NotConfigured, PermanentFailure
from app.delivery.channels.http_post import dumps, post_json

# LINE rejects longer text messages.
MAX_TEXT = 5000
RETRY_KEY_NAMESPACE = uuid.UUID("6f1d3c1e-5b0a-4a57-9c55-7275616d6b61")


def retry_key(idempotency_key):
    """Return the X-Line-Retry-Key (a UUID) derived from the outbox idempotency key."""
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, idempotency_key))


def send(message):
    """Push the message text to the user's LINE account."""
    token = current_app.config.get("LINE_CHANNEL_TOKEN")
    if not token:
        raise NotConfigured("LINE is not configured: set LINE_CHANNEL_TOKEN")
    user = message.recipient_user
    if user is None or not user.line_user_id:
        raise PermanentFailure("the recipient has no LINE account linked")
    payload = message.payload or {}
    text = f"{payload.get('subject', '')}\n\n{payload.get('text', '')}".strip()[:MAX_TEXT]
    base = current_app.config.get("LINE_API_BASE", "https://api.line.me").rstrip("/")
    body = dumps({"to": user.line_user_id, "messages": [{"type": "text", "text": text}]})
    # 409: LINE already accepted a request with this retry key, so the message went out before.
    # 401/403: our channel token is wrong or revoked; retry so fixing the setting is enough.
    post_json(f"{base}/v2/bot/message/push", body,
              {"Authorization": f"Bearer {token}", "X-Line-Retry-Key": retry_key(message.idempotency_key)},
              timeout=float(current_app.config.get("LINE_TIMEOUT", 10)), accept=(409,), retry=(401, 403))
