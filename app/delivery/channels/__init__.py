"""Channels that carry an outbox message out: e-mail, signed webhook, LINE push."""


class DeliveryError(Exception):
    """A send that failed; the worker retries it later unless it is permanent."""

    permanent = False

    def __init__(self, message, *, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after  # seconds the peer asked us to wait, if it said


class PermanentFailure(DeliveryError):
    """A send that can never succeed as it is (rejected address, 4xx): dead-letter it now."""

    permanent = True


class NotConfigured(DeliveryError):
    """The channel has no server or token configured; retried, so fixing the setting is enough."""


def deliver(message):
    """Send one outbox message on its channel; raise DeliveryError when it did not go out."""
    from app.delivery.channels import email, line, webhook

    senders = {"email": email.send, "webhook": webhook.send, "line": line.send}
    sender = senders.get(message.channel)
    if sender is None:
        raise PermanentFailure(f"unknown channel {message.channel!r}")
    sender(message)
