"""Signed webhooks: POST the event as JSON to the station's own system."""
import hashlib
import hmac
import time

from flask import current_app

from app.delivery.channels import PermanentFailure
from app.delivery.channels.http_post import dumps, post_json
from app.security.sealing import unseal


def sign(secret, body):
    """Return the X-Ruamkan-Signature value: sha256=<hex HMAC-SHA256 of the raw body>."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def event_body(message):
    """Return the JSON bytes a station receives; the same bytes on every attempt of one message."""
    payload = message.payload or {}
    return dumps({"id": message.idempotency_key, "event": message.kind, "language": message.language,
                  "created_at": message.created_at.isoformat() + "Z", "subject": payload.get("subject", ""),
                  "text": payload.get("text", ""), "data": payload.get("data", {})})


def send(message):
    """POST the message to its station's webhook URL, signed with the station's secret."""

    station = message.recipient_station
    if station is None or not station.webhook_url or not station.webhook_secret_sealed:
        raise PermanentFailure("the station has no webhook URL and secret any more")
    body = event_body(message)
    headers = {"X-Ruamkan-Signature": sign(unseal(station.webhook_secret_sealed), body),
               "X-Ruamkan-Timestamp": str(int(time.time())),
               "X-Ruamkan-Event": message.kind,
               "Idempotency-Key": message.idempotency_key,
               "User-Agent": "Ruamkan-Webhook/1"}
    post_json(station.webhook_url, body, headers, timeout=float(current_app.config.get("WEBHOOK_TIMEOUT", 10)))
