"""Server-side sessions: signing out ends them everywhere, copied cookies are worth nothing, limits hold."""
from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie

from app import create_app
from app.accounts.models import Role, User
from app.core.timeutil import utcnow
from app.extensions import db as _db
from app.security.sessions import UserSession
from config import TestConfig
from tests.accounts.helpers import sign_in
from tests.factories import PASSWORD, make_report, make_user

NEW_PASSWORD = "another-long-pass-7"
PHONE_UA = ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36")


def _signed_in(app, user, **headers):
    client = app.test_client()
    if headers:
        client.environ_base.update(headers)
    sign_in(client, user)
    assert client.get("/accounts/password").status_code == 200
    return client


def _signed_out(client):
    response = client.get("/accounts/password")
    return response.status_code == 302 and "/accounts/login" in response.headers["Location"]


def _copy(app, client):
    """A second client holding a copy of client's cookies, as an attacker who copied them would."""
    thief = app.test_client()
    for cookie in client._cookies.values():
        thief.set_cookie(cookie.key, cookie.value)
    return thief


def _sessions(db, user):
    return db.session.scalars(db.select(UserSession).where(UserSession.user_id == user.id)).all()


def test_a_copied_cookie_stops_working_when_the_owner_signs_out(app, db):
    officer = make_user(role=Role.DESK_OFFICER)
    report = make_report(station=officer.station)
    db.session.commit()
    desk = _signed_in(app, officer)
    thief = _copy(app, desk)
    assert thief.get(f"/triage/reports/{report.id}").status_code == 200
    desk.post("/accounts/logout")
    response = thief.get(f"/triage/reports/{report.id}")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
    assert _sessions(db, officer) == []


