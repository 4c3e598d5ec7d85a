"""Sealed resident contact, personal data found and masked in texts, and the recorded reveal."""
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from app.extensions import db
from app.reports.models import Report, ReportEvent
from app.reports.pii import find_personal_data, is_citizen_id, mask_personal_data, personal_data_kinds
from app.reports.services import ReportActionError, reveal_contact
from app.security.sealing import seal, sealing_key_from_secret, unseal
from tests.factories import make_user
from tests.reports.factories_reports import form_data

NAME, PHONE = "สมหญิง ทดสอบนาม", "0891234567"


def _file_with_contact(client, world, **overrides):
    data = form_data(world, resident_name=NAME, resident_phone="089-123-4567", consent="y", **overrides)
    response = client.post("/reports/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(db.select(Report))


@pytest.mark.parametrize("text", [
    "โทร 081-234-5678 ได้เลย", "call 0812345678", "081 234 5678", "+66 81 234 5678", "+66812345678",
    "+66-2-123-4567", "02-123-4567", "0066 81 234 5678", "074.311.111",
])
def test_thai_phone_numbers_are_found(text):
    assert personal_data_kinds(text) == ["phone"], text


@pytest.mark.parametrize("text", [
    "ทะเบียน 1กข 1234", "50,000 บาท", "เวลา 20.30-21.00 น.", "26/11/2569", "ปี 2569", "บ้านเลขที่ 12/345",
    "1234567890123",  # 13 digits with a wrong checksum
])
def test_ordinary_numbers_are_not_personal_data(text):
    assert personal_data_kinds(text) == [], text


def test_citizen_id_checksum():
    assert is_citizen_id("1101700230708") and is_citizen_id("1234567890121")
    assert not is_citizen_id("1101700230705")
    assert personal_data_kinds("บัตร 1-2345-67890-12-1 ครับ") == ["citizen_id"]
    assert personal_data_kinds("id 1101700230708.") == ["citizen_id"]
    assert personal_data_kinds("id 1 1017 00230 70 8") == ["citizen_id"]
    assert personal_data_kinds("id 1-2345-67890-12-2") == []


def test_email_and_masking():
    text = "ติดต่อ somchai.j@example.co.th หรือ 08-1234-5678, บัตร 1101700230708"
    assert [f.kind for f in find_personal_data(text)] == ["email", "phone", "citizen_id"]
    masked = mask_personal_data(text)
    assert "example" not in masked and "5678" not in masked and "0708" not in masked
    assert masked == "ติดต่อ [e-mail hidden] หรือ [phone hidden], บัตร [ID number hidden]"


def test_sealing_round_trip_and_key_derivation(app):
    with app.app_context():
        token = seal("secret name")
        assert "secret" not in token and unseal(token) == "secret name"
        assert seal("") is None and unseal(None) is None
        key = Fernet.generate_key()
        app.config["SEALING_KEY"] = key.decode()
        try:
            assert Fernet(key).decrypt(seal("x").encode()) == b"x"
        finally:
            app.config["SEALING_KEY"] = None  # TestConfig's own value: derive from SECRET_KEY
    assert sealing_key_from_secret("a") == sealing_key_from_secret("a") != sealing_key_from_secret("b")


def test_contact_is_unreadable_in_the_database(member_client, world):
    report = _file_with_contact(member_client, world)
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM reports")).all()
    dump = repr(rows)
    assert NAME not in dump and PHONE not in dump and "089-123-4567" not in dump and "1234567" not in dump
    assert report.consent_at is not None and report.resident_anonymous is False
    assert unseal(report.resident_name_sealed) == NAME and unseal(report.resident_phone_sealed) == PHONE


def test_reveal_contact_is_for_routed_police_and_appends_an_event(member_client, world):
    report = _file_with_contact(member_client, world)
    officer = make_user(role="desk_officer", station=world.west)
    elsewhere = make_user(role="desk_officer", station=world.east)
    coordinator = make_user(role="pao_coordinator", pao=world.pao)
    for user in (world.member, elsewhere, coordinator):
        with pytest.raises(PermissionError):
            reveal_contact(report, user, "follow-up call")
    with pytest.raises(ReportActionError):
        reveal_contact(report, officer, "  ")
    assert reveal_contact(report, officer, "to call the resident back") == {
        "name": NAME, "phone": PHONE, "anonymous": False}
    event = db.session.scalar(db.select(ReportEvent).where(ReportEvent.kind == "contact_viewed"))
    assert event.actor_id == officer.id and event.payload == {"reason": "to call the resident back"}


def test_narrative_with_personal_data_needs_confirmation(member_client, world):
    member_client.get("/language/en")
    narrative = "The dealer's phone is 081-234-5678, he lives behind the school."
    data = form_data(world, narrative=narrative)
    response = member_client.post("/reports/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and db.session.scalar(db.select(Report)) is None
    assert "seems to contain a phone number" in page and 'name="confirm_personal_data"' in page
    data["confirm_personal_data"] = "y"
    assert member_client.post("/reports/new", data=data).status_code == 302
    assert db.session.scalar(db.select(Report)).narrative == narrative


def test_check_text_endpoint(member_client, world):
    body = member_client.post("/reports/api/check-text", data={"narrative": "mail a@b.co or 0812345678"}).get_json()
    assert body["kinds"] == ["phone", "email"] and body["message"]
    assert member_client.post("/reports/api/check-text", data={"narrative": "nothing"}).get_json() == {
        "kinds": [], "message": None}


def test_narrative_is_masked_except_for_the_filer_and_routed_police(client, db, login, world):
    member = login(world.member)
    narrative = "Call the witness on 081-234-5678 or mail w@example.org about the stolen bikes."
    data = form_data(world, narrative=narrative, confirm_personal_data="y")
    assert member.post("/reports/new", data=data).status_code == 302
    report = db.session.scalar(db.select(Report))
    assert "081-234-5678" in member.get(f"/reports/{report.id}").get_data(as_text=True)
    member.post("/accounts/logout")
    officer = make_user(role="desk_officer", station=world.west)
    coordinator = make_user(role="pao_coordinator", pao=world.pao)
    admin = make_user(role="admin")
    db.session.commit()
    login(officer)
    assert "081-234-5678" in client.get(f"/reports/{report.id}").get_data(as_text=True)
    for user in (coordinator, admin):
        client.post("/accounts/logout")
        login(user)
        page = client.get(f"/reports/{report.id}?lang=en").get_data(as_text=True)
        assert "081-234-5678" not in page and "w@example.org" not in page
        assert "[phone hidden]" in page and "[e-mail hidden]" in page
