"""Oversight fixtures: a PAO world with reports of known timings."""
from datetime import datetime
from types import SimpleNamespace

import pytest

from app.accounts.models import Role
from app.categories.models import Category
from app.categories.services import seed_categories
from app.extensions import db as _db
from app.reports.routing_service import clear_index_cache
from tests.factories import make_mou, make_pao, make_station, make_user
from tests.oversight.helpers import filed, hours, step

# 2 March 2026, 10:00 in Bangkok: every March report is filed then.
T0 = datetime(2026, 3, 2, 3, 0)
NOW = datetime(2026, 4, 20, 3, 0)


@pytest.fixture(autouse=True)
def files_dir(app, tmp_path, monkeypatch):
    """Keep each test's files (signed MOU documents among them) in a folder of its own."""
    monkeypatch.setitem(app.config, "STORAGE_URL", (tmp_path / "files").as_uri())
    return tmp_path / "files"


@pytest.fixture()
def world(db):
    """Two PAOs, stations West and East under MOU with the first, every role, seeded categories."""
    clear_index_cache()
    seed_categories()
    west = make_station(code="west", name_th="สภ.ตะวันตก", name_en="West Station", lat=7.2, lon=100.55)
    east = make_station(code="east", name_th="สภ.ตะวันออก", name_en="East Station", lat=7.2, lon=100.65)
    far = make_station(code="far", name_th="สภ.ไกล", name_en="Far Station", lat=8.0, lon=99.0)
    pao = make_pao(code="songkhla", prefix="SKA")
    other_pao = make_pao(code="other", prefix="OTH")
    mous = {"west": make_mou(pao=pao, station=west), "east": make_mou(pao=pao, station=east),
            "far": make_mou(pao=other_pao, station=far)}
    people = {
        "member": make_user(role=Role.COUNCIL_MEMBER, pao=pao, username="member"),
        "member2": make_user(role=Role.COUNCIL_MEMBER, pao=pao, username="member2"),
        "coordinator": make_user(role=Role.PAO_COORDINATOR, pao=pao, username="coordinator"),
        "other_coordinator": make_user(role=Role.PAO_COORDINATOR, pao=other_pao, username="other.coordinator"),
        "other_member": make_user(role=Role.COUNCIL_MEMBER, pao=other_pao, username="other.member"),
        "admin": make_user(role=Role.ADMIN, username="admin"),
        "west_desk": make_user(role=Role.DESK_OFFICER, station=west, username="desk.west"),
        "east_desk": make_user(role=Role.DESK_OFFICER, station=east, username="desk.east"),
        "far_desk": make_user(role=Role.DESK_OFFICER, station=far, username="desk.far"),
    }
    categories = {c.code: c for c in _db.session.scalars(_db.select(Category))}
    _db.session.commit()
    yield SimpleNamespace(pao=pao, other_pao=other_pao, west=west, east=east, far=far, mous=mous,
                          theft=categories["crime.theft"], dealing=categories["drugs.dealing"],
                          categories=categories, **people)
    clear_index_cache()


@pytest.fixture()
def timeline(world):
    """Reports with known timings (hours after T0), worked through the real workflow.

    West: R1 ack 1 h, outcome 10 h · R2 ack 2 h, outcome 30 h, confirmed · R3 ack 30 h (late),
    outcome 192 h (late) · R4 ack 4 h, no outcome (act missed) · R5 never acknowledged (both missed)
    · R7 ack 1 h, outcome 12 h, reopened at 20 h, ack 22 h, outcome 40 h. East: R6 ack 3 h at West,
    transferred at 5 h, ack 6 h at East, outcome 8 h. April: R8 (drugs, member2) never acknowledged.
    Other PAO: R9 at Far, acknowledged after 5 h.
    """
    w = world
    desk, east_desk, member = w.west_desk, w.east_desk, w.member
    r = {}
    for n in (1, 2, 3, 4, 5, 6, 7):
        r[n] = filed(member=member, station=w.west, category=w.theft, created_at=T0, amphoe="9001",
                     lon=100.55 + n * 0.0001)
    for n, ack, outcome in ((1, 1, 10), (2, 2, 30), (3, 30, 192), (7, 1, 12)):
        step(r[n], "acknowledge", desk, hours(T0, ack))
        step(r[n], "record_outcome", desk, hours(T0, outcome), outcome="patrol_increased", note="Patrols at night")
    step(r[2], "confirm", member, hours(T0, 31))
    step(r[4], "acknowledge", desk, hours(T0, 4))
    step(r[6], "acknowledge", desk, hours(T0, 3))
    step(r[6], "transfer", desk, hours(T0, 5), station=w.east, reason="Their side of the road")
    step(r[6], "acknowledge", east_desk, hours(T0, 6))
    step(r[6], "record_outcome", east_desk, hours(T0, 8), outcome="warning", note="Warned the shop")
    step(r[7], "reopen", member, hours(T0, 20), reason="It happened again")
    step(r[7], "acknowledge", desk, hours(T0, 22))
    step(r[7], "record_outcome", desk, hours(T0, 40), outcome="arrest", note="Two arrested")
    r[8] = filed(member=w.member2, station=w.west, category=w.dealing, created_at=datetime(2026, 4, 5, 3, 0),
                 amphoe="9002")
    r[9] = filed(member=w.other_member, station=w.far, category=w.theft, created_at=T0, lat=8.0, lon=99.0)
    step(r[9], "acknowledge", w.far_desk, hours(T0, 5))
    _db.session.commit()
    return r
