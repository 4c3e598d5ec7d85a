"""The worker: leases, backoff, dead letters, `flask worker`, graceful stop, and no double sends."""
import os
import random
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

from app import create_app
from app.core.timeutil import utcnow
from app.delivery.models import OutboxMessage, OutboxStatus
from app.delivery.services import enqueue_notification, set_station_webhook
from app.delivery.worker import Worker, backoff_seconds, claim_due, release, run_pass
from app.extensions import db as _db
from config import TestConfig
from tests.conftest import requires_postgres
from tests.delivery.receivers import Receiver
from tests.factories import make_category, make_report, make_station, make_user

ROOT = Path(__file__).resolve().parents[2]


def webhook_messages(url, count, station=None):
    """Commit `count` report_routed messages to one station's webhook; return their ids."""
    station = station or make_station()
    set_station_webhook(station, url, secret="k")
    member, category = make_user(), make_category()
    ids = []
    for _ in range(count):
        report = make_report(filed_by=member, station=station, category=category)
        ids += [m.id for m in enqueue_notification("report_routed", report=report, stations=[station])]
    _db.session.commit()
    return ids


def test_backoff_doubles_is_capped_and_jittered():
    rng = random.Random(7)
    for attempts in range(1, 12):
        nominal = min(3600, 30 * 2 ** attempts)
        value = backoff_seconds(attempts, base=30, cap=3600, jitter=0.2, rng=rng)
        assert nominal * 0.8 <= value <= nominal * 1.2
    values = {backoff_seconds(3, base=30, cap=3600, jitter=0.2, rng=rng) for _ in range(20)}
    assert len(values) > 1


def test_a_lease_keeps_other_workers_out_until_it_expires_or_is_released(db):
    ids = webhook_messages("http://127.0.0.1:9/never", 3)
    now = utcnow()
    assert claim_due("a", now=now, limit=10, lease_seconds=60) == ids
    assert claim_due("b", now=now, limit=10, lease_seconds=60) == []
    release("a", ids[:1])
    assert claim_due("b", now=now, limit=10, lease_seconds=600) == ids[:1]
    # Worker a died: its leases run out and the messages become claimable again.
    assert claim_due("b", now=now + timedelta(seconds=61), limit=10, lease_seconds=60) == ids[1:]
    release("a", ids[1:])  # a stale release by the old owner changes nothing
    assert claim_due("c", now=now + timedelta(seconds=62), limit=10, lease_seconds=60) == []


def test_messages_not_yet_due_or_already_sent_are_not_claimed(db):
    ids = webhook_messages("http://127.0.0.1:9/never", 2)
    now = utcnow()
    first = db.session.get(OutboxMessage, ids[0])
    first.next_attempt_at = now + timedelta(minutes=5)
    db.session.get(OutboxMessage, ids[1]).status = OutboxStatus.SENT
    db.session.commit()
    assert claim_due("a", now=now, limit=10, lease_seconds=60) == []
    assert claim_due("a", now=now + timedelta(minutes=5), limit=10, lease_seconds=60) == [ids[0]]


def test_a_broken_secret_costs_an_attempt_not_the_worker(db):
    [message_id] = webhook_messages("http://127.0.0.1:9/never", 1)
    message = db.session.get(OutboxMessage, message_id)
    message.recipient_station.webhook_secret_sealed = "not-a-fernet-token"
    db.session.commit()
    assert run_pass().retrying == 1
    db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING and "InvalidToken" in message.last_error
    assert message.claimed_by is None


def test_flask_worker_once_sends_due_messages(app, db):
    with Receiver() as receiver:
        ids = webhook_messages(receiver.url, 3)
        result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 3" in result.output
    db.session.expire_all()
    assert {db.session.get(OutboxMessage, i).status for i in ids} == {OutboxStatus.SENT}
    assert len(receiver.requests) == 3


def test_sigterm_finishes_the_message_in_hand_releases_the_rest_and_exits_0(tmp_path):
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    app = create_app(type("FileConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                         "INSTANCE_DIR": str(tmp_path)}))
    with Receiver(delay=1.5) as receiver, app.app_context():
        _db.create_all()
        ids = webhook_messages(receiver.url, 3)
        env = {**os.environ, "WORKER_TEST_DATABASE_URL": url, "RUAMKAN_INSTANCE": str(tmp_path),
               "FLASK_APP": "tests.delivery.worker_app"}
        worker = subprocess.Popen([sys.executable, "-m", "flask", "worker", "--interval", "0.2"], cwd=ROOT,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            assert receiver.first_request.wait(30), "the worker never sent anything"
            worker.send_signal(signal.SIGTERM)
            output, _ = worker.communicate(timeout=30)
        finally:
            worker.kill()
        assert worker.returncode == 0, output.decode()
        _db.session.expire_all()
        statuses = [_db.session.get(OutboxMessage, i) for i in ids]
        assert len(receiver.requests) == 1
        assert [m.status for m in statuses] == [OutboxStatus.SENT, OutboxStatus.PENDING, OutboxStatus.PENDING]
        assert all(m.claimed_by is None for m in statuses)
        _db.session.remove()
        _db.engine.dispose()


@requires_postgres()
def test_concurrent_claims_never_overlap(app, db):
    ids = webhook_messages("http://127.0.0.1:9/never", 300)
    claims, errors = {}, []

    def claimer(name):
        with app.app_context():
            try:
                got = []
                while batch := claim_due(name, now=utcnow(), limit=7, lease_seconds=600):
                    got += batch
                claims[name] = got
            except Exception as error:  # surfaced by the assertion below
                errors.append(error)

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    every = [i for got in claims.values() for i in got]
    assert sorted(every) == sorted(ids), "each message claimed exactly once"


@requires_postgres()
def test_two_workers_send_every_message_exactly_once(app, db, channel_settings):
    channel_settings["OUTBOX_BATCH_SIZE"] = 5
    with Receiver() as receiver:
        ids = webhook_messages(receiver.url, 120)
        errors, sent = [], {"worker-0": 0, "worker-1": 0}

        def work(name):
            with app.app_context():
                try:
                    worker = Worker(worker_id=name)
                    while (result := worker.run_pass(jobs=False)).claimed:
                        sent[name] += result.sent
                except Exception as error:  # surfaced by the assertion below
                    errors.append(error)

        threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert errors == []
    keys = [r["headers"]["Idempotency-Key"] for r in receiver.requests]
    assert len(keys) == len(set(keys)) == len(ids)
    db.session.expire_all()
    messages = [db.session.get(OutboxMessage, i) for i in ids]
    assert {(m.status, m.attempts) for m in messages} == {(OutboxStatus.SENT, 1)}
    assert sum(sent.values()) == len(ids) and min(sent.values()) > 0, sent
