"""LINE linking details: every role links, codes expire, station messages reach the group, language per person."""
from datetime import timedelta

import pytest

from app.accounts.models import Role, User
from app.core.timeutil import utcnow
from app.delivery.line_links import LinkError, claim_code, issue_link_code, prune_line_records
from app.delivery.line_models import LineLinkCode, LineWebhookEvent
from app.delivery.notify import notify_outcome_recorded
from app.delivery.worker import run_pass
from app.extensions import db as _db
from app.reports.workflow import perform
from app.triage.sla import escalate_report
from tests.accounts.helpers import sign_in
from tests.delivery.line_fake import deliver, text_event
from tests.delivery.line_helpers import (
    GROUP_LINE,
    MEMBER_LINE,
    confirm_claim,
    file_report,
    link_group,
    link_member,
    shown_code,
)
from tests.factories import make_user


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.PAO_COORDINATOR, Role.STATION_COMMANDER])
def test_every_role_links_its_line(client, login, line_world, line, role):
    user = make_user(role=role, station=line_world.west if role != Role.PAO_COORDINATOR else None,
                     pao=line_world.pao if role == Role.PAO_COORDINATOR else None)
    _db.session.commit()
    login(user)
    code, page = shown_code(client)
    assert ('id="station-code"' in page) == (role == Role.STATION_COMMANDER)
    # only the kinds this role is ever sent are offered
    assert ('name="kind_report_routed"' in page) == (role == Role.DESK_OFFICER)
    assert ('name="kind_overdue_escalation"' in page) == (role != Role.DESK_OFFICER)
    assert 'name="kind_outcome_recorded"' not in page
    deliver(client, text_event(code, user_id="U" + "7" * 32))
    confirm_claim(client)
    assert _db.session.get(User, user.id).line_user_id == "U" + "7" * 32


def test_only_a_commander_unlinks_the_station_group(client, login, line_world, line):
    login(line_world.desk)
    assert client.post("/delivery/notifications/station-group/unlink").status_code == 403


def test_a_code_expires_after_ten_minutes_and_links_nothing(db, line_world, line):
    then = utcnow() - timedelta(minutes=11)
    code = issue_link_code(line_world.member, now=then)
    assert code.expires_at == then + timedelta(minutes=10)
    with pytest.raises(LinkError):
        claim_code(MEMBER_LINE, code.code, for_station=False)
    assert line_world.member.line_user_id is None
    assert issue_link_code(line_world.member).code != code.code  # a fresh one is made


def test_the_push_is_in_the_recipients_language(client, login, line_world, line):
    line_world.member.preferred_language = "en"
    _db.session.commit()
    login(line_world.member)
    link_member(client, line_world, line)
    assert "confirm this LINE account" in line.reply_texts()[-1]
    report = file_report(line_world)
    notify_outcome_recorded(report)
    _db.session.commit()
    run_pass()
    [push] = [p for p in line.pushes() if p["json"]["to"] == MEMBER_LINE]
    flex = push["json"]["messages"][0]
    assert flex["altText"].startswith("[Ruamkan]")
    assert flex["contents"]["footer"]["contents"][0]["action"]["label"] == "Open the report"
    assert f"Reference: {report.reference_number}" in str(flex)


def test_deadline_warnings_and_transfers_reach_the_station_groups(app, client, login, line_world, line):
    east_group = "C" + "5" * 32
    login(line_world.commander)
    link_group(client, line_world)
    east_commander = make_user(role=Role.STATION_COMMANDER, station=line_world.east)
    _db.session.commit()
    east_client = app.test_client()
    sign_in(east_client, east_commander)
    code, _page = shown_code(east_client, "station-code")
    deliver(east_client, text_event(code, group_id=east_group))
    confirm_claim(east_client)
    report = file_report(line_world)
    escalate_report(report, deadline="ack", level="commander")
    perform(report, "acknowledge", line_world.desk)
    perform(report, "transfer", line_world.desk, station=line_world.east, reason="The place is in the east area")
    _db.session.commit()
    run_pass()
    pushed = [(p["json"]["to"], p["json"]["messages"][0]["altText"]) for p in line.pushes()]
    assert [to for to, _text in pushed] == [GROUP_LINE, GROUP_LINE, east_group]
    assert all(report.reference_number in text for _to, text in pushed)


