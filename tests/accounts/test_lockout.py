"""Lockout after failed sign-ins in a row, admin unlock and two-factor reset (page and CLI), events."""
import re

import pytest

from app.accounts.models import AccountEvent, Role, User
from tests.accounts.helpers import code_for, fresh_code, sign_in
from tests.factories import PASSWORD, make_user

LOCKED_EN = "This account is locked after too many failed sign-ins. Ask an administrator to unlock it."


def _try(client, user, password, lang="en"):
    return client.post(f"/accounts/login?lang={lang}", data={"username": user.username, "password": password})


def _reload(db, user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def _kinds(db, user):
    return db.session.scalars(db.select(AccountEvent.kind).where(AccountEvent.user_id == user.id)
                              .order_by(AccountEvent.id)).all()


@pytest.mark.parametrize("role", [Role.COUNCIL_MEMBER, Role.DESK_OFFICER])
def test_wrong_passwords_in_a_row_lock_the_account(app, client, db, role):
    user = make_user(role=role)
    threshold = app.config["LOCKOUT_THRESHOLD"]
    for _ in range(threshold):
        response = _try(client, user, "not-the-password")
        assert response.status_code == 400 and "Wrong username or password." in response.get_data(as_text=True)
    assert _reload(db, user).locked_at is not None
    refused = _try(client, user, PASSWORD)
    assert refused.status_code == 403 and LOCKED_EN in refused.get_data(as_text=True)
    assert client.get("/home").status_code == 302
    assert _kinds(db, user) == ["sign_in_failed"] * threshold + ["locked", "refused_locked"]


def test_a_locked_account_with_a_wrong_password_looks_like_any_wrong_password(app, client, db):
    user = make_user()
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        _try(client, user, "not-the-password")
    response = _try(client, user, "still-not-it")
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert LOCKED_EN not in response.get_data(as_text=True)


def test_a_success_resets_the_count(app, client, db):
    user = make_user()
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 1):
        _try(client, user, "not-the-password")
    assert _try(client, user, PASSWORD).status_code == 302
    client.post("/accounts/logout")
    assert _reload(db, user).failed_logins == 0
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 1):
        _try(client, user, "not-the-password")
    assert _reload(db, user).locked_at is None


def test_wrong_codes_count_toward_the_lockout_with_wrong_passwords(app, client, db):
    user = make_user(role=Role.STATION_COMMANDER)
    _try(client, user, "not-the-password")
    assert _try(client, user, PASSWORD).headers["Location"].endswith("/accounts/2fa")
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 2):
        assert client.post("/accounts/2fa", data={"code": "000000"}).status_code == 400
    last = client.post("/accounts/2fa?lang=en", data={"code": "000000"})
    assert last.status_code == 302 and last.headers["Location"].endswith("/accounts/login")
    assert LOCKED_EN in client.get("/accounts/login?lang=en").get_data(as_text=True)
    # the right code no longer helps: the pending sign-in was dropped and the account is locked
    assert client.post("/accounts/2fa", data={"code": code_for(user)}).status_code == 302
    assert client.get("/home").status_code == 302
    assert _try(client, user, PASSWORD).status_code == 403
    assert _kinds(db, user)[-3:] == ["second_factor_failed", "locked", "refused_locked"]


@pytest.fixture()
def admin_client(app, db):
    from tests.triage.helpers import signed_in

    admin = make_user(role=Role.ADMIN, username="boss")
    return admin, signed_in(app, admin)


def _lock(app, client, user):
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        _try(client, user, "not-the-password")


def test_admin_sees_accounts_and_unlocks_one(app, client, db, admin_client):
    admin, browser = admin_client
    user = make_user(role=Role.DESK_OFFICER, username="somchai.desk")
    _lock(app, client, user)
    db.session.commit()
    page = browser.get("/accounts/users?lang=en").get_data(as_text=True)
    row = re.search(rf'<tr id="user-{user.id}">.*?</tr>', page, re.S).group(0)
    assert "somchai.desk" in row and "Locked" in row and "Two-factor on" in row and "Unlock" in row
    assert "Desk officer" in row and user.station.name_en in row and "Never" in row
    response = browser.post(f"/accounts/users/{user.id}/unlock")
    assert response.status_code == 302
    assert _reload(db, user).locked_at is None and _reload(db, user).failed_logins == 0
    sign_in(client, user)
    assert client.get("/home").status_code == 200
    detail = browser.get(f"/accounts/users/{user.id}?lang=en").get_data(as_text=True)
    assert "Unlocked" in detail and "boss" in detail and "Locked after failed sign-ins" in detail
    event = db.session.scalar(db.select(AccountEvent).where(AccountEvent.kind == "unlocked"))
    assert event.actor_id == admin.id and event.ip == "127.0.0.1"


