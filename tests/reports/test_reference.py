"""Reference numbers: per PAO and Buddhist Era year, sequential, no gaps, unique under concurrency."""
import threading
import uuid
from datetime import datetime

import pytest

from app.accounts.models import User
from app.categories.models import Category
from app.extensions import db
from app.reports.intake import ReportDraft
from app.reports.models import Report
from app.reports.reference import issue_reference, normalise_secret, reference_year
from app.reports.services import submit_report
from app.reports.signals import report_routed
from tests.conftest import requires_postgres
from tests.factories import make_pao, make_user
from tests.reports.factories_reports import WEST_POINT


def _draft(category, key=None, lat=WEST_POINT[0]):
    return ReportDraft(category=category, narrative="Cars racing at night near the school", lat=lat,
                       lon=WEST_POINT[1], idempotency_key=key or str(uuid.uuid4()), confirmed_new=True)


def test_year_is_the_bangkok_calendar_year_in_buddhist_era():
    assert reference_year(datetime(2026, 12, 31, 16, 59)) == 2569  # 23:59 in Bangkok
    assert reference_year(datetime(2026, 12, 31, 17, 0)) == 2570   # midnight in Bangkok


def test_numbers_restart_each_year_and_are_per_pao(world):
    other = make_pao(prefix="OTH")
    last_2569 = datetime(2026, 12, 31, 16, 59)
    first_2570 = datetime(2026, 12, 31, 17, 0)
    prefix = world.pao.reference_prefix
    assert issue_reference(world.pao, last_2569) == f"{prefix}-2569-000001"
    assert issue_reference(world.pao, last_2569) == f"{prefix}-2569-000002"
    assert issue_reference(other, last_2569) == "OTH-2569-000001"
    assert issue_reference(world.pao, first_2570) == f"{prefix}-2570-000001"
    assert issue_reference(world.pao, last_2569) == f"{prefix}-2569-000003"
    assert issue_reference(other, first_2570) == "OTH-2570-000001"


def test_a_rolled_back_submit_leaves_no_gap(world):
    member_id, category_id = world.member.id, world.category.id
    report, _ = submit_report(world.member, _draft(world.category))
    db.session.commit()
    assert report.reference_number.endswith("-000001")
    member, category = db.session.get(User, member_id), db.session.get(Category, category_id)

    def failing_receiver(report, **_data):  # e.g. the outbox cannot be written: the whole filing rolls back
        raise RuntimeError("outbox down")
    report_routed.connect(failing_receiver)
    try:
        with pytest.raises(RuntimeError):
            submit_report(member, _draft(category, lat=7.25))
    finally:
        report_routed.disconnect(failing_receiver)
    db.session.rollback()
    member, category = db.session.get(User, member_id), db.session.get(Category, category_id)
    report, _ = submit_report(member, _draft(category, lat=7.15))
    db.session.commit()
    assert report.reference_number.endswith("-000002")


def test_submit_numbers_the_report_in_the_year_it_was_filed(world):
    report, created = submit_report(world.member, _draft(world.category), now=datetime(2027, 3, 1, 3, 0))
    assert created and report.reference_number == f"{world.pao.reference_prefix}-2570-000001"


def test_secret_is_normalised():
    assert normalise_secret(" ab-cd 23 ") == "ABCD23"


def _run_in_threads(app, count, work):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@requires_postgres()
def test_concurrent_submits_get_unique_gap_free_numbers(app, world):
    members = [make_user(pao=world.pao) for _ in range(12)]
    db.session.commit()
    member_ids, category_id = [m.id for m in members], world.category.id

    failing = {round(7.11 + i * 0.01, 6) for i in range(len(member_ids)) if i % 4 == 3}

    def fail_late(report, **_extra):
        # A submit that fails after its number was taken (in the same transaction) must not burn the number.
        if round(report.lat, 6) in failing:
            raise RuntimeError("late failure")

    def work(i):
        member = db.session.get(User, member_ids[i])
        category = db.session.get(Category, category_id)
        try:
            report, _ = submit_report(member, _draft(category, lat=7.11 + i * 0.01))
        except RuntimeError:
            db.session.rollback()
            return None
        return report.reference_number

    report_routed.connect(fail_late)
    try:
        results, errors = _run_in_threads(app, len(member_ids), work)
    finally:
        report_routed.disconnect(fail_late)
    assert errors == []
    committed = sorted(n for n in results if n)
    assert len(committed) == 9
    assert [int(n[-6:]) for n in committed] == list(range(1, 10))
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 9


@requires_postgres()
def test_concurrent_retries_with_one_key_make_one_report(app, world):
    key, member_id, category_id = str(uuid.uuid4()), world.member.id, world.category.id

    def work(_i):
        member = db.session.get(User, member_id)
        report, created = submit_report(member, _draft(db.session.get(Category, category_id), key=key))
        db.session.commit()
        return report.id, created

    results, errors = _run_in_threads(app, 6, work)
    assert errors == []
    assert len({report_id for report_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert db.session.scalar(db.select(Report.reference_number)).endswith("-000001")
