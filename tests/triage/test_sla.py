"""SLA deadlines in UTC judged on the Bangkok calendar, overdue flags, and idempotent escalation."""
from datetime import datetime, timedelta

import pytest

from app.categories.models import Priority
from app.core.timeutil import to_bangkok, to_utc_naive
from app.delivery.models import OutboxMessage
from app.delivery.periodic import registered_jobs
from app.extensions import db
from app.reports.lifecycle import compute_due_times
from app.reports.models import ReportEvent, ReportStatus
from app.reports.workflow import perform
from app.triage.models import SlaEscalation
from app.triage.queries import QueueFilters, queue_page
from app.triage.sla import bangkok_day_bounds, due_today, overdue_deadlines, run_sla_check
from tests.factories import make_category
from tests.triage.conftest import new_report


def bkk(*args):
    """A naive UTC datetime for a Bangkok wall-clock time."""
    return to_utc_naive(datetime(*args))


@pytest.mark.parametrize("priority,ack,act", [(Priority.URGENT, 6, 42), (Priority.HIGH, 12, 84),
                                               (Priority.NORMAL, 24, 168), (Priority.LOW, 36, 252)])
def test_priority_scales_the_category_hours(db, priority, ack, act):
    category = make_category(ack=24, act=168)
    created = datetime(2026, 3, 1, 2, 0)
    assert compute_due_times(category, priority, created) == (created + timedelta(hours=ack),
                                                             created + timedelta(hours=act))
    assert compute_due_times(category, None, created)[0] == created + timedelta(hours=24)  # category default


@pytest.mark.parametrize("created,hours,priority,due", [
    ((2026, 1, 31, 23, 30), 1, Priority.NORMAL, (2026, 2, 1, 0, 30)),      # Bangkok midnight and a month end
    ((2026, 12, 31, 22, 0), 4, Priority.URGENT, (2026, 12, 31, 23, 0)),    # urgent quarters 4 h
    ((2026, 12, 31, 23, 45), 1, Priority.HIGH, (2027, 1, 1, 0, 15)),       # the year turns in Bangkok first
    ((2028, 2, 28, 23, 0), 2, Priority.NORMAL, (2028, 2, 29, 1, 0)),       # leap day
    ((2026, 4, 30, 16, 0), 12, Priority.LOW, (2026, 5, 1, 10, 0)),         # low: 1.5 x
])
def test_deadlines_across_bangkok_midnight_and_month_ends(db, created, hours, priority, due):
    category = make_category(ack=hours, act=hours)
    ack_due, _act_due = compute_due_times(category, priority, bkk(*created))
    assert to_bangkok(ack_due).replace(tzinfo=None) == datetime(*due)


def test_today_is_the_bangkok_calendar_day(db):
    start, end = bangkok_day_bounds(bkk(2026, 2, 1, 0, 10))  # 2026-01-31 17:10 UTC
    assert (start, end) == (datetime(2026, 1, 31, 17, 0), datetime(2026, 2, 1, 17, 0))


def test_due_today_and_overdue_are_judged_in_bangkok(world):
    category = make_category(ack=1, act=48)
    report = new_report(filed_by=world.member, station=world.west, category=category,
                        created_at=bkk(2026, 1, 31, 23, 30))
    assert report.ack_due_at == datetime(2026, 1, 31, 17, 30)  # 00:30 on 1 Feb in Bangkok
    late_evening = bkk(2026, 1, 31, 23, 50)  # same UTC day as the deadline, but the day before in Bangkok
    just_after_midnight = bkk(2026, 2, 1, 0, 10)
    assert not due_today(report, late_evening) and due_today(report, just_after_midnight)
    assert overdue_deadlines(report, just_after_midnight) == []
    assert overdue_deadlines(report, bkk(2026, 2, 1, 0, 31)) == ["ack"]
    db.session.commit()
    today = QueueFilters(due="today")
    assert report.id not in [r.id for r, _o in queue_page(world.desk, today, now=late_evening).rows]
    assert report.id in [r.id for r, _o in queue_page(world.desk, today, now=just_after_midnight).rows]
    # an acknowledgement settles the first deadline; waiting on the member is not overdue
    perform(report, "acknowledge", world.desk, now=just_after_midnight)
    assert overdue_deadlines(report, bkk(2026, 2, 1, 1, 0)) == []
    perform(report, "ask_question", world.desk, text="Where?", now=just_after_midnight)
    assert overdue_deadlines(report, bkk(2026, 2, 9)) == []


