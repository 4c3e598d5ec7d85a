"""Thai by default, English on request; Buddhist Era dates; UTC stored, Bangkok shown."""
from datetime import date, datetime

from app.core.timeutil import be_year, format_date, to_bangkok, to_utc_naive
from tests.factories import make_user


def test_buddhist_era_year():
    assert be_year(2026) == 2569


def test_thai_date_shows_buddhist_era():
    assert format_date(date(2026, 11, 26), "th") == "26 พ.ย. 2569"
    assert format_date(date(2026, 11, 26), "en") == "26 Nov 2026"


def test_stored_utc_is_shown_in_bangkok_across_midnight_and_new_year():
    # 31 Dec 2026 18:30 UTC is already 1 Jan 2027 01:30 in Bangkok (and BE 2570)
    stored = datetime(2026, 12, 31, 18, 30)
    assert format_date(stored, "th", with_time=True) == "1 ม.ค. 2570 01:30"
    assert format_date(stored, "en") == "1 Jan 2027"
    assert to_bangkok(stored).utcoffset().total_seconds() == 7 * 3600
    assert to_utc_naive(datetime(2027, 1, 1, 1, 30)) == stored


def test_template_filter_follows_the_language(app):
    with app.test_request_context("/?lang=th"):
        app.preprocess_request()
        assert app.jinja_env.filters["be_date"](date(2026, 11, 26)) == "26 พ.ย. 2569"
    with app.test_request_context("/?lang=en"):
        assert app.jinja_env.filters["be_date"](date(2026, 11, 26)) == "26 Nov 2026"


def test_thai_is_the_default(client):
    body = client.get("/accounts/login").get_data(as_text=True)
    assert '<html lang="th">' in body and "เข้าสู่ระบบ" in body


def test_query_parameter_switches_and_is_remembered(client):
    assert "Sign in" in client.get("/accounts/login?lang=en").get_data(as_text=True)
    body = client.get("/accounts/login").get_data(as_text=True)
    assert '<html lang="en">' in body


def test_language_link_switches_and_returns(client):
    response = client.get("/language/en?next=/accounts/login")
    assert response.status_code == 302 and response.headers["Location"].endswith("/accounts/login")
    assert '<html lang="en">' in client.get("/accounts/login").get_data(as_text=True)
    assert client.get("/language/en?next=https://evil.example/").headers["Location"].endswith("/")


def test_accept_language_is_used_when_nothing_else_says(client):
    body = client.get("/accounts/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in body


def test_unsupported_accept_language_falls_back_to_thai(app, db):
    body = app.test_client().get("/accounts/login", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="th">' in body


def test_user_preference_applies_after_login(client, db, login):
    user = make_user(language="en")
    login(user)
    assert '<html lang="en">' in client.get("/home").get_data(as_text=True)


def test_page_texts_follow_the_language_and_keep_newstyle_formatting(app):
    """`_()` on a page: the request's language, variables escaped, and always a %-format ("%%" is "%")."""
    from flask import render_template_string

    page = "{{ _('Station queue') }}|{{ _('Hello %(name)s', name=who) }}|{{ _('100%%') }}"
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        assert render_template_string(page, who="<b>x</b>") == "Station queue|Hello &lt;b&gt;x&lt;/b&gt;|100%"
    with app.test_request_context("/?lang=th"):
        app.preprocess_request()
        assert render_template_string(page, who="x") == "รายการเรื่องของสถานี|Hello x|100%"
