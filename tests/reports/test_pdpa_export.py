"""PDPA access requests: a PAO coordinator downloads everything held about a phone number, and it is recorded."""
import json
import logging

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.reports.intake import ReportDraft
from app.reports.models import Report, ReportEvent
from app.reports.phone_index import normalise_phone, phone_index
from app.reports.retention import purge_expired
from app.reports.services import add_info, submit_report
from app.security.sealing import seal
from tests.factories import make_report, make_user
from tests.reports.factories_reports import WEST_POINT, form_data
from tests.triage.helpers import signed_in

NAME, PHONE = "สมหญิง ทดสอบนาม", "0891234567"
URL = "/reports/privacy/export"


def _file(world, *, phone=None, name=None, narrative="Motorbikes are stolen from the market car park at night."):
    draft = ReportDraft(category=world.category, narrative=narrative, lat=WEST_POINT[0], lon=WEST_POINT[1],
                        idempotency_key=f"k-{db.session.scalar(db.select(db.func.count(Report.id)))}",
                        resident_name=name, resident_phone=phone, resident_anonymous=not (name or phone),
                        consent=True, confirmed_place=True, confirmed_personal_data=True, confirmed_new=True)
    report, _created = submit_report(world.member, draft)
    db.session.commit()
    return report


@pytest.fixture()
def coordinator(world):
    user = make_user(role=Role.PAO_COORDINATOR, pao=world.pao)
    db.session.commit()
    return user


def _export(client, phone, lang="en"):
    response = client.post(f"{URL}?lang={lang}", data={"phone": phone})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="pdpa-')
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.get_data(as_text=True))


@pytest.mark.parametrize("typed", ["0891234567", "089-123-4567", "089 123 4567", "+66 89 123 4567",
                                   "+66-89-123-4567", "0066 89 123 4567", "+66 (0) 89 123 4567", "66891234567"])
def test_thai_phone_formats_normalise_to_one_number(typed):
    assert normalise_phone(typed) == PHONE


@pytest.mark.parametrize("typed", ["", "hello", "12345", "089-123-45", "+1 415 555 0100", "1234567890123"])
def test_what_is_not_a_thai_phone_number(typed):
    assert normalise_phone(typed) is None


def test_intake_form_stores_a_keyed_index_of_the_phone(app, member_client, world):
    response = member_client.post("/reports/new", data=form_data(
        world, resident_name=NAME, resident_phone="089-123-4567", consent="y"))
    assert response.status_code == 302, response.get_data(as_text=True)
    report = db.session.scalar(db.select(Report))
    assert report.resident_phone_index == phone_index("+66 89 123 4567")
    assert len(report.resident_phone_index) == 64 and PHONE not in report.resident_phone_index
    # Keyed by the sealing key: the same phone gives another index under another key.
    app.config["SEALING_KEY"] = "aGVsbG8taGVsbG8taGVsbG8taGVsbG8taGVsbG8tMTI="
    try:
        assert phone_index(PHONE) != report.resident_phone_index
    finally:
        app.config["SEALING_KEY"] = None


@pytest.mark.parametrize("typed", ["089-123-4567", "+66 89 123 4567", "0891234567"])
def test_export_finds_the_residents_reports_in_any_format(client, login, world, coordinator, typed):
    mine = _file(world, phone=PHONE, name=NAME)
    add_info(mine, world.member, "The resident says the thieves come on Saturdays.")
    _file(world, phone="0812223333", name="Someone Else")
    db.session.commit()
    document = _export(login(coordinator), typed)
    assert document["phone"] == PHONE and document["pao"]["code"] == world.pao.code
    [entry] = document["reports_as_resident"]
    assert entry["reference_number"] == mine.reference_number
    assert entry["resident"] == {"name": NAME, "phone": PHONE}
    assert entry["narrative"] == mine.narrative and entry["status"] == "New"
    assert entry["created_at"].endswith("+07:00")
    assert {"what": "Information added by the council member", "text": "The resident says the thieves come on "
            "Saturdays.", "at": entry["events"][-1]["at"]} in entry["events"]
    assert any("best-effort" in note for note in document["notes"])


def test_export_is_scoped_to_the_coordinators_pao(client, login, world, coordinator):
    other_member = make_user()  # in a PAO of its own
    theirs = make_report(filed_by=other_member)
    theirs.resident_phone_sealed, theirs.resident_phone_index = seal(PHONE), phone_index(PHONE)
    theirs.narrative = f"Call {PHONE} about it"
    db.session.commit()
    document = _export(login(coordinator), PHONE)
    assert document["reports_as_resident"] == [] and document["reports_mentioning_number"] == []
    assert not db.session.scalars(db.select(ReportEvent).where(ReportEvent.kind == "pdpa_export")).all()


