"""Sign in and out, generic failures, rate limit, CSRF, password change."""
import re

from app.accounts.models import Role
from tests.factories import PASSWORD, make_user


def test_login_page_has_labelled_fields(client):
    body = client.get("/accounts/login").get_data(as_text=True)
    for field in ("username", "password", "remember"):
        assert re.search(rf'<label for="{field}"', body) or f'id="{field}"' in body
    assert 'for="username"' in body and 'for="password"' in body


def test_login_and_logout(client, db):
    user = make_user(role=Role.COUNCIL_MEMBER)
    response = client.post("/accounts/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    assert client.get("/home").status_code == 200
    response = client.post("/accounts/logout")
    assert response.status_code == 302
    response = client.get("/home")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]


def test_login_is_case_insensitive_on_username(client, db):
    make_user(username="somchai")
    response = client.post("/accounts/login", data={"username": " SomChai ", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_generic_message(client, db):
    user = make_user()
    wrong = client.post("/accounts/login?lang=en", data={"username": user.username, "password": "nope-nope-nope"})
    unknown = client.post("/accounts/login?lang=en", data={"username": "nobody", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert "Wrong username or password." in wrong.get_data(as_text=True)
    assert "Wrong username or password." in unknown.get_data(as_text=True)
    # the typed username is kept, the password is not
    assert f'value="{user.username}"' in wrong.get_data(as_text=True)
    assert "nope-nope-nope" not in wrong.get_data(as_text=True)


def test_disabled_user_cannot_sign_in(client, db):
    user = make_user(active=False)
    response = client.post("/accounts/login?lang=en", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_empty_form_shows_errors_in_thai(client, db):
    response = client.post("/accounts/login", data={})
    assert response.status_code == 400
    assert "กรุณากรอกชื่อผู้ใช้" in response.get_data(as_text=True)


def test_open_redirect_is_refused(client, db):
    user = make_user()
    response = client.post("/accounts/login?next=//evil.example/",
                           data={"username": user.username, "password": PASSWORD})
    assert response.headers["Location"].endswith("/home")


def test_login_rate_limit_gives_a_clear_429(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per day")
    for _ in range(3):
        assert client.post("/accounts/login?lang=en", data={"username": "x", "password": "y"}).status_code == 400
    response = client.post("/accounts/login?lang=en", data={"username": "x", "password": "y"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert client.get("/accounts/login").status_code == 200  # reading the page is not limited


def test_csrf_is_enforced_on_forms(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make_user()
    response = client.post("/accounts/login?lang=en", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    page = client.get("/accounts/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/accounts/login", data={"username": user.username, "password": PASSWORD,
                                                    "csrf_token": token})
    assert response.status_code == 302


def test_session_cookie_is_httponly_and_lax(client, db):
    user = make_user()
    response = client.post("/accounts/login", data={"username": user.username, "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_password_change(client, db, login):
    user = make_user()
    login(user)
    bad = client.post("/accounts/password?lang=en", data={"current_password": "wrong", "new_password": "new-password-1",
                                                          "confirm": "new-password-1"})
    assert bad.status_code == 400 and "current password is not correct" in bad.get_data(as_text=True)
    short = client.post("/accounts/password?lang=en", data={"current_password": PASSWORD, "new_password": "short",
                                                            "confirm": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    ok = client.post("/accounts/password", data={"current_password": PASSWORD, "new_password": "new-password-1",
                                                 "confirm": "new-password-1"})
    assert ok.status_code == 302
    client.post("/accounts/logout")
    assert client.post("/accounts/login", data={"username": user.username, "password": PASSWORD}).status_code == 400
    assert client.post("/accounts/login", data={"username": user.username,
                                                "password": "new-password-1"}).status_code == 302