def test_the_prune_job_forgets_old_codes_and_event_ids(db, line_world):
    now = utcnow()
    issue_link_code(line_world.member, now=now - timedelta(days=2))
    _db.session.add(LineWebhookEvent(webhook_event_id="old", event_type="message", received_at=now - timedelta(days=8)))
    _db.session.add(LineWebhookEvent(webhook_event_id="new", event_type="message", received_at=now))
    _db.session.commit()
    assert prune_line_records(now) == 2
    assert _db.session.scalars(_db.select(LineWebhookEvent.webhook_event_id)).all() == ["new"]
    assert _db.session.scalar(_db.select(_db.func.count(LineLinkCode.id))) == 0


def test_line_gets_its_200_before_the_bot_replies(client, login, line_world, line):
    login(line_world.member)
    code, _page = shown_code(client)
    response = deliver(client, text_event(code, user_id=MEMBER_LINE), close=False)
    assert response.status_code == 200
    assert line.replies() == []  # linked already, but the reply waits until the answer is out
    response.close()
    assert len(line.replies()) == 1


def test_a_code_read_off_the_screen_links_nothing_until_its_owner_confirms(app, client, login, line_world, line):
    """Someone who saw the member's code sends it from their own LINE: the member sees who, and refuses."""
    snooper = "U" + "9" * 32
    line.profiles[snooper] = {"displayName": "Somchai Snoop", "language": "th"}
    login(line_world.member)
    code, _page = shown_code(client)
    deliver(client, text_event(code, user_id=snooper))
    _db.session.expire_all()
    member = _db.session.get(User, line_world.member.id)
    assert member.line_user_id is None
    assert "ยืนยัน" in line.reply_texts()[-1] or "confirm" in line.reply_texts()[-1]
    page = client.get("/delivery/notifications?lang=en").get_data(as_text=True)
    assert "Somchai Snoop" in page and "Was it you?" in page
    # the member's own LINE sending the same code later is refused: a code is claimed once
    deliver(client, text_event(code, user_id=MEMBER_LINE))
    assert "unknown or has expired" in line.reply_texts()[-1] or "หมดอายุ" in line.reply_texts()[-1]
    confirm_claim(client, "refuse")
    assert _db.session.get(User, line_world.member.id).line_user_id is None
    # nobody else can answer the member's claim, and an answered claim cannot be answered again
    fresh, _page = shown_code(client)
    assert fresh != code
    deliver(client, text_event(fresh, user_id=MEMBER_LINE))
    [code_id] = [row.id for row in _db.session.scalars(_db.select(LineLinkCode).where(
        LineLinkCode.claimed_id == MEMBER_LINE))]
    other = app.test_client()
    sign_in(other, line_world.desk)
    other.post(f"/delivery/notifications/line-claims/{code_id}", data={"answer": "confirm"})
    _db.session.expire_all()
    assert _db.session.get(User, line_world.member.id).line_user_id is None
    assert _db.session.get(User, line_world.desk.id).line_user_id is None
    confirm_claim(client)
    assert _db.session.get(User, line_world.member.id).line_user_id == MEMBER_LINE
    again = client.post(f"/delivery/notifications/line-claims/{code_id}", data={"answer": "confirm"},
                        follow_redirects=True)
    assert "expired or was already answered" in again.get_data(as_text=True) or again.status_code == 200


def test_a_claim_must_be_answered_in_time_and_a_bad_answer_is_refused(client, login, line_world, line):
    login(line_world.member)
    code, _page = shown_code(client)
    claimed_at = utcnow() - timedelta(minutes=11)
    row = claim_code(MEMBER_LINE, code.replace("-", ""), for_station=False, now=claimed_at)
    assert row.expires_at >= claimed_at + timedelta(minutes=10)  # the owner gets ten minutes from the claim
    row.expires_at = claimed_at + timedelta(minutes=10)  # ... which have passed
    _db.session.commit()
    assert 'id="line-claim-' not in client.get("/delivery/notifications").get_data(as_text=True)
    response = client.post(f"/delivery/notifications/line-claims/{row.id}", data={"answer": "confirm"})
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(User, line_world.member.id).line_user_id is None
    fresh, _page = shown_code(client)
    deliver(client, text_event(fresh, user_id=MEMBER_LINE))
    bad = client.post(f"/delivery/notifications/line-claims/{row.id + 1}", data={"answer": "maybe"})
    assert bad.status_code == 400 and 'id="line-claim-' in bad.get_data(as_text=True)
