"""Periodic jobs: the registry, one run per period across workers, and idempotent MOU reminders."""
from datetime import date, datetime, timedelta

import pytest

from app.accounts.models import Role
from app.delivery.jobs import check_expiring_mous
from app.delivery.models import OutboxMessage, PeriodicJobRun
from app.delivery.periodic import _JOBS, register_periodic, registered_jobs, run_due_jobs
from app.delivery.worker import run_pass
from app.stations.models import MouStatus
from tests.factories import make_mou, make_pao, make_station, make_user

NOW = datetime(2026, 11, 26, 3, 0)  # 10:00 in Bangkok
TODAY = date(2026, 11, 26)


def outbox(db):
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.fixture()
def no_other_jobs():
    """Only the jobs a test registers (conftest restores the registry afterwards)."""
    _JOBS.clear()


def test_a_job_runs_once_per_period_whichever_worker_asks(db, no_other_jobs):
    calls = []
    register_periodic("tick", 3600, calls.append)
    assert run_due_jobs(NOW) == ["tick"]
    assert run_due_jobs(NOW + timedelta(minutes=59)) == []  # another worker, same hour
    assert run_due_jobs(NOW + timedelta(hours=1)) == ["tick"]
    assert calls == [NOW, NOW + timedelta(hours=1)]


def test_a_failing_job_is_logged_retried_soon_and_does_not_stop_the_others(db, no_other_jobs):
    def broken(now):
        raise RuntimeError("boom")

    register_periodic("broken", 86400, broken)
    register_periodic("fine", 86400, lambda now: None)
    assert run_due_jobs(NOW) == ["fine"]
    assert "RuntimeError: boom" in db.session.get(PeriodicJobRun, "broken").last_error
    assert run_due_jobs(NOW + timedelta(minutes=1)) == []
    assert run_due_jobs(NOW + timedelta(minutes=5)) == []  # still failing, but it was tried again
    run = db.session.get(PeriodicJobRun, "broken")
    assert run.last_started_at == NOW + timedelta(minutes=5)
    assert run.next_run_at == NOW + timedelta(minutes=10)


def test_mou_expiring_is_registered_daily():
    job = registered_jobs()["mou_expiring"]
    assert job.every == timedelta(days=1) and job.func is check_expiring_mous


def mou_world(expires_on, **mou):
    pao = make_pao(name_th="อบจ.สงขลา", name_en="Songkhla PAO")
    coordinator = make_user(role=Role.PAO_COORDINATOR, pao=pao)
    coordinator.email = "coordinator@example.test"
    make_user(role=Role.PAO_COORDINATOR, pao=make_pao()).email = "other-pao@example.test"
    station = make_station(name_th="สภ.คลองหอยโข่ง", name_en="Khlong Hoi Khong")
    return coordinator, make_mou(pao=pao, station=station, expires_on=expires_on, **mou)


def test_mou_expiring_notifies_the_pao_coordinators_once(db):
    coordinator, mou = mou_world(TODAY + timedelta(days=45))
    assert check_expiring_mous(NOW) == 1
    assert check_expiring_mous(NOW) == 0
    assert check_expiring_mous(NOW + timedelta(days=1)) == 0
    [message] = outbox(db)
    assert message.kind == "mou_expiring" and message.recipient_user_id == coordinator.id
    assert message.payload["subject"] == "[ร่วมกัน] MOU กับสภ.คลองหอยโข่ง จะสิ้นสุดใน 45 วัน"
    assert "10 ม.ค. 2570" in message.payload["text"]  # Buddhist Era date
    assert message.payload["data"]["mou_id"] == mou.id


def test_each_threshold_reminds_once_and_only_the_tightest_one_reached(db):
    _, mou = mou_world(TODAY + timedelta(days=5))
    assert check_expiring_mous(NOW) == 1  # the 7-day reminder, not 60 and 30 as well
    assert outbox(db)[0].payload["data"]["threshold_days"] == 7
    mou.expires_on = TODAY + timedelta(days=40)  # renewed: a new expiry date is a new reminder
    assert check_expiring_mous(NOW) == 1
    assert check_expiring_mous(NOW + timedelta(days=10)) == 1  # 30 days left now
    assert check_expiring_mous(NOW + timedelta(days=11)) == 0
    assert len(outbox(db)) == 3


def test_ended_open_ended_far_and_past_mous_are_ignored(db):
    mou_world(TODAY + timedelta(days=10), status=MouStatus.ENDED)
    mou_world(None)
    mou_world(TODAY + timedelta(days=61))
    mou_world(TODAY - timedelta(days=1))
    assert check_expiring_mous(NOW) == 0


def test_the_worker_runs_the_job_daily_and_sends_the_reminder_once(db):
    mou_world(TODAY + timedelta(days=20))
    db.session.commit()
    first = run_pass(now=NOW)
    second = run_pass(now=NOW + timedelta(hours=1))
    third = run_pass(now=NOW + timedelta(days=1))
    # other registered jobs (the SLA check) may run too; this one runs once a day
    assert "mou_expiring" in first.jobs and "mou_expiring" not in second.jobs and "mou_expiring" in third.jobs
    assert len(outbox(db)) == 1
