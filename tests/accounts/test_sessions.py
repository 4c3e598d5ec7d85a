"""Sessions end when they should: a new password, a second-factor reset, a lock or a disabled account."""
from app.accounts.models import Role
from tests.accounts.helpers import sign_in
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "another-long-pass-7"


def _signed_in(app, user):
    client = app.test_client()
    sign_in(client, user)
    assert client.get("/accounts/password").status_code == 200
    return client


def _signed_out(client):
    response = client.get("/accounts/password")
    return response.status_code == 302 and "/accounts/login" in response.headers["Location"]


def test_a_new_password_ends_the_other_sessions_but_not_this_one(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone, laptop = _signed_in(app, member), _signed_in(app, member)
    response = phone.post("/accounts/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                      "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _signed_out(phone)
    assert _signed_out(laptop)


def test_a_remember_me_cookie_from_before_a_password_change_no_longer_signs_in(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    laptop = app.test_client()
    laptop.post("/accounts/login", data={"username": member.username, "password": PASSWORD, "remember": "y"})
    remember = laptop.get_cookie("remember_token")
    assert remember is not None
    phone = _signed_in(app, member)
    phone.post("/accounts/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                           "confirm": NEW_PASSWORD})
    stolen = app.test_client()  # only the old remember-me cookie, no session
    stolen.set_cookie("remember_token", remember.value)
    assert _signed_out(stolen)


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


def test_a_disabled_account_is_signed_out(app, db):
    member = make_user(role=Role.COUNCIL_MEMBER)
    db.session.commit()
    phone = _signed_in(app, member)
    member.active = False
    db.session.commit()
    assert _signed_out(phone)
