"""The admin page of undelivered notifications: errors visible, retry one or all, admins only."""
import pytest

from app.accounts.models import Role
from app.delivery.models import OutboxMessage, OutboxStatus
from app.delivery.notify import notify_question_asked
from app.delivery.worker import run_pass
from tests.delivery.receivers import Receiver
from tests.factories import make_user


def dead_messages(db, world, channel_settings, count=1):
    """Let `count` messages die against a webhook that always answers 500."""
    channel_settings["OUTBOX_MAX_ATTEMPTS"] = 2
    from app.delivery.services import enqueue_notification, set_station_webhook

    with Receiver(status_for=lambda n: 500) as receiver:
        set_station_webhook(world.station, receiver.url, secret="k")
        messages = [m for _ in range(count)
                    for m in enqueue_notification("report_routed", report=world.report, stations=[world.station])]
        db.session.commit()
        for _ in range(2):
            for message in messages:
                db.session.refresh(message)
            run_pass(now=max(m.next_attempt_at for m in messages))
    for message in messages:
        db.session.refresh(message)
    assert {m.status for m in messages} == {OutboxStatus.DEAD}
    return messages


@pytest.fixture()
def admin(db):
    return make_user(role=Role.ADMIN, username="delivery-admin")


def test_a_dead_message_shows_its_error_and_retry_puts_it_back_to_pending(client, login, db, world, admin,
                                                                          channel_settings):
    [message] = dead_messages(db, world, channel_settings)
    db.session.commit()
    login(admin)
    page = client.get("/delivery/failures?lang=en").get_data(as_text=True)
    assert "HTTP 500" in page and world.report.reference_number in page
    assert "Report routed to a station" in page and world.station.name_en in page

    response = client.post(f"/delivery/failures/{message.id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == OutboxStatus.PENDING and message.attempts == 0
    assert "HTTP 500" in message.last_error  # kept until the next attempt


def test_retry_all_dead(client, login, db, world, admin, channel_settings):
    messages = dead_messages(db, world, channel_settings, count=3)
    db.session.commit()
    login(admin)
    response = client.post("/delivery/failures/retry-dead", follow_redirects=True)
    assert "3" in response.get_data(as_text=True)
    db.session.expire_all()
    assert {db.session.get(OutboxMessage, m.id).status for m in messages} == {OutboxStatus.PENDING}


def test_the_page_is_in_thai_by_default(client, login, db, world, admin, channel_settings):
    dead_messages(db, world, channel_settings)
    db.session.commit()
    login(admin)
    page = client.get("/delivery/failures").get_data(as_text=True)
    assert world.station.name_th in page


def test_repeatedly_failing_messages_are_listed_before_they_die(client, login, db, world, admin):
    [message] = notify_question_asked(world.report)
    message.attempts, message.last_error = 3, "SMTP 127.0.0.1: refused"
    db.session.commit()
    login(admin)
    page = client.get("/delivery/failures?lang=en").get_data(as_text=True)
    assert "SMTP 127.0.0.1: refused" in page and world.member.display_name in page


def test_sent_messages_cannot_be_retried(client, login, db, world, admin):
    [message] = notify_question_asked(world.report)
    message.status = OutboxStatus.SENT
    db.session.commit()
    login(admin)
    assert client.post(f"/delivery/failures/{message.id}/retry").status_code == 404


@pytest.mark.parametrize("role", [Role.COUNCIL_MEMBER, Role.DESK_OFFICER, Role.STATION_COMMANDER,
                                  Role.PAO_COORDINATOR])
def test_only_admins_may_open_or_retry(client, login, db, world, role):
    login(make_user(role=role))
    assert client.get("/delivery/failures").status_code == 403
    assert client.post("/delivery/failures/retry-dead").status_code == 403


def test_retry_needs_a_csrf_token(app, client, login, db, world, admin, monkeypatch):
    [message] = notify_question_asked(world.report)
    message.status = OutboxStatus.DEAD
    db.session.commit()
    login(admin)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/delivery/failures/{message.id}/retry").status_code == 400
