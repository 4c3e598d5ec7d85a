"""Signing in through the real two-step form in tests: codes the server will accept, once each."""
import re
import time

import pyotp

from app.accounts.models import User
from app.extensions import db
from app.security.sealing import unseal
from tests.factories import PASSWORD, TOTP_SECRET


def fresh_code(secret, last_counter=None):
    """Return (code, time step) the server accepts now and has not seen: this step or the next.

    The server accepts one step either side of now but each step only once per user, so a user
    signing in twice within 30 seconds gets the next step's code, and a third time waits for it.
    """
    totp = pyotp.TOTP(secret)
    while True:
        current = int(time.time()) // totp.interval
        for counter in (current, current + 1):
            if last_counter is None or counter > last_counter:
                return totp.generate_otp(counter), counter
        time.sleep(totp.interval - time.time() % totp.interval + 0.05)


def code_for(user):
    """Return a code for an enrolled user, from the secret and last step stored in the database."""
    sealed, last = db.session.execute(db.select(User.totp_secret_sealed, User.totp_last_counter)
                                      .where(User.id == user.id)).one()
    return fresh_code(unseal(sealed), last)[0]


def sign_in(client, user, password=PASSWORD, **query):
    """Sign in through the password form and, when the role needs it, the two-factor form."""
    response = client.post("/accounts/login", query_string=query,
                           data={"username": user.username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    if response.headers["Location"].endswith("/accounts/2fa"):
        response = client.post("/accounts/2fa", data={"code": code_for(user)})
        assert response.status_code == 302, response.get_data(as_text=True)
    return response


def enrol(client, secret_out=None):
    """Complete the enrolment page of a pending sign-in; return (secret, recovery codes, response)."""
    page = client.get("/accounts/2fa/setup").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post("/accounts/2fa/setup", data={"code": fresh_code(secret)[0]})
    assert response.status_code == 200, response.get_data(as_text=True)
    codes = re.findall(r"<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>", response.get_data(as_text=True))
    return secret, codes, response


# --- real Chromium -----------------------------------------------------------------------------

_browser_secrets = {}  # (server, username) -> secret learned when a browser test enrolled the user
_browser_steps = {}    # (server, username) -> last time step a browser test used


def pass_two_factor(page, username, secret=None):
    """After the password form was sent in a browser: enter a code, or enrol, when the role asks for it.

    Users made by make_user share TOTP_SECRET; demo users are enrolled here the first time and their
    secret is kept for their next sign-in in this test run.
    """
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    key = (origin, username)
    if "/accounts/2fa/setup" in page.url:
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        _browser_secrets[key] = secret
        _submit_code(page, key, secret)
        page.locator("#recovery-codes li").first.wait_for()
        assert page.locator("#recovery-codes li").count() == 10
        page.locator("#recovery-continue").click()
    elif re.search(r"/accounts/2fa(\?|$)", page.url):
        _submit_code(page, key, secret or _browser_secrets.get(key, TOTP_SECRET))


def _submit_code(page, key, secret):
    code, step = fresh_code(secret, _browser_steps.get(key))
    _browser_steps[key] = step
    page.fill("#code", code)
    page.locator("form button[type=submit]").click()
