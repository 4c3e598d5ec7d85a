"""Rollups give the figures a direct computation gives, stay current incrementally, and run as a periodic job."""
import random
from datetime import date, datetime, timedelta

import pytest

from app.core.timeutil import utcnow
from app.delivery.periodic import registered_jobs
from app.extensions import db
from app.oversight import histogram
from app.oversight.dashboard import dashboard_data
from app.oversight.facts import iter_facts
from app.oversight.models import RollupEntry, StatsRollup
from app.oversight.rollup import refresh_rollups, rollups_refreshed_at
from app.oversight.scope import Filters, Scope
from app.reports.models import Report
from tests.conftest import requires_postgres
from tests.oversight.conftest import NOW
from tests.oversight.helpers import filed, step

PERIOD = Filters(date(2026, 1, 1), date(2026, 6, 1))


def comparable(data):
    """Every figure of a dashboard as plain values, for comparing two sources."""
    def values(f):
        return (f.reports, f.open_reports, f.overdue, f.ack_median, f.ack_p90, f.act_median, f.act_p90,
                f.ack_sla, f.act_sla, f.transfer_rate, f.reopen_rate, f.ack_hist, f.act_hist)
    return {"total": values(data.total),
            "months": [(m, values(f)) for m, f in data.by_month],
            "stations": sorted((s.code if s else "", values(f)) for s, f in data.by_station),
            "categories": sorted((e["category"].code, values(e["figures"])) for e in data.by_category),
            # the amphoe table shows counts only, so the rollups keep only those per amphoe
            "amphoe": sorted((c or "", (f.reports, f.open_reports, f.overdue)) for c, _n, f in data.by_amphoe)}


@pytest.fixture()
def random_reports(world):
    """120 reports over five months with random timings, stations, categories and amphoe (seeded)."""
    rnd = random.Random(7)
    members = [world.member, world.member2]
    reports = []
    for _ in range(120):
        created = datetime(2026, 1, 1) + timedelta(hours=rnd.randrange(0, 24 * 150))
        report = filed(member=rnd.choice(members), station=rnd.choice([world.west, world.east]),
                       category=rnd.choice([world.theft, world.dealing]), created_at=created,
                       amphoe=rnd.choice(["9001", "9002", None]), lon=100.5 + rnd.random() / 10)
        desk = world.west_desk if report.station_id == world.west.id else world.east_desk
        if rnd.random() < 0.8:
            at = created + timedelta(minutes=rnd.randrange(1, 60 * 60))
            step(report, "acknowledge", desk, at)
            if rnd.random() < 0.7:
                at += timedelta(minutes=rnd.randrange(1, 60 * 300))
                step(report, "record_outcome", desk, at, outcome="warning", note="Done")
                if rnd.random() < 0.2:
                    step(report, "reopen", report.filed_by, at + timedelta(hours=3), reason="Again")
        reports.append(report)
    db.session.commit()
    return reports


def test_rollups_equal_the_direct_computation(db, world, random_reports):
    refresh_rollups(now=NOW)
    for scope_filters in (PERIOD, Filters(date(2026, 2, 1), date(2026, 3, 1), category=world.categories["drugs"]),
                          Filters(date(2026, 1, 1), date(2026, 6, 1), station=world.east)):
        rolled = dashboard_data(Scope(pao=world.pao), scope_filters, now=NOW, source="rollups")
        direct = dashboard_data(Scope(pao=world.pao), scope_filters, now=NOW, source="direct")
        assert comparable(rolled) == comparable(direct)
    assert db.session.scalar(db.select(db.func.sum(StatsRollup.reports))) == 120


def test_percentiles_stay_within_the_documented_precision(db, world, random_reports):
    facts = list(iter_facts(Report.pao_id == world.pao.id))
    exact = [f.ack_seconds for f in facts if f.ack_seconds is not None]
    hist = histogram.empty()
    for seconds in exact:
        histogram.add(hist, seconds)
    for fraction in (0.5, 0.9):
        true, read = exact_percentile(exact, fraction), histogram.percentile(hist, fraction)
        assert true <= read
        assert read - true <= max(3600, true * histogram.MAX_RELATIVE_ERROR)


def test_durations_on_bucket_edges_come_out_exact():
    for hours in (1, 2, 5, 12, 24, 48, 168):
        hist = histogram.empty()
        histogram.add(hist, hours * 3600)
        assert histogram.percentile(hist, 0.5) == hours * 3600
    assert histogram.MAX_RELATIVE_ERROR <= 0.25


