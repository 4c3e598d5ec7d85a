"""Triage fixtures: a station world with every role, a routed report."""
from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.accounts.models import Role
from app.categories.models import Priority
from app.core.timeutil import utcnow
from app.extensions import db as _db
from app.reports.models import ReportStatus
from app.security.sealing import seal
from tests.factories import make_category, make_pao, make_report, make_station, make_user

RESIDENT_NAME = "นางสาวมะลิ ทดสอบ"
RESIDENT_PHONE = "0812345678"


@pytest.fixture()
def world(db):
    """A PAO with a coordinating station, two stations, every role, and a report routed to West."""
    coordinating = make_station(code="coord", name_en="Coordinating Station")
    west = make_station(code="west", name_th="สภ.ตะวันตก", name_en="West Station", lat=7.2, lon=100.55)
    east = make_station(code="east", name_th="สภ.ตะวันออก", name_en="East Station", lat=7.2, lon=100.65)
    pao = make_pao(code="songkhla", prefix="SKA", coordinator=coordinating)
    other_pao = make_pao(code="other", prefix="OTH")
    people = {
        "member": make_user(role=Role.COUNCIL_MEMBER, pao=pao, username="member"),
        "desk": make_user(role=Role.DESK_OFFICER, station=west, username="desk.west"),
        "desk2": make_user(role=Role.DESK_OFFICER, station=west, username="desk2.west"),
        "commander": make_user(role=Role.STATION_COMMANDER, station=west, username="commander.west"),
        "east_desk": make_user(role=Role.DESK_OFFICER, station=east, username="desk.east"),
        "east_commander": make_user(role=Role.STATION_COMMANDER, station=east, username="commander.east"),
        "coord_desk": make_user(role=Role.DESK_OFFICER, station=coordinating, username="desk.coord"),
        "coordinator": make_user(role=Role.PAO_COORDINATOR, pao=pao, username="coordinator"),
        "other_coordinator": make_user(role=Role.PAO_COORDINATOR, pao=other_pao, username="coordinator.other"),
    }
    for user in people.values():
        user.email = f"{user.username}@example.test"
    category = make_category(code="drugs", ack=24, act=168)
    sub = make_category(code="drugs.dealing", parent=category, ack=24, act=168)
    report = new_report(filed_by=people["member"], station=west, category=sub)
    _db.session.commit()
    return SimpleNamespace(pao=pao, other_pao=other_pao, west=west, east=east, coordinating=coordinating,
                           category=category, sub=sub, report=report, **people)


def new_report(*, filed_by, station, category, status=ReportStatus.NEW, priority=Priority.NORMAL, created_at=None,
               narrative="Drugs are sold behind the school, call 089-123-4567 for the watchman", **fields):
    """A routed report with SLA deadlines and a sealed resident contact."""
    created_at = created_at or utcnow() - timedelta(hours=1)
    report = make_report(filed_by=filed_by, station=station, category=category, status=status, narrative=narrative)
    report.priority = priority
    report.created_at = created_at
    report.ack_due_at = created_at + timedelta(hours=category.sla_ack_hours)
    report.act_due_at = created_at + timedelta(hours=category.sla_act_hours)
    report.resident_name_sealed, report.resident_phone_sealed = seal(RESIDENT_NAME), seal(RESIDENT_PHONE)
    for key, value in fields.items():
        setattr(report, key, value)
    _db.session.flush()
    return report
