"""API fixtures: a routed world with every role, and their tokens."""
from types import SimpleNamespace

import pytest

from app.accounts.models import Role
from app.api.models import TokenKind
from app.extensions import db as _db
from app.extensions import limiter
from app.reports.routing_service import clear_index_cache
from tests.api.helpers import token_for
from tests.factories import make_pao, make_station, make_user
from tests.reports.factories_reports import make_world


@pytest.fixture(autouse=True)
def generous_rate_limit(app, monkeypatch):
    """Every test starts with empty counters and a limit it will not reach (test_rate_limit lowers it)."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    limiter.reset()


@pytest.fixture()
def world(app, db):
    """Categories; a PAO with West and East under MOU; every role; a second PAO with its own station."""
    with app.test_request_context():
        clear_index_cache()
    base = make_world(prefix="SKA")
    far = make_station(code="far", name_th="สภ.ไกล", name_en="Far Station", lat=8.0, lon=99.0)
    other_pao = make_pao(code="other", prefix="OTH")
    people = {
        "member2": make_user(role=Role.COUNCIL_MEMBER, pao=base.pao, username="member2"),
        "coordinator": make_user(role=Role.PAO_COORDINATOR, pao=base.pao, username="coordinator"),
        "admin": make_user(role=Role.ADMIN, username="admin"),
        "west_desk": make_user(role=Role.DESK_OFFICER, station=base.west, username="desk.west"),
        "east_desk": make_user(role=Role.DESK_OFFICER, station=base.east, username="desk.east"),
        "far_desk": make_user(role=Role.DESK_OFFICER, station=far, username="desk.far"),
        "other_member": make_user(role=Role.COUNCIL_MEMBER, pao=other_pao, username="other.member"),
    }
    base.pao.code = "songkhla"
    _db.session.commit()
    yield SimpleNamespace(pao=base.pao, other_pao=other_pao, west=base.west, east=base.east, far=far,
                          member=base.member, category=base.category, **people)
    with app.test_request_context():
        clear_index_cache()


@pytest.fixture()
def tokens(world):
    """A Bearer token for every person of the world, by the same names."""
    names = ("member", "member2", "coordinator", "admin", "west_desk", "east_desk", "far_desk", "other_member")
    return SimpleNamespace(**{name: token_for(getattr(world, name)) for name in names})


@pytest.fixture()
def keys(world):
    """An Open311 API key for every person of the world, by the same names."""
    names = ("member", "member2", "coordinator", "admin", "west_desk", "east_desk", "far_desk", "other_member")
    return SimpleNamespace(**{name: token_for(getattr(world, name), kind=TokenKind.APIKEY) for name in names})