def test_the_cookie_carries_a_random_token_and_the_database_only_its_hash(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone = _signed_in(app, member)
    data = app.session_interface.get_signing_serializer(app).loads(phone.get_cookie("session").value)
    token = data["_user_id"]
    assert len(token) >= 40 and token != str(member.id) and not token.startswith(f"{member.id}:")
    [row] = _sessions(db, member)
    assert token not in (row.token_hash, str(row.id)) and len(row.token_hash) == 64


def test_sign_out_ends_only_that_device(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone, laptop = _signed_in(app, member), _signed_in(app, member)
    phone.post("/accounts/logout")
    assert _signed_out(phone) and not _signed_out(laptop)


def test_a_new_password_ends_the_other_sessions_but_not_this_one(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone, laptop = _signed_in(app, member), _signed_in(app, member)
    response = phone.post("/accounts/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                      "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _signed_out(phone)
    assert _signed_out(laptop)


def test_an_old_remember_me_cookie_signs_nobody_in(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    stolen = app.test_client()
    with app.test_request_context():  # what Flask-Login's remember-me cookie used to hold, validly signed
        stolen.set_cookie("remember_token", encode_cookie(str(member.id)))
        stolen2 = app.test_client()
        stolen2.set_cookie("remember_token", encode_cookie(f"{member.id}:0123456789abcdef"))
    assert _signed_out(stolen) and _signed_out(stolen2)


def test_staff_are_never_remembered_and_sign_in_with_two_factor_each_time(app, db):
    officer = make_user(role=Role.DESK_OFFICER)
    db.session.commit()
    client = app.test_client()
    response = client.post("/accounts/login", data={"username": officer.username, "password": PASSWORD,
                                                    "remember": "y"})
    assert response.headers["Location"].endswith("/accounts/2fa")
    sign_in(client, officer)
    assert "remember_token" not in {c.key for c in client._cookies.values()}
    assert client.get_cookie("session").expires is None  # ends with the browser
    [row] = _sessions(db, officer)
    assert row.remember is False
    # past SESSION_HOURS the session is over, remember box or not
    row.created_at = utcnow() - timedelta(hours=app.config["SESSION_HOURS"], minutes=1)
    db.session.commit()
    assert _signed_out(client)


def test_a_council_member_may_stay_signed_in_for_days(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone = app.test_client()
    phone.post("/accounts/login", data={"username": member.username, "password": PASSWORD, "remember": "y"})
    cookie = phone.get_cookie("session")
    assert cookie.expires is not None
    [row] = _sessions(db, member)
    assert row.remember is True
    row.created_at = row.last_seen_at = utcnow() - timedelta(days=2)
    db.session.commit()
    assert not _signed_out(phone)
    row = _sessions(db, member)[0]
    row.created_at = utcnow() - timedelta(days=app.config["SESSION_REMEMBER_DAYS"], minutes=1)
    db.session.commit()
    assert _signed_out(phone)


def test_an_idle_session_ends_and_its_row_goes(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone = _signed_in(app, member)
    [row] = _sessions(db, member)
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 5)
    db.session.commit()
    assert not _signed_out(phone)  # used again in time: counted from now on
    row = _sessions(db, member)[0]
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    assert _signed_out(phone)
    assert _sessions(db, member) == []


def test_the_devices_page_lists_sessions_and_ends_another_one(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone = _signed_in(app, member, HTTP_USER_AGENT=PHONE_UA)
    laptop = _signed_in(app, member, HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/121.0")
    page = phone.get("/accounts/sessions?lang=en").get_data(as_text=True)
    assert "Chrome on Android" in page and "Firefox on Windows" in page and "This device" in page
    laptop_row = next(r for r in _sessions(db, member) if "Windows" in r.user_agent)
    response = phone.post("/accounts/sessions/end", data={"session_id": laptop_row.id})
    assert response.status_code == 302
    assert _signed_out(laptop) and not _signed_out(phone)


def test_a_user_cannot_end_someone_elses_session(app, db):
    member, other = make_user(role=Role.COUNCIL_MEMBER), make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone, victim = _signed_in(app, member), _signed_in(app, other)
    [victim_row] = _sessions(db, other)
    phone.post("/accounts/sessions/end", data={"session_id": victim_row.id})
    assert not _signed_out(victim)


def test_ending_this_devices_session_signs_out_and_all_others_ends_the_rest(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone, laptop, tablet = (_signed_in(app, member) for _ in range(3))
    assert phone.post("/accounts/sessions/end-others").status_code == 302
    assert _signed_out(laptop) and _signed_out(tablet) and not _signed_out(phone)
    [own] = _sessions(db, member)
    response = phone.post("/accounts/sessions/end", data={"session_id": own.id})
    assert response.headers["Location"].endswith("/accounts/login")
    assert _signed_out(phone)


def test_an_admin_signs_a_user_out_everywhere_and_disables_the_account(app, db):
    officer = make_user(role=Role.DESK_OFFICER)
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    desk, admin_client = _signed_in(app, officer), _signed_in(app, admin)
    page = admin_client.get(f"/accounts/users/{officer.id}?lang=en").get_data(as_text=True)
    assert "Signed-in devices" in page and "Sign out everywhere" in page
    assert admin_client.post(f"/accounts/users/{officer.id}/end-sessions").status_code == 302
    assert _signed_out(desk)
    desk = _signed_in(app, officer)
    assert admin_client.post(f"/accounts/users/{officer.id}/disable").status_code == 302
    assert _signed_out(desk)
    refused = app.test_client().post("/accounts/login", data={"username": officer.username, "password": PASSWORD})
    assert refused.status_code == 400
    assert admin_client.post(f"/accounts/users/{officer.id}/enable").status_code == 302
    assert not _signed_out(_signed_in(app, officer))
    # an admin cannot lock themselves out by disabling their own account
    admin_client.post(f"/accounts/users/{admin.id}/disable")
    assert db.session.get(User, admin.id).active is True and not _signed_out(admin_client)


def test_an_admin_resetting_the_second_factor_ends_the_officers_sessions(app, db):
    officer = make_user(role=Role.DESK_OFFICER)
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    officer_client, admin_client = _signed_in(app, officer), _signed_in(app, admin)
    assert admin_client.post(f"/accounts/users/{officer.id}/reset-2fa").status_code == 302
    assert _signed_out(officer_client)
    assert not _signed_out(admin_client)


def test_locking_an_account_ends_its_sessions(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOCKOUT_THRESHOLD", 2)
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone = _signed_in(app, member)
    attacker = app.test_client()
    for _ in range(2):
        attacker.post("/accounts/login", data={"username": member.username, "password": "wrong-guess-123"})
    assert _signed_out(phone)
    assert _sessions(db, member) == []


def test_a_disabled_account_is_signed_out(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone = _signed_in(app, member)
    member.active = False
    db.session.commit()
    assert _signed_out(phone)


def test_cli_ends_sessions_and_disables(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone = _signed_in(app, member)
    runner = app.test_cli_runner()
    assert "ended 1 sessions" in runner.invoke(args=["users", "end-sessions", member.username]).output
    assert _signed_out(phone)
    phone = _signed_in(app, member)
    assert runner.invoke(args=["users", "disable", member.username]).exit_code == 0
    assert _signed_out(phone)
    assert runner.invoke(args=["users", "enable", member.username]).exit_code == 0
    assert not _signed_out(_signed_in(app, member))


@pytest.fixture()
def two_servers(tmp_path):
    """Two application instances over one database file, as two servers behind a load balancer are."""
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.db'}", "INSTANCE_DIR": str(tmp_path)}
    first = create_app(type("ServerA", (TestConfig,), settings))
    second = create_app(type("ServerB", (TestConfig,), settings))
    with first.app_context():
        _db.create_all()
        make_user(role=Role.COUNCIL_MEMBER, username="member-ab")
        _db.session.commit()
    yield first, second
    for server in (first, second):
        with server.app_context():
            _db.session.remove()
            _db.engine.dispose()


def test_signing_out_on_one_server_ends_the_session_on_the_other(two_servers):
    first, second = two_servers
    on_a = first.test_client()
    with first.app_context():
        member = _db.session.scalar(_db.select(User).where(User.username == "member-ab"))
        sign_in(on_a, member)
    on_b = _copy(second, on_a)  # the load balancer sends the same browser to the other server
    with second.app_context():
        assert not _signed_out(on_b)
    with first.app_context():
        on_a.post("/accounts/logout")
    with second.app_context():
        assert _signed_out(on_b)
