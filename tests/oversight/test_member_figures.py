"""A member's own figures come from the member rollups and equal the direct count for any period and filters."""
import random
from datetime import date, datetime

from app.oversight.dashboard import dashboard_data
from app.oversight.models import MemberRollup
from app.oversight.rollup import refresh_rollups
from app.oversight.scope import Filters, Scope
from tests.oversight.conftest import NOW
from tests.oversight.helpers import signed_in
from tests.oversight.test_rollup import comparable, random_reports  # noqa: F401  (the fixture)


def test_member_rollups_equal_the_direct_count_for_random_periods(db, world, random_reports):  # noqa: F811
    refresh_rollups(now=NOW)
    rng = random.Random(20)
    for _n in range(10):
        first, last = sorted(date(2026, rng.randint(1, 6), 1) for _m in range(2))
        chosen = Filters(first, last, category=rng.choice([None, world.categories["drugs"], world.theft]),
                         station=rng.choice([None, world.west, world.east]))
        for member in (world.member, world.member2):
            scope = Scope(pao=world.pao, member_id=member.id)
            rolled = dashboard_data(scope, chosen, now=NOW)
            assert rolled.source == "rollups"
            assert comparable(rolled) == comparable(dashboard_data(scope, chosen, now=NOW, source="direct"))
    assert db.session.scalar(db.select(db.func.count()).select_from(MemberRollup).where(
        MemberRollup.member_id.notin_([world.member.id, world.member2.id]))) == 0


def test_a_member_page_says_as_of_when(app, db, world, random_reports):  # noqa: F811
    refresh_rollups(now=datetime(2026, 6, 30, 3, 7))  # 10:07 in Bangkok
    db.session.commit()
    page = signed_in(app, world.member).get("/oversight/?from=2026-01&to=2026-06").get_data(as_text=True)
    assert "ปรับล่าสุด 10:07 น." in page
    assert "ตัวเลข ณ" in page and "เฉพาะเรื่องที่ท่านแจ้ง" in page  # as of the last refresh, own reports only