def test_export_lists_accounts_and_reports_that_mention_the_number(client, login, world, coordinator):
    world.member.phone = "+66 89-123-4567"
    make_user(pao=world.pao).phone = "0812223333"
    in_text = _file(world, narrative="A neighbour (call 089 123 4567 or 081 999 8888) saw the thieves.")
    in_comment = _file(world, narrative="Bicycles are stolen near the temple every night.")
    add_info(in_comment, world.member, "The witness can be reached on +66 89 123 4567.")
    _file(world, narrative="Nothing to do with that number, call 081 999 8888.")
    db.session.commit()
    document = _export(login(coordinator), PHONE)
    assert [a["username"] for a in document["user_accounts"]] == [world.member.username]
    found = {e["reference_number"]: e for e in document["reports_mentioning_number"]}
    assert set(found) == {in_text.reference_number, in_comment.reference_number}
    assert found[in_text.reference_number]["found_in"] == ["narrative"]
    assert found[in_comment.reference_number]["found_in"] == ["comments"]
    # The subject's own number stays; other people's numbers are hidden.
    [text] = found[in_text.reference_number]["texts"]
    assert "089 123 4567" in text and "999" not in text


def test_each_export_is_recorded_without_the_number(client, login, world, coordinator, caplog):
    resident = _file(world, phone=PHONE, name=NAME)
    mention = _file(world, narrative="Ask 089-123-4567 about the stolen motorbikes at the market.")
    caplog.set_level(logging.INFO, logger="app.reports.pdpa")
    _export(login(coordinator), PHONE)
    events = db.session.scalars(db.select(ReportEvent).where(ReportEvent.kind == "pdpa_export")
                                .order_by(ReportEvent.report_id)).all()
    assert [(e.report_id, e.payload["matched"]) for e in events] == [(resident.id, "resident_phone"),
                                                                     (mention.id, "text")]
    assert all(e.actor_id == coordinator.id and e.internal for e in events)
    assert "1234567" not in json.dumps([e.payload for e in events])
    [line] = [r.getMessage() for r in caplog.records if "pdpa export" in r.getMessage()]
    assert coordinator.username in line and "1234567" not in line


@pytest.mark.parametrize("role", [Role.COUNCIL_MEMBER, Role.DESK_OFFICER, Role.STATION_COMMANDER])
def test_only_coordinators_may_export(app, world, role):
    user = make_user(role=role, pao=world.pao if role == Role.COUNCIL_MEMBER else None)
    db.session.commit()
    client = signed_in(app, user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"phone": PHONE}).status_code == 403
    assert app.test_client().get(URL).status_code == 302  # signed out: to the sign-in page


def test_a_bad_number_is_refused_keeping_what_was_typed(client, login, world, coordinator):
    coordinator_client = login(coordinator)
    assert coordinator_client.get(f"{URL}?lang=en").status_code == 200
    response = coordinator_client.post(f"{URL}?lang=en", data={"phone": "call me 12345"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert 'value="call me 12345"' in page and "This is not a Thai phone number" in page
    assert coordinator_client.post(f"{URL}?lang=en", data={"phone": ""}).status_code == 400


def test_purged_contacts_are_gone_and_old_reports_are_found_after_reindexing(app, client, login, world,
                                                                             coordinator):
    unindexed = _file(world, phone=PHONE, name=NAME)
    unindexed.resident_phone_index = None  # as filed before the index existed
    db.session.commit()
    coordinator_client = login(coordinator)
    before = _export(coordinator_client, PHONE)
    assert before["reports_as_resident"] == [] and any("reindex-phones" in n for n in before["notes"])

    result = app.test_cli_runner().invoke(args=["retention", "reindex-phones"])
    assert result.exit_code == 0 and "phones: checked 1, updated 1, unreadable 0" in result.output
    after = _export(coordinator_client, PHONE)
    assert [e["reference_number"] for e in after["reports_as_resident"]] == [unindexed.reference_number]

    unindexed.status, unindexed.closed_at = unindexed.status.CLOSED, unindexed.created_at.replace(year=2020)
    db.session.commit()
    purge_expired()
    db.session.commit()
    assert _export(coordinator_client, PHONE)["reports_as_resident"] == []


def test_a_burst_of_exports_is_limited_per_coordinator(app, client, login, world, coordinator, monkeypatch,
                                                       limits_empty):
    from app.extensions import limiter

    limiter.reset()
    monkeypatch.setitem(app.config, "PDPA_EXPORT_RATE_LIMIT", "2 per hour")
    login(coordinator)
    for _ in range(2):
        _export(client, "0891234567")
    refused = client.post(f"{URL}?lang=en", data={"phone": "0891234567"})
    assert refused.status_code == 429 and refused.headers.get("Retry-After")
    assert "Too many" in refused.get_data(as_text=True)
    other = make_user(role=Role.PAO_COORDINATOR, pao=world.pao)
    db.session.commit()
    _export(signed_in(app, other), "0891234567")  # the budget is per coordinator, not shared
    limiter.reset()
