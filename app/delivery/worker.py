"""The outbox worker: lease due messages, send them, retry with backoff, dead-letter the hopeless.

A message is claimed by setting claimed_by/claimed_until in a committed transaction (on PostgreSQL the
candidates are picked with FOR UPDATE SKIP LOCKED; on SQLite by a conditional UPDATE per row whose
rowcount says who won). While the lease runs no other worker can claim the row, so two workers never
send the same message. If a worker dies mid-send its lease expires and the message is sent again
with the same idempotency key, which the receiver uses to drop the duplicate.
"""
import logging
import os
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app

from app.core.timeutil import utcnow
from app.delivery.channels import DeliveryError, deliver
from app.delivery.models import OutboxMessage, OutboxStatus
from app.delivery.periodic import run_due_jobs
from app.extensions import db

log = logging.getLogger(__name__)

DEFAULTS = {"OUTBOX_MAX_ATTEMPTS": 8, "OUTBOX_BACKOFF_BASE": 30, "OUTBOX_BACKOFF_CAP": 6 * 3600,
            "OUTBOX_BACKOFF_JITTER": 0.2, "OUTBOX_BATCH_SIZE": 20, "OUTBOX_LEASE_SECONDS": 600,
            "WORKER_INTERVAL": 5}


def setting(name):
    """Return a delivery setting from the app config, or its default."""
    return current_app.config.get(name, DEFAULTS.get(name))


@dataclass
class PassResult:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    released: int = 0
    jobs: list = field(default_factory=list)

    def __str__(self):
        jobs = ", ".join(self.jobs) or "none"
        return (f"claimed {self.claimed}, sent {self.sent}, retrying {self.retrying}, dead {self.dead}, "
                f"released {self.released}; periodic jobs run: {jobs}")


def backoff_seconds(attempts, *, base, cap, jitter, rng=random):
    """Return the wait before the next attempt: base * 2**attempts, capped, then ± jitter (a fraction)."""
    delay = min(float(cap), float(base) * 2 ** attempts)
    # Jitter spreads retries so a receiver coming back up is not hit by every message at once.
    return max(1.0, delay * (1 + rng.uniform(-jitter, jitter)))


def _due(now):
    return db.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now,
                   db.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))


def claim_due(worker_id, *, now, limit, lease_seconds):
    """Lease up to `limit` due messages to this worker and commit; return their ids, oldest first."""
    until = now + timedelta(seconds=lease_seconds)
    query = (db.select(OutboxMessage.id).where(_due(now))
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    lease = {"claimed_by": worker_id, "claimed_until": until}
    if db.session.get_bind().dialect.name == "postgresql":
        ids = db.session.scalars(query.with_for_update(skip_locked=True)).all()
        if ids:
            db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(**lease)
                               .execution_options(synchronize_session=False))
    else:
        ids = []
        for message_id in db.session.scalars(query).all():
            # Only one UPDATE can match while the row is free: the rowcount tells whether we won it.
            won = db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id == message_id, _due(now))
                                     .values(**lease).execution_options(synchronize_session=False))
            if won.rowcount == 1:
                ids.append(message_id)
    db.session.commit()
    return ids


def release(worker_id, ids):
    """Give back leases this worker holds but will not use (it is stopping or short of time)."""
    if ids:
        db.session.execute(db.update(OutboxMessage)
                           .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == worker_id)
                           .values(claimed_by=None, claimed_until=None)
                           .execution_options(synchronize_session=False))
        db.session.commit()


