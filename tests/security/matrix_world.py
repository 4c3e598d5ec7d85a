"""The access matrix's world: every role at PAO A / station A, and the same kinds of objects at B.

"own" objects belong to the caller's side (PAO A, station A, the caller's account); "other" objects
belong to PAO B, station B and B's council member, which no non-admin of side A may reach.
"""
import hashlib
from types import SimpleNamespace

from app.accounts.models import Role
from app.api.models import TokenKind
from app.api.open311_intake import request_token
from app.api.tokens import create_token
from app.categories.models import Category
from app.categories.services import seed_categories
from app.core.storage import get_storage
from app.delivery.models import OutboxMessage, OutboxStatus
from app.extensions import db
from app.reports.models import ReportEvent, ReportPhoto
from app.reports.reference import new_tracking_secret
from app.security.sealing import seal_bytes
from app.stations.models import MouRecord
from app.triage.models import ResponseTemplate
from tests.factories import make_mou, make_pao, make_report, make_station, make_user
from tests.reports.factories_reports import jpeg_bytes

ROLES = ("anonymous", "council_member", "desk_officer", "station_commander", "pao_coordinator", "admin")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _photo(report, n):
    storage, jpeg = get_storage(), jpeg_bytes(size=(64, 48))
    keys = {"original_key": f"matrix/{n}-original.sealed", "public_key": f"matrix/{n}-public.jpg",
            "thumb_key": f"matrix/{n}-thumb.jpg"}
    storage.save(keys["original_key"], seal_bytes(jpeg))
    storage.save(keys["public_key"], jpeg)
    storage.save(keys["thumb_key"], jpeg)
    photo = ReportPhoto(report=report, position=0, original_sha256=hashlib.sha256(jpeg).hexdigest(),
                        original_size=len(jpeg), original_format="JPEG", width=64, height=48, **keys)
    db.session.add(photo)
    return photo


def _mou_with_document(pao, station, n):
    mou = make_mou(pao=pao, station=station)
    key = f"matrix/mou-{n}.pdf"
    get_storage().save(key, PDF)
    db.session.add(MouRecord(mou_id=mou.id, document_key=key, document_name="mou.pdf", document_size=len(PDF),
                             document_sha256=hashlib.sha256(PDF).hexdigest()))
    return mou


def _question(report, actor):
    event = ReportEvent(report=report, actor_id=actor.id, kind="question", payload={"text": "Which house?"})
    db.session.add(event)
    return event


def build_world():
    """Create both sides, commit, and return them with every id the URL map's arguments need."""
    seed_categories()
    category = db.session.scalar(db.select(Category).where(Category.code == "crime.theft"))
    station_a = make_station(code="matrix_a", lat=7.2, lon=100.55)
    station_b = make_station(code="matrix_b", lat=8.0, lon=99.0)
    pao_a = make_pao(code="alpha", prefix="ALP", coordinator=station_a)
    pao_b = make_pao(code="bravo", prefix="BRV", coordinator=station_b)
    users = {
        "council_member": make_user(role=Role.COUNCIL_MEMBER, pao=pao_a, language="en"),
        "desk_officer": make_user(role=Role.DESK_OFFICER, station=station_a, language="en"),
        "station_commander": make_user(role=Role.STATION_COMMANDER, station=station_a, language="en"),
        "pao_coordinator": make_user(role=Role.PAO_COORDINATOR, pao=pao_a, language="en"),
        "admin": make_user(role=Role.ADMIN, language="en"),
    }
    member_b = make_user(role=Role.COUNCIL_MEMBER, pao=pao_b)
    desk_b = make_user(role=Role.DESK_OFFICER, station=station_b)
    reports = {"own": make_report(filed_by=users["council_member"], station=station_a, category=category),
               "other": make_report(filed_by=member_b, station=station_b, category=category, lat=8.0, lon=99.0)}
    unrouted = {"own": make_report(filed_by=users["council_member"], station=None, category=category, lat=7.3),
                "other": make_report(filed_by=member_b, station=None, category=category, lat=8.1, lon=99.0)}
    for report in (*reports.values(), *unrouted.values()):
        report.tracking_secret = new_tracking_secret()
    photos = {side: _photo(report, side) for side, report in reports.items()}
    questions = {"own": _question(reports["own"], users["desk_officer"]), "other": _question(reports["other"], desk_b)}
    mous = {"own": _mou_with_document(pao_a, station_a, "a"), "other": _mou_with_document(pao_b, station_b, "b")}
    templates = {side: ResponseTemplate(station=station, category=category, language="en", title=f"T {side}",
                                        body="We are on it.")
                 for side, station in (("own", station_a), ("other", station_b))}
    db.session.add_all(templates.values())
    message = OutboxMessage(idempotency_key="matrix-dead", kind="report_routed", channel="email",
                            recipient_user_id=users["desk_officer"].id, report=reports["own"],
                            status=OutboxStatus.DEAD, attempts=8, last_error="refused")
    db.session.add(message)
    bearer = {role: create_token(user, kind=TokenKind.TOKEN)[1] for role, user in users.items()}
    apikey = {role: create_token(user, kind=TokenKind.APIKEY)[1] for role, user in users.items()}
    # Tokens the matrix may revoke: the caller's own spare one, and B's member's.
    revocable = {role: create_token(user, label="spare")[0] for role, user in users.items()}
    revocable["other"] = create_token(member_b, label="theirs")[0]
    db.session.flush()
    open311_tokens = {side: request_token(report) for side, report in reports.items()}
    world = SimpleNamespace(
        users=users, paos={"own": pao_a, "other": pao_b}, stations={"own": station_a, "other": station_b},
        accounts={"own": users["council_member"], "other": member_b}, reports=reports, unrouted=unrouted,
        photos=photos, questions=questions, mous=mous, templates=templates, message=message, bearer=bearer,
        apikey=apikey, revocable=revocable, open311_tokens=open311_tokens, category=category)
    db.session.commit()
    return world
