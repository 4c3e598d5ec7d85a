"""Delivery writes: enqueue notifications in the caller's transaction, retry failures, set up channels."""
import hashlib
import logging
import secrets
import uuid
from urllib.parse import urlsplit

from sqlalchemy import insert
from sqlalchemy.orm import make_transient_to_detached

from app.core.timeutil import utcnow
from app.delivery.line_models import LineGroup, NotifyPreference
from app.delivery.messages import KINDS, build_payload, check_extra
from app.delivery.models import Channel, OutboxMessage, OutboxStatus
from app.extensions import db
from app.security.sealing import seal

log = logging.getLogger(__name__)

NOTIFY_CHOICES = ("email", "line", "none")


class DeliverySetupError(ValueError):
    """A channel setting that cannot be saved (bad URL, unknown preference)."""


def user_channel(user, kind=None, chosen=None):
    """Return the channel a user wants a kind of notification on, or None when they want none or cannot get any.

    chosen: the user's preference for this kind when the caller has already read it (kind_preferences)."""
    if not user.is_active:
        return None
    preference = user.notify_channel or "email"
    if kind is not None and chosen is None:
        chosen = kind_preferences([user], kind).get(user.id)
    preference = chosen or preference
    if preference == "none":
        return None
    if preference == "line" and user.line_user_id:
        return Channel.LINE
    # A LINE preference without a linked LINE account falls back to e-mail rather than going silent.
    return Channel.EMAIL if user.email else None


def kind_preferences(users, kind):
    """Return {user id: channel} of the users who chose a channel for this kind, in one statement."""
    ids = [user.id for user in users]
    if not ids:
        return {}
    return dict(db.session.execute(db.select(NotifyPreference.user_id, NotifyPreference.channel).where(
        NotifyPreference.user_id.in_(ids), NotifyPreference.kind == kind)).all())


def station_channels(station):
    """Return the channels a station is reached on: its signed webhook, its desk e-mail, its LINE group."""
    if not station.active:
        return []
    channels = []
    if station.webhook_url:
        channels.append(Channel.WEBHOOK)
    if station.notify_email:
        channels.append(Channel.EMAIL)
    if has_line_group(station):
        channels.append(Channel.LINE)
    return channels


def has_line_group(station):
    """Return True when the station's LINE group chat is linked."""
    return db.session.scalar(_LINE_GROUP, {"station_id": station.id}) is not None


# Asked for every report routed: built once.
_LINE_GROUP = db.select(LineGroup.id).where(LineGroup.station_id == db.bindparam("station_id"))


def derived_key(base, recipient, channel):
    """Return a deterministic idempotency key for (base, recipient, channel), so a job can run twice safely."""
    return hashlib.sha256(f"{base}|{recipient}|{channel.value}".encode()).hexdigest()[:32]


def enqueue_notification(kind, *, report=None, users=(), stations=(), line_groups=(), payload=None, key=None,
                         chosen=None, now=None):
    """Add one outbox row per (recipient, channel) to the current transaction; the caller commits.

    With `key`, each row's idempotency key is derived from it and rows that already exist are skipped,
    which makes periodic jobs idempotent; without it every call enqueues new messages.
    `line_groups` are stations reached only on their LINE group (when one is linked). `chosen`: the users'
    {user id: channel} for this kind when the caller read them with the users (else kind_preferences reads them).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    extra = check_extra(payload)
    now = now or utcnow()
    if report is not None and report.id is None:
        db.session.flush()  # a report created in this transaction needs its id and defaults
    users = _unique(users)
    chosen = kind_preferences(users, kind) if chosen is None else chosen
    targets = [(user, None, "th" if user.preferred_language not in ("th", "en") else user.preferred_language,
                [user_channel(user, kind, chosen.get(user.id, ""))]) for user in users]
    # Stations are Thai institutions; their desks read Thai.
    targets += [(None, station, "th", station_channels(station)) for station in _unique(stations)]
    targets += [(None, station, "th", [Channel.LINE]) for station in _unique(line_groups)
                if station.id not in {s.id for s in stations if s is not None} and has_line_group(station)]
    payloads, rows = {}, []
    for user, station, lang, channels in targets:
        recipient = f"user:{user.id}" if user else f"station:{station.id}"
        for channel in filter(None, channels):
            idempotency_key = derived_key(key, recipient, channel) if key else uuid.uuid4().hex
            if key and db.session.scalar(db.select(OutboxMessage.id).where(
                    OutboxMessage.idempotency_key == idempotency_key)):
                continue
            if lang not in payloads:
                payloads[lang] = build_payload(kind, lang, report=report, extra=extra)
            rows.append(dict(
                idempotency_key=idempotency_key, kind=kind, channel=channel.value, language=lang,
                recipient_user_id=user.id if user else None, recipient_station_id=station.id if station else None,
                report_id=report.id if report is not None else None, payload=payloads[lang],
                status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, created_at=now, **_UNSET))
    db.session.flush()
    messages = _insert_messages(rows) if rows else []
    if messages:
        log.info("enqueued %d %s notification(s)", len(messages), kind)
    return messages


# The columns a new message leaves empty: with them, every column of the row is known without reading it back.
_UNSET = dict.fromkeys(("last_error", "sent_at", "claimed_by", "claimed_until", "last_attempt_at"))


def _insert_messages(rows):
    # New rows only, every column known but the id: one INSERT that returns just the ids, then the messages
    # join the session as the persistent rows they are (reading whole rows back cost more than the insert).
    table = OutboxMessage.__table__
    ids = dict(db.session.execute(insert(table).returning(table.c.idempotency_key, table.c.id), rows).all())
    messages = []
    for row in rows:
        message = OutboxMessage(id=ids[row["idempotency_key"]], **row)
        make_transient_to_detached(message)
        db.session.add(message)
        messages.append(message)
    return messages


def _unique(objects):
    seen, result = set(), []
    for obj in objects:
        if obj is not None and obj.id not in seen:
            seen.add(obj.id)
            result.append(obj)
    return result


def retry_message(message, *, actor=None, now=None):
    """Put a dead or failing message back in the queue with a fresh set of attempts."""
    # A lease is left alone: a worker may be sending this very message, and clearing its lease
    # would let a second worker send it too.
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now or utcnow()
    db.session.flush()
    log.info("outbox message %s queued again by %s", message.id, actor.username if actor else "system")
    return message


def retry_dead_messages(*, actor=None, now=None):
    """Put every dead message back in the queue; return how many."""
    result = db.session.execute(
        db.update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.DEAD)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now or utcnow())
        .execution_options(synchronize_session="fetch"))
    db.session.flush()
    log.info("%d dead outbox messages queued again by %s", result.rowcount,
             actor.username if actor else "system")
    return result.rowcount


def set_station_webhook(station, url, secret=None):
    """Point a station's notifications at a webhook URL; return the signing secret (shown once)."""

    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DeliverySetupError(f"webhook URL must be http(s)://host/...: {url!r}")
    secret = secret or secrets.token_hex(32)
    station.webhook_url = url
    station.webhook_secret_sealed = seal(secret)
    db.session.flush()
    log.info("webhook set for station %s", station.code)
    return secret


def set_notify_preference(user, channel, *, line_user_id=None):
    """Set how a user gets notifications: email, line or none."""
    if channel not in NOTIFY_CHOICES:
        raise DeliverySetupError(f"notify channel must be one of {', '.join(NOTIFY_CHOICES)}")
    user.notify_channel = channel
    if line_user_id is not None:
        user.line_user_id = line_user_id or None
    db.session.flush()
    return user
