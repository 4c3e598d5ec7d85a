"""Enqueueing: one row per (recipient, channel), in the caller's transaction, with no personal data."""
import json

import pytest

from app.accounts.models import Role
from app.delivery.messages import UnsafePayload
from app.delivery.models import OutboxMessage, OutboxStatus
from app.delivery.notify import notify_outcome_recorded, notify_question_asked, notify_report_routed
from app.delivery.services import enqueue_notification, set_notify_preference, set_station_webhook
from tests.delivery.conftest import personal_data_in
from tests.factories import make_user


def outbox(db):
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_rollback_leaves_no_row_and_commit_keeps_it(db, world):
    db.session.commit()
    enqueue_notification("question_asked", report=world.report, users=[world.member])
    db.session.rollback()
    assert outbox(db) == []

    enqueue_notification("question_asked", report=world.report, users=[world.member])
    db.session.commit()
    db.session.remove()
    [message] = outbox(db)
    assert message.status == OutboxStatus.PENDING and message.channel == "email"


def test_one_row_per_recipient_and_channel_with_unique_keys(db, world):
    set_station_webhook(world.station, "https://station.example/hook")
    world.station.notify_email = "desk-inbox@station.example"
    other_desk = make_user(role=Role.DESK_OFFICER, station=world.station)
    set_notify_preference(other_desk, "line", line_user_id="U1234")
    make_user(role=Role.DESK_OFFICER, station=world.station).notify_channel = "none"
    make_user(role=Role.DESK_OFFICER, station=world.station, active=False).email = "gone@example.test"

    messages = notify_report_routed(world.report)

    got = sorted((m.recipient_user_id or 0, m.recipient_station_id or 0, m.channel) for m in messages)
    assert got == sorted([(world.desk.id, 0, "email"), (other_desk.id, 0, "line"),
                          (0, world.station.id, "webhook"), (0, world.station.id, "email")])
    keys = [m.idempotency_key for m in messages]
    assert len(set(keys)) == 4 and all(len(k) == 32 for k in keys)
    assert {m.report_id for m in messages} == {world.report.id}


def test_language_follows_the_recipient_and_stations_read_thai(db, world):
    world.member.preferred_language = "en"
    world.station.notify_email = "desk-inbox@station.example"
    [member_message] = notify_question_asked(world.report)
    station_messages = enqueue_notification("report_routed", report=world.report, stations=[world.station])

    assert member_message.language == "en"
    assert member_message.payload["subject"].startswith("[Ruamkan] Mueang Songkhla asked about")
    assert [m.language for m in station_messages] == ["th"]
    assert station_messages[0].payload["subject"].startswith("[ร่วมกัน] เรื่องใหม่")
    assert "สภ.เมืองสงขลา" in station_messages[0].payload["text"]


def test_payload_has_reference_category_station_status_and_link_only(db, world):
    [message] = notify_outcome_recorded(world.report)
    data = message.payload["data"]
    assert data["reference_number"] == world.report.reference_number
    assert data["link"] == f"https://ruamkan.example/reports/{world.report.id}"
    assert set(data) <= {"report_id", "reference_number", "category_code", "category", "station_code", "station",
                         "status", "status_label", "priority", "link"}
    assert personal_data_in(json.dumps(message.payload, ensure_ascii=False)) == []


def test_a_payload_key_that_could_carry_personal_data_is_refused(db, world):
    with pytest.raises(UnsafePayload):
        enqueue_notification("question_asked", report=world.report, users=[world.member],
                             payload={"resident_phone": "0812345678"})


def test_users_without_any_reachable_channel_get_nothing(db, world):
    world.member.email = None
    set_notify_preference(world.member, "line")  # LINE chosen but never linked, and no e-mail
    assert notify_question_asked(world.report) == []


def test_a_line_preference_without_a_linked_account_falls_back_to_email(db, world):
    set_notify_preference(world.member, "line")
    [message] = notify_question_asked(world.report)
    assert message.channel == "email"


def test_a_derived_key_makes_enqueueing_idempotent(db, world):
    first = enqueue_notification("question_asked", report=world.report, users=[world.member], key="q:1")
    again = enqueue_notification("question_asked", report=world.report, users=[world.member], key="q:1")
    other = enqueue_notification("question_asked", report=world.report, users=[world.member], key="q:2")
    assert len(first) == 1 and again == [] and len(other) == 1
    assert len(outbox(db)) == 2


def test_unknown_kind_is_refused(db, world):
    with pytest.raises(ValueError):
        enqueue_notification("gossip", users=[world.member])


def test_a_desk_officers_choice_per_kind_decides_each_notification(db, world):
    """The desk officers are read with their choice for the kind at hand (app/delivery/notify.py)."""
    from datetime import timedelta

    from app.core.timeutil import utcnow
    from app.delivery.line_links import set_kind_channels
    from app.delivery.notify import notify_escalation, notify_question_answered, notify_resident_wrote

    quiet = make_user(role=Role.DESK_OFFICER, station=world.station)
    quiet.email = "quiet@example.test"
    set_kind_channels(quiet, {"report_routed": "none", "resident_wrote": "none"})
    commander = make_user(role=Role.STATION_COMMANDER, station=world.station)
    commander.email = "commander@example.test"
    set_kind_channels(commander, {"overdue_escalation": "none"})

    def users(messages):
        return {m.recipient_user_id for m in messages if m.recipient_user_id}

    assert quiet.id not in users(notify_report_routed(world.report))
    assert world.desk.id in users(notify_report_routed(world.report))
    assert quiet.id in users(notify_question_answered(world.report))
    assert quiet.id not in users(notify_resident_wrote(world.report))
    escalated = notify_escalation(world.report, deadline="ack", due_at=utcnow() - timedelta(hours=1),
                                  level="commander")
    assert commander.id not in users(escalated)
