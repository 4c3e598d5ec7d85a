"""One password policy for the CLI, the change form and the demo seed."""
import pytest
from flask_babel import force_locale

from app.accounts.models import User
from app.accounts.passwords import PasswordPolicyError, check_password_policy, password_problems
from app.accounts.services import create_user
from tests.factories import PASSWORD, make_pao, make_user


@pytest.mark.parametrize("password", [
    "kluay-tod-ban-rao", "long-password-1", PASSWORD, "demo-pass-123", "ruamkan-demo", "ฝนตกที่หาดใหญ่ทุกวัน",
])
def test_good_passwords_pass(app, password):
    with app.app_context():
        assert password_problems(password, "somchai") == []


@pytest.mark.parametrize("password,reason", [
    ("short-1", "at least 10"),
    ("somchai-2569-x", "username"),
    ("xx-SomChai-xx", "username"),
    ("password123", "most common"),
    ("QWERTYUIOP", "most common"),
    ("ๅ/-ภถุึคตจ", "most common"),      # 1234567890 typed with the Thai keyboard layout on
    ("ๆไำพะัีรนย", "most common"),      # qwertyuiop typed with the Thai keyboard layout on
    ("aaaaaaaaaaaa", "repeated"),
    ("————————————", "repeated"),
    ("2345678901", "repeated character or a simple run"),
    ("98765432109", "simple run"),
    ("abcdefghijkl", "simple run"),
])
def test_weak_passwords_are_refused_with_a_reason(app, password, reason):
    with app.app_context(), force_locale("en"):
        problems = " ".join(str(p) for p in password_problems(password, "somchai"))
        assert reason in problems, problems
        with pytest.raises(PasswordPolicyError):
            check_password_policy(password, "somchai")


def test_short_usernames_do_not_forbid_letters(app):
    with app.app_context():
        assert password_problems("my-x-is-long-enough", "x") == []


def test_minimum_length_comes_from_config(app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_MIN_LENGTH", 16)
    with app.app_context(), force_locale("en"):
        assert "at least 16" in str(password_problems("kluay-tod-ban", None)[0])


def test_create_user_applies_the_policy(db):
    with pytest.raises(PasswordPolicyError):
        create_user(username="somsri", role="council_member", password="somsri12345", pao=make_pao())
    assert db.session.scalar(db.select(User).where(User.username == "somsri")) is None


def test_cli_refuses_a_weak_password_in_english(app, db):
    make_pao(code="songkhla")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "create", "--username", "somsri", "--role", "council_member",
                                                "--pao", "songkhla", "--password", "1234567890"])
    assert result.exit_code == 2
    assert "password refused: This password is one of the most common ones; choose another." in result.output
    assert db.session.scalar(db.select(User).where(User.username == "somsri")) is None


def test_change_form_explains_each_problem_and_keeps_the_old_password(client, db, login):
    user = make_user(username="somchai")
    login(user)
    response = client.post("/accounts/password?lang=en", data={
        "current_password": PASSWORD, "new_password": "somchai", "confirm": "somchai"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use at least 10 characters." in body and "must not contain your username" in body
    common = client.post("/accounts/password?lang=en", data={
        "current_password": PASSWORD, "new_password": "qwertyuiop", "confirm": "qwertyuiop"})
    assert common.status_code == 400 and "most common" in common.get_data(as_text=True)
    assert 'id="new_password-err"' in common.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_demo_seed_uses_the_policy(app, db, monkeypatch):
    from app.demo.seed import seed_demo

    with pytest.raises(PasswordPolicyError):
        seed_demo("1234567890", areas_dir="/nonexistent")
