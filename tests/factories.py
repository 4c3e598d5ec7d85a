"""Keyword-only factories with sane defaults; each flushes and returns the object."""
import itertools
from datetime import date

from flask import current_app

from app.accounts.models import Role, User
from app.categories.models import Category, Priority
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import Report, ReportStatus
from app.security.sealing import seal
from app.stations.models import Mou, MouStatus, Pao, Station

PASSWORD = "pw-secret-123"
# The authenticator secret of every user make_user enrols in two-factor sign-in (tests compute codes).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_seq = itertools.count(1)


def make_station(*, code=None, name_th=None, name_en=None, lat=7.2, lon=100.6):
    n = next(_seq)
    station = Station(code=code or f"station_{n}", name_th=name_th or f"สภ.ทดสอบ {n}",
                      name_en=name_en or f"Test Station {n}", lat=lat, lon=lon)
    db.session.add(station)
    db.session.flush()
    return station


def make_pao(*, code=None, prefix=None, coordinator=None, name_th=None, name_en=None):
    n = next(_seq)
    pao = Pao(code=code or f"pao{n}", reference_prefix=prefix or f"P{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}",
              name_th=name_th or f"อบจ.ทดสอบ {n}", name_en=name_en or f"Test PAO {n}",
              coordinator_station=coordinator)
    db.session.add(pao)
    db.session.flush()
    return pao


def make_user(*, role=Role.COUNCIL_MEMBER, username=None, pao=None, station=None, password=PASSWORD,
              language="th", active=True, two_factor=None, totp_secret=TOTP_SECRET):
    """A user; roles that need two-factor sign-in are enrolled with totp_secret unless two_factor=False."""
    n = next(_seq)
    role = Role(role)
    if role in (Role.COUNCIL_MEMBER, Role.PAO_COORDINATOR) and pao is None:
        pao = make_pao()
    if role in (Role.DESK_OFFICER, Role.STATION_COMMANDER) and station is None:
        station = make_station()
    user = User(username=username or f"user{n}", display_name=f"User {n}", role=role, pao=pao,
                station=station, preferred_language=language, active=active)
    user.set_password(password)
    if two_factor if two_factor is not None else role.value in current_app.config["TWO_FACTOR_ROLES"]:
        user.totp_secret_sealed = seal(totp_secret)
        user.totp_enabled_at = utcnow()
    db.session.add(user)
    db.session.flush()
    return user


def make_category(*, code=None, parent=None, emergency=False, ack=24, act=168, questions=None):
    n = next(_seq)
    category = Category(code=code or f"cat{n}", parent=parent, name_th=f"หมวด {n}", name_en=f"Category {n}",
                        emergency=emergency, sla_ack_hours=ack, sla_act_hours=act, questions=questions or [])
    db.session.add(category)
    db.session.flush()
    return category


def make_mou(*, pao, station, effective_from=date(2024, 1, 1), expires_on=None, status=MouStatus.ACTIVE,
             covers_all=True, category_codes=()):
    mou = Mou(pao=pao, station=station, signed_on=effective_from, effective_from=effective_from,
              expires_on=expires_on, status=status, covers_all=covers_all, category_codes=list(category_codes))
    db.session.add(mou)
    db.session.flush()
    return mou


def make_report(*, filed_by=None, station=None, category=None, pao=None, status=ReportStatus.NEW,
                lat=7.2, lon=100.6, narrative="Motorbikes racing on the main road every night"):
    n = next(_seq)
    filed_by = filed_by or make_user(pao=pao)
    pao = pao or filed_by.pao
    # numbers from 900001 up: reports filed through submit_report count from 000001 and never meet these
    reference = f"{pao.reference_prefix}-2569-{900000 + n:06d}"
    report = Report(pao=pao, reference_number=reference, tracking_secret=f"s{n:07d}",
                    category=category or make_category(), narrative=narrative, lat=lat, lon=lon,
                    priority=Priority.NORMAL, status=status, station=station, filed_by=filed_by,
                    idempotency_key=f"key-{n}", created_at=utcnow())
    db.session.add(report)
    db.session.flush()
    return report