def test_admin_resets_two_factor_and_the_next_sign_in_enrols_again(app, client, db, admin_client):
    _admin, browser = admin_client
    user = make_user(role=Role.PAO_COORDINATOR)
    assert browser.post(f"/accounts/users/{user.id}/reset-2fa").status_code == 302
    assert not _reload(db, user).two_factor_enrolled
    response = _try(client, user, PASSWORD)
    assert response.headers["Location"].endswith("/accounts/2fa/setup")


def test_admin_buttons_need_the_csrf_token(app, db, admin_client, monkeypatch):
    _admin, browser = admin_client
    user = make_user(role=Role.DESK_OFFICER)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert browser.post(f"/accounts/users/{user.id}/reset-2fa").status_code == 400
    assert _reload(db, user).two_factor_enrolled
    page = browser.get("/accounts/users").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert browser.post(f"/accounts/users/{user.id}/reset-2fa", data={"csrf_token": token}).status_code == 302
    assert not _reload(db, user).two_factor_enrolled


@pytest.mark.parametrize("role", [Role.COUNCIL_MEMBER, Role.DESK_OFFICER, Role.STATION_COMMANDER,
                                  Role.PAO_COORDINATOR])
def test_only_admins_manage_accounts(client, db, login, role):
    other = make_user()
    login(make_user(role=role))
    assert client.get("/accounts/users").status_code == 403
    assert client.get(f"/accounts/users/{other.id}").status_code == 403
    assert client.post(f"/accounts/users/{other.id}/unlock").status_code == 403
    assert client.post(f"/accounts/users/{other.id}/reset-2fa").status_code == 403


def test_admin_home_links_to_accounts(client, db, login):
    login(make_user(role=Role.ADMIN))
    assert 'href="/accounts/users"' in client.get("/home").get_data(as_text=True)


def test_unknown_account_page_is_404(db, admin_client):
    _admin, browser = admin_client
    assert browser.get("/accounts/users/99999").status_code == 404


def test_cli_unlocks_and_resets_two_factor(app, client, db):
    user = make_user(role=Role.DESK_OFFICER, username="desk.cli")
    _lock(app, client, user)
    db.session.commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["users", "list"])
    assert re.search(r"desk\.cli .*LOCKED +2fa\n", listed.output)
    result = runner.invoke(args=["users", "unlock", "DESK.CLI"])
    assert result.exit_code == 0 and "unlocked desk.cli" in result.output
    assert _reload(db, user).locked_at is None
    result = runner.invoke(args=["users", "reset-2fa", "desk.cli"])
    assert result.exit_code == 0, result.output
    assert not _reload(db, user).two_factor_enrolled
    assert _kinds(db, user)[-2:] == ["unlocked", "two_factor_reset"]
    assert runner.invoke(args=["users", "unlock", "nobody"]).exit_code == 2
    assert "no user 'nobody'" in runner.invoke(args=["users", "reset-2fa", "nobody"]).output


def test_sign_ins_are_recorded_with_the_address(client, db):
    user = make_user(role=Role.ADMIN)
    sign_in(client, user)
    client.post("/accounts/logout")
    _try(client, make_user(), "not-the-password")
    client.post("/accounts/login", data={"username": "nobody-here", "password": "x"})
    events = db.session.scalars(db.select(AccountEvent).order_by(AccountEvent.id)).all()
    assert [(e.kind, e.ip) for e in events] == [("signed_in", "127.0.0.1"), ("signed_out", "127.0.0.1"),
                                                ("sign_in_failed", "127.0.0.1"), ("sign_in_failed", "127.0.0.1")]
    assert events[0].user_id == user.id and events[-1].user_id is None
    assert _reload(db, user).last_login_at is not None


def test_an_account_locked_during_enrolment_cannot_finish_it(app, client, db):
    user = make_user(role=Role.DESK_OFFICER, two_factor=False)
    assert _try(client, user, PASSWORD).headers["Location"].endswith("/accounts/2fa/setup")
    page = client.get("/accounts/2fa/setup").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    _lock(app, app.test_client(), user)  # someone else guesses the password meanwhile
    db.session.commit()
    response = client.post("/accounts/2fa/setup", data={"code": fresh_code(secret)[0]})
    assert response.status_code == 302 and response.headers["Location"].endswith("/accounts/login")
    assert client.get("/home").status_code == 302
    assert not _reload(db, user).two_factor_enrolled