def escalations(report):
    return db.session.scalars(db.select(ReportEvent).where(ReportEvent.report_id == report.id,
                                                           ReportEvent.kind == "escalated")
                              .order_by(ReportEvent.id)).all()


def messages():
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "overdue_escalation")
                              .order_by(OutboxMessage.id)).all()


def test_sla_check_escalates_once_per_deadline_and_level(app, world):
    report = world.report  # created an hour ago: acknowledge-by in 23 h, act-by in 167 h
    cli = app.test_cli_runner()
    now = report.ack_due_at + timedelta(minutes=5)

    def check(at):
        result = cli.invoke(args=["sla", "check", "--now", at.isoformat()])
        assert result.exit_code == 0, result.output
        return result.output

    assert "commander 0, coordinator 0" in check(report.ack_due_at - timedelta(minutes=1))
    assert "commander 1, coordinator 0" in check(now)
    assert "commander 0, coordinator 0" in check(now + timedelta(minutes=10))  # run twice: nothing new
    [event] = escalations(report)
    assert event.internal and event.actor_id is None
    assert (event.payload["deadline"], event.payload["level"]) == ("ack", "commander")
    assert event.payload["before"] == event.payload["after"]
    assert [(m.recipient_user_id, m.channel) for m in messages()] == [(world.commander.id, "email")]
    # still missed a day later: the PAO coordinator hears, once
    later = report.ack_due_at + timedelta(hours=24, minutes=1)
    assert "commander 0, coordinator 1" in check(later)
    assert "commander 0, coordinator 0" in check(later + timedelta(hours=1))
    assert [m.recipient_user_id for m in messages()] == [world.commander.id, world.coordinator.id]
    assert db.session.scalar(db.select(db.func.count(SlaEscalation.id))) == 2
    # the act-by deadline is its own deadline with its own levels
    assert "commander 1, coordinator 1" in check(report.act_due_at + timedelta(days=2))
    assert len(escalations(report)) == 4 and len(messages()) == 4


def test_config_sets_the_coordinator_delay_and_an_acknowledged_report_stops_escalating(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "SLA_ESCALATE_COORDINATOR_HOURS", 2)
    report = world.report
    assert run_sla_check(report.ack_due_at + timedelta(hours=3)) == {"commander": 1, "coordinator": 1}
    perform(report, "acknowledge", world.desk)
    assert run_sla_check(report.ack_due_at + timedelta(hours=30)) == {"commander": 0, "coordinator": 0}


def test_a_backlog_is_escalated_in_batches(world):
    for _ in range(3):
        new_report(filed_by=world.member, station=world.west, category=world.sub)
    later = world.report.ack_due_at + timedelta(hours=1)
    assert run_sla_check(later, batch=3)["commander"] == 3
    assert run_sla_check(later, batch=3)["commander"] == 1
    assert run_sla_check(later, batch=3)["commander"] == 0


def test_a_restarted_clock_escalates_anew(world):
    report = new_report(filed_by=world.member, station=world.west, category=world.sub, status=ReportStatus.CLOSED)
    perform(report, "reopen", world.member, reason="Again", now=report.created_at + timedelta(days=1))
    assert report.ack_due_at == report.created_at + timedelta(days=2)  # 24 h from the reopening
    run_sla_check(report.ack_due_at + timedelta(minutes=1))
    run_sla_check(report.ack_due_at + timedelta(minutes=2))
    [event] = escalations(report)
    assert event.payload["due_at"] == report.ack_due_at.isoformat()


def test_sla_check_is_a_periodic_job_of_the_worker(world):
    import app.triage.jobs as jobs

    job = registered_jobs()["sla_check"]  # registered by create_app (app/jobs.py)
    assert job.func is jobs.check_sla and job.every == timedelta(minutes=10)
    assert jobs.check_sla(world.report.ack_due_at + timedelta(minutes=1)) == {"commander": 1, "coordinator": 0}
