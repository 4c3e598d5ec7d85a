"""Delivery fixtures: channel settings, the periodic registry, a known world."""
from types import SimpleNamespace

import pytest

from app.accounts.models import Role
from app.extensions import db as _db
from app.security.sealing import seal
from tests.factories import make_category, make_pao, make_report, make_station, make_user

RESIDENT_NAME = "นางสาวมะลิ ทดสอบลับ"
RESIDENT_PHONE = "0812345678"
NARRATIVE = "แข่งรถมอเตอร์ไซค์หน้าบ้านเลขที่ 99 ทุกคืน"


@pytest.fixture(autouse=True)
def channel_settings(app, monkeypatch):
    """No real servers by default, fast timeouts, deterministic jitter; tests point channels at local servers."""
    for key, value in {"SMTP_HOST": None, "LINE_CHANNEL_TOKEN": None, "WEBHOOK_TIMEOUT": 3, "SMTP_TIMEOUT": 3,
                       "LINE_TIMEOUT": 3, "OUTBOX_MAX_ATTEMPTS": 8, "OUTBOX_BACKOFF_JITTER": 0.2,
                       "PUBLIC_BASE_URL": "https://ruamkan.example"}.items():
        monkeypatch.setitem(app.config, key, value)
    return app.config


@pytest.fixture()
def world(db):
    """A PAO, a routed report carrying resident data, its station with a desk officer, and the filer."""
    station = make_station(name_th="สภ.เมืองสงขลา", name_en="Mueang Songkhla")
    pao = make_pao(name_th="อบจ.สงขลา", name_en="Songkhla PAO")
    member = make_user(role=Role.COUNCIL_MEMBER, pao=pao)
    member.email = "member@example.test"
    desk = make_user(role=Role.DESK_OFFICER, station=station)
    desk.email = "desk@example.test"
    report = make_report(filed_by=member, station=station, narrative=NARRATIVE,
                         category=make_category(code="drugs_sale"))
    report.resident_name_sealed, report.resident_phone_sealed = seal(RESIDENT_NAME), seal(RESIDENT_PHONE)
    report.address_text = "ซอยลับ 7"
    _db.session.flush()
    return SimpleNamespace(station=station, pao=pao, member=member, desk=desk, report=report)


def personal_data_in(text):
    """Return the resident data (or narrative) found in a text that left the system."""
    return [secret for secret in (RESIDENT_NAME, RESIDENT_PHONE, NARRATIVE, "ซอยลับ") if secret in text]


@pytest.fixture()
def line(app, monkeypatch, channel_settings):
    """A running stand-in for the LINE API, with the app pointed at it and the channel configured."""
    from tests.delivery.line_fake import SECRET, TOKEN, FakeLine
    from tests.delivery.line_helpers import MEMBER_LINE

    with FakeLine(profiles={MEMBER_LINE: {"displayName": "Somchai", "language": "th"}}) as fake:
        for key, value in {"LINE_API_BASE": fake.url, "LINE_CHANNEL_TOKEN": TOKEN, "LINE_CHANNEL_SECRET": SECRET,
                           "LINE_BOT_BASIC_ID": "@ruamkan"}.items():
            monkeypatch.setitem(app.config, key, value)
        yield fake


@pytest.fixture()
def line_world(app, db):
    """Two stations under MOU with areas, a council member, a desk officer and a commander of the west one."""
    from tests.reports.factories_reports import make_world

    world = make_world()
    world.member.email = "member@example.test"
    world.desk = make_user(role=Role.DESK_OFFICER, station=world.west)
    world.desk.email = "desk@example.test"
    world.commander = make_user(role=Role.STATION_COMMANDER, station=world.west)
    _db.session.commit()
    return world