class Worker:
    """One worker process (or thread): run_pass() once, or run_forever() until stop()."""

    def __init__(self, *, worker_id=None, rng=None):
        self.id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.rng = rng or random.Random()
        self._stop = threading.Event()

    def stop(self, *_signal_args):
        """Ask the worker to finish the message in hand and return (safe from a signal handler)."""
        self._stop.set()

    @property
    def stopping(self):
        return self._stop.is_set()

    def run_forever(self, interval=None):
        """Run passes every `interval` seconds until stop(); errors are logged, never fatal."""
        interval = float(interval if interval is not None else setting("WORKER_INTERVAL"))
        log.info("outbox worker %s started (every %ss)", self.id, interval)
        while not self.stopping:
            try:
                self.run_pass()
            except Exception:  # the database may be away for a moment; try again next round
                db.session.rollback()
                log.exception("outbox worker pass failed")
            self._stop.wait(interval)
        db.session.remove()
        log.info("outbox worker %s stopped", self.id)

    def run_pass(self, now=None, *, jobs=True):
        """Run due periodic jobs, then send every due message once; `now` is injectable for tests."""
        now = now or utcnow()
        started = time.monotonic()

        def clock():
            return now + timedelta(seconds=time.monotonic() - started)

        result = PassResult(jobs=run_due_jobs(now) if jobs else [])
        limit, lease = int(setting("OUTBOX_BATCH_SIZE")), int(setting("OUTBOX_LEASE_SECONDS"))
        while not self.stopping:
            ids = claim_due(self.id, now=clock(), limit=limit, lease_seconds=lease)
            result.claimed += len(ids)
            self._send_claimed(ids, clock, clock() + timedelta(seconds=lease), result)
            if len(ids) < limit:
                break
        return result

    def _send_claimed(self, ids, clock, lease_until, result):
        budget = timedelta(seconds=3 * max(float(current_app.config.get(k, 10))
                                           for k in ("WEBHOOK_TIMEOUT", "SMTP_TIMEOUT", "LINE_TIMEOUT")))
        for index, message_id in enumerate(ids):
            # Never start a send that could outlive the lease: another worker could then send it too.
            if self.stopping or clock() + budget >= lease_until:
                release(self.id, ids[index:])
                result.released += len(ids) - index
                return
            message = db.session.get(OutboxMessage, message_id)
            if message is None or message.claimed_by != self.id or message.status != OutboxStatus.PENDING:
                continue
            outcome = self._attempt(message, clock())
            setattr(result, outcome, getattr(result, outcome) + 1)

    def _attempt(self, message, at):
        """Send one message and record the outcome; return 'sent', 'retrying' or 'dead'."""
        message.attempts += 1
        message.last_attempt_at = at
        try:
            deliver(message)
        except DeliveryError as error:
            outcome = self._failed(message, error, at)
        except Exception as error:  # a bug in a channel must cost one attempt, not the worker
            log.exception("outbox message %s: unexpected error", message.id)
            outcome = self._failed(message, DeliveryError(f"{type(error).__name__}: {error}"), at)
        else:
            message.status, message.sent_at, outcome = OutboxStatus.SENT, at, "sent"
        message.claimed_by = message.claimed_until = None
        db.session.commit()
        log.info("outbox message %s (%s/%s) attempt %d: %s", message.id, message.kind, message.channel,
                 message.attempts, outcome)
        return outcome

    def _failed(self, message, error, at):
        message.last_error = str(error)[:2000]
        if error.permanent or message.attempts >= int(setting("OUTBOX_MAX_ATTEMPTS")):
            message.status = OutboxStatus.DEAD
            return "dead"
        cap = float(setting("OUTBOX_BACKOFF_CAP"))
        delay = backoff_seconds(message.attempts, base=setting("OUTBOX_BACKOFF_BASE"), cap=cap,
                                jitter=float(setting("OUTBOX_BACKOFF_JITTER")), rng=self.rng)
        if error.retry_after:
            delay = max(delay, min(float(error.retry_after), cap))
        message.next_attempt_at = at + timedelta(seconds=delay)
        return "retrying"


def run_pass(now=None, *, jobs=True, worker_id=None):
    """Run one worker pass (tests and `flask worker --once`)."""
    return Worker(worker_id=worker_id).run_pass(now, jobs=jobs)
