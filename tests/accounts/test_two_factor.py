"""Two-factor sign-in: enrolment at first sign-in, TOTP codes used once, recovery codes, expiry."""
import re
import time

import pyotp

from app.accounts.models import AccountEvent, Role, User, UserRecoveryCode
from tests.accounts.helpers import code_for, enrol, fresh_code, sign_in
from tests.factories import PASSWORD, TOTP_SECRET, make_user


def _password(client, user, **query):
    return client.post("/accounts/login", query_string=query,
                       data={"username": user.username, "password": PASSWORD})


def _signed_in(client):
    return client.get("/home").status_code == 200


def test_council_member_signs_in_with_the_password_only(client, db):
    user = make_user(role=Role.COUNCIL_MEMBER)
    response = _password(client, user)
    assert response.headers["Location"].endswith("/home") and _signed_in(client)


def test_staff_password_alone_does_not_sign_in(client, db):
    user = make_user(role=Role.DESK_OFFICER)
    response = _password(client, user)
    assert response.status_code == 302 and response.headers["Location"].endswith("/accounts/2fa")
    assert client.get("/home").status_code == 302  # still anonymous
    assert client.get("/accounts/2fa").status_code == 200


def test_first_sign_in_enrols_then_later_ones_ask_for_a_code(app, client, db):
    user = make_user(role=Role.STATION_COMMANDER, two_factor=False)
    response = _password(client, user, next="/triage/")
    assert response.headers["Location"].endswith("/accounts/2fa/setup")
    page = client.get("/accounts/2fa/setup?lang=en")
    body = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert '<svg' in body and 'class="qr"' in body
    uri = re.search(r'id="otpauth-uri" href="([^"]+)"', body).group(1).replace("&amp;", "&")
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    assert pyotp.parse_uri(uri).secret == secret and f"issuer={app.config['TOTP_ISSUER']}" in uri
    # a reload shows the same secret: the app may already have scanned it
    assert secret in client.get("/accounts/2fa/setup").get_data(as_text=True).replace(" ", "")

    wrong = client.post("/accounts/2fa/setup?lang=en", data={"code": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.get_data(as_text=True)
    assert not _signed_in(client)

    again_secret, codes, done = enrol(client)
    assert again_secret == secret and len(codes) == 10 and len(set(codes)) == 10
    assert done.headers["Cache-Control"] == "no-store"
    assert 'href="/triage/"' in done.get_data(as_text=True)  # the safe next survives both steps
    assert _signed_in(client)
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.two_factor_enrolled and secret not in stored.totp_secret_sealed  # sealed at rest
    hashes = db.session.scalars(db.select(UserRecoveryCode.code_hash)
                                .where(UserRecoveryCode.user_id == user.id)).all()
    assert len(hashes) == 10 and not set(codes) & set(hashes)

    client.post("/accounts/logout")
    assert _password(client, user).headers["Location"].endswith("/accounts/2fa")
    code, _step = fresh_code(secret, stored.totp_last_counter)
    assert client.post("/accounts/2fa", data={"code": code}).status_code == 302
    assert _signed_in(client)


def test_wrong_code_is_refused_with_a_clear_message(client, db):
    user = make_user(role=Role.ADMIN)
    _password(client, user)
    response = client.post("/accounts/2fa?lang=en", data={"code": "123 456"})
    assert response.status_code == 400
    assert "That code is not right, or it was already used." in response.get_data(as_text=True)
    assert client.post("/accounts/2fa", data={"code": "abc"}).status_code == 400
    assert not _signed_in(client)


def test_the_same_code_cannot_be_used_twice(app, db):
    user = make_user(role=Role.DESK_OFFICER)
    code = code_for(user)
    first, second = app.test_client(), app.test_client()
    _password(first, user)
    assert first.post("/accounts/2fa", data={"code": code}).status_code == 302
    _password(second, user)
    replay = second.post("/accounts/2fa?lang=en", data={"code": code})
    assert replay.status_code == 400 and not _signed_in(second)
    # an older step is refused too once a newer one was accepted
    totp = pyotp.TOTP(TOTP_SECRET)
    older = totp.generate_otp(int(time.time()) // 30 - 1)
    assert second.post("/accounts/2fa", data={"code": older}).status_code == 400
    assert second.post("/accounts/2fa", data={"code": code_for(user)}).status_code == 302


def test_a_recovery_code_works_once(client, db):
    user = make_user(role=Role.PAO_COORDINATOR, two_factor=False)
    _password(client, user)
    _secret, codes, _done = enrol(client)
    client.post("/accounts/logout")

    _password(client, user)
    response = client.post("/accounts/2fa", data={"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302 and _signed_in(client)
    client.post("/accounts/logout")
    _password(client, user)
    assert client.post("/accounts/2fa", data={"code": codes[0]}).status_code == 400
    assert client.post("/accounts/2fa", data={"code": codes[1]}).status_code == 302
    kinds = db.session.scalars(db.select(AccountEvent.kind).where(AccountEvent.user_id == user.id)).all()
    assert kinds.count("recovery_code_used") == 2 and "two_factor_enrolled" in kinds


def test_the_pending_sign_in_expires(client, db):
    user = make_user(role=Role.DESK_OFFICER)
    _password(client, user)
    with client.session_transaction() as session:
        marker = dict(session["signin_pending"])
        marker["at"] -= 6 * 60  # as if the password was typed six minutes ago
        session["signin_pending"] = marker
    response = client.post("/accounts/2fa?lang=en", data={"code": code_for(user)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/accounts/login")
    assert "took too long" in client.get("/accounts/login?lang=en").get_data(as_text=True)
    assert not _signed_in(client)


def test_two_factor_pages_without_a_password_go_to_the_login(client, db):
    for path in ("/accounts/2fa", "/accounts/2fa/setup"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/accounts/login")


def test_keep_me_signed_in_is_kept_until_the_second_step(app, client, db, monkeypatch):
    # where council members also sign in with a code, their choice survives the second step
    monkeypatch.setitem(app.config, "TWO_FACTOR_ROLES", (*app.config["TWO_FACTOR_ROLES"], "council_member"))
    user = make_user(role=Role.COUNCIL_MEMBER, two_factor=True)
    client.post("/accounts/login", data={"username": user.username, "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("session").expires is None  # nothing lasting before the code
    response = client.post("/accounts/2fa", data={"code": code_for(user)})
    assert response.status_code == 302 and client.get_cookie("session").expires is not None
    from app.security.sessions import UserSession
    assert db.session.scalar(db.select(UserSession.remember).where(UserSession.user_id == user.id)) is True


def test_open_redirect_is_refused_after_the_second_step(client, db):
    user = make_user(role=Role.ADMIN)
    response = sign_in(client, user, next="//evil.example/")
    assert response.headers["Location"].endswith("/home")


def test_signed_in_user_renews_recovery_codes_with_a_current_code(client, db, login):
    user = make_user(role=Role.DESK_OFFICER, two_factor=False)
    _password(client, user)
    _secret, old_codes, _done = enrol(client)
    assert "Make new recovery codes" in client.get("/accounts/password?lang=en").get_data(as_text=True)
    wrong = client.post("/accounts/recovery-codes?lang=en", data={"code": "000000"})
    assert wrong.status_code == 400
    response = client.post("/accounts/recovery-codes", data={"code": code_for(user)})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    new_codes = re.findall(r"<li>([a-z2-9-]{14})</li>", response.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    client.post("/accounts/logout")
    _password(client, user)
    assert client.post("/accounts/2fa", data={"code": old_codes[0]}).status_code == 400
    assert client.post("/accounts/2fa", data={"code": new_codes[0]}).status_code == 302


def test_members_have_no_recovery_codes_page(client, db, login):
    login(make_user(role=Role.COUNCIL_MEMBER))
    assert client.get("/accounts/recovery-codes").headers["Location"].endswith("/accounts/password")
