"""The incremental refresh moves only the changed reports' contributions, and ends where a full rebuild ends."""
import random
from datetime import datetime, timedelta

from app.core.timeutil import utcnow
from app.extensions import db
from app.oversight.dashboard import dashboard_data
from app.oversight.hotspots import hotspot_cells
from app.oversight.models import AmphoeRollup, HotspotCell, HotspotRollup, MemberRollup, RollupEntry, StatsRollup
from app.oversight.rollup import refresh_rollups
from app.oversight.scope import Scope
from app.reports.models import ReportStatus
from tests.oversight.helpers import filed, step
from tests.oversight.test_rollup import PERIOD, comparable, random_reports  # noqa: F401  (the fixture)

MODELS = (StatsRollup, AmphoeRollup, MemberRollup, HotspotRollup, HotspotCell, RollupEntry)
SKIP = {"id", "computed_at"}


def snapshot():
    """Every rollup row as plain values without its id, sorted, per table."""
    tables = {}
    for model in MODELS:
        columns = [c for c in model.__table__.columns if c.name not in SKIP]
        rows = db.session.execute(db.select(*columns)).all()
        tables[model.__tablename__] = sorted((tuple(row) for row in rows), key=repr)
    return tables


def change_some(world, reports, rng, now):
    """Acknowledge, act on, transfer or reject some reports, and file a few new ones, at `now`."""
    for report in rng.sample(reports, 30):
        desk = world.west_desk if report.station_id == world.west.id else world.east_desk
        if report.status == ReportStatus.NEW:
            step(report, "acknowledge", desk, now)
        elif report.status == ReportStatus.ACKNOWLEDGED:
            choice = rng.random()
            if choice < 0.4:
                step(report, "record_outcome", desk, now, outcome="warning", note="Done")
            elif choice < 0.7:
                other = world.east if report.station_id == world.west.id else world.west
                step(report, "transfer", desk, now, station=other, reason="Their area")
            else:
                step(report, "reject", desk, now, reason="not_police_matter", note="Civil matter")
    for _n in range(15):
        report = filed(member=rng.choice([world.member, world.member2]), station=rng.choice([world.west, world.east]),
                       category=rng.choice([world.theft, world.dealing]),
                       created_at=datetime(2026, 1, 1) + timedelta(hours=rng.randrange(0, 24 * 150)),
                       lat=7.2 + rng.random() * 0.05, lon=100.5 + rng.random() * 0.05)
        report.updated_at = now  # filed now, dated as the resident said
    db.session.commit()


def test_an_incremental_refresh_ends_where_a_rebuild_ends(db, world, random_reports):  # noqa: F811
    rng = random.Random(20)
    first = utcnow()
    refresh_rollups(now=first)
    db.session.commit()
    for round_ in range(2):
        now = first + timedelta(minutes=1 + round_)
        change_some(world, random_reports, rng, now)
        moved = refresh_rollups(now=now)
        db.session.commit()
        assert moved >= 1
        incremental = snapshot()
        assert sum(1 for _row in incremental["rollup_entries"]) == 120 + 15 * (round_ + 1)
        rolled = dashboard_data(Scope(pao=world.pao), PERIOD, now=now)
        assert comparable(rolled) == comparable(dashboard_data(Scope(pao=world.pao), PERIOD, now=now,
                                                               source="direct"))
        for member in (world.member, world.member2):
            scope = Scope(pao=world.pao, member_id=member.id)
            assert comparable(dashboard_data(scope, PERIOD, now=now)) == comparable(
                dashboard_data(scope, PERIOD, now=now, source="direct"))
        for zoom in range(4):
            rolled = hotspot_cells(Scope(pao=world.pao), PERIOD, min_count=3, zoom=zoom)
            direct = hotspot_cells(Scope(pao=world.pao), PERIOD, min_count=3, zoom=zoom, source="direct")
            assert (rolled["cells"], rolled["total"]) == (direct["cells"], direct["total"])
        refresh_rollups(rebuild_all=True, now=now)
        db.session.commit()
        assert snapshot() == incremental


def test_a_refresh_with_nothing_changed_touches_nothing(db, world, random_reports):  # noqa: F811
    first = utcnow()
    refresh_rollups(now=first)
    db.session.commit()
    before = snapshot()
    assert refresh_rollups(now=first + timedelta(minutes=1)) == 0
    assert snapshot() == before