def test_an_incremental_refresh_picks_up_changed_reports_only(db, world, timeline):
    assert refresh_rollups(now=NOW) == 3  # (songkhla, March), (songkhla, April), (other, March)
    assert refresh_rollups(now=NOW + timedelta(minutes=30)) == 0
    report = timeline[5]
    step(report, "acknowledge", world.west_desk, utcnow())  # a real change now, after the last refresh
    db.session.commit()
    assert refresh_rollups() == 1
    rolled = dashboard_data(Scope(pao=world.pao), PERIOD, source="rollups")
    direct = dashboard_data(Scope(pao=world.pao), PERIOD, source="direct")
    assert comparable(rolled) == comparable(direct)
    assert rollups_refreshed_at() is not None


def test_since_rebuilds_from_that_month_on_and_all_rebuilds_everything(db, world, timeline):
    refresh_rollups(now=NOW)
    assert refresh_rollups(since=date(2026, 4, 10)) == 1  # April only
    assert refresh_rollups(rebuild_all=True) == 3


def test_the_worker_job_and_the_cli_refresh_the_rollups(app, db, world, timeline):
    job = registered_jobs()["oversight_rollup"]  # registered by create_app (app/jobs.py)
    assert job.every == timedelta(minutes=1)
    assert job.func(NOW) == 3
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["oversight", "rollup", "--since", "2026-03-01"])
    assert result.exit_code == 0, result.output
    assert "3 (PAO, month)" in result.output
    assert runner.invoke(args=["oversight", "rollup", "--since", "not-a-date"]).exit_code != 0


def test_a_deadline_passing_rebuilds_its_month_without_any_change(db, world):
    created = datetime(2026, 6, 10, 3, 0)
    filed(member=world.member, station=world.west, category=world.theft, created_at=created)
    db.session.commit()
    refresh_rollups(now=created + timedelta(hours=1))
    june = Filters(date(2026, 6, 1), date(2026, 6, 1))
    assert dashboard_data(Scope(pao=world.pao), june).total.overdue == 0
    # Nothing changes on the report; its 24 h acknowledge-by deadline simply passes before the next run.
    assert refresh_rollups(now=created + timedelta(hours=30)) == 1
    figures = dashboard_data(Scope(pao=world.pao), june).total
    assert (figures.overdue, figures.ack_missed, figures.ack_sla) == (1, 1, 0)
    assert refresh_rollups(now=created + timedelta(hours=31)) == 0


@requires_postgres()
def test_the_job_skips_while_another_rebuild_holds_the_checkpoint(db, world, timeline):
    from app.oversight.jobs import refresh_rollups_job

    refresh_rollups(now=NOW)
    db.session.execute(db.update(Report).where(Report.id == timeline[5].id)
                       .values(updated_at=NOW + timedelta(minutes=30)))
    db.session.commit()
    with db.engine.connect() as other:  # a `flask oversight rollup --all` still running elsewhere
        other.exec_driver_sql("SELECT * FROM rollup_checkpoints FOR UPDATE")
        assert refresh_rollups_job(NOW + timedelta(hours=1)) == 0  # skipped at once, not blocked
        db.session.rollback()
        other.rollback()
    assert refresh_rollups_job(NOW + timedelta(hours=1)) == 1  # the next run catches up


def exact_percentile(values, fraction):
    """Return the nearest-rank percentile of raw durations (the reference the histogram approximates)."""
    values = sorted(values)
    if not values:
        return None
    return float(values[histogram.nearest_rank(len(values), fraction) - 1])


def test_the_database_puts_durations_in_the_buckets_python_does(db, world):
    # the set-based rebuild computes buckets in SQL: on an edge, a second either side, and beyond the last edge
    created = datetime(2026, 3, 2, 1, 0)
    durations = [0, 59, 60, 61, 3599, 3600, 3601, 12 * 3600, 7 * 86400, 7 * 86400 + 1, 400 * 86400]
    expected = {}
    for seconds in durations:
        report = filed(member=world.member, station=world.west, category=world.theft, created_at=created)
        step(report, "acknowledge", world.west_desk, created + timedelta(seconds=seconds))
        expected[report.id] = histogram.bucket_of(seconds)
    db.session.commit()
    refresh_rollups(rebuild_all=True)
    db.session.commit()
    stored = dict(db.session.execute(db.select(RollupEntry.report_id, RollupEntry.ack_bucket)).all())
    assert stored == expected
