"""A small cookie-keeping HTTP client on the standard library, and sign-in through the app's real pages."""
import html
import http.client
import json
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# Whatever a dying or restarting server does to a request: refused, reset, cut short, timed out.
NETWORK_ERRORS = (OSError, http.client.HTTPException)
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')


@dataclass
class Response:
    status: int
    headers: object
    body: bytes
    seconds: float

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    @property
    def location(self):
        """Return the path of a redirect's Location, or ''."""
        return urlsplit(self.headers.get("Location") or "").path


class Session:
    """One browser or phone: its cookies, one connection per request (gunicorn's sync workers close them)."""

    def __init__(self, port, *, timeout=15.0, language="th"):
        self.port, self.timeout, self.language = port, timeout, language
        self.cookies = {}

    def request(self, method, path, *, form=None, body=None, headers=None):
        """Send one request and return a Response; network errors propagate as NETWORK_ERRORS."""
        headers = {"Connection": "close", "Accept-Language": self.language, **(headers or {})}
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            data = raw.read()
        finally:
            conn.close()
        for header in raw.headers.get_all("Set-Cookie") or ():
            self._keep(header)
        return Response(raw.status, raw.headers, data, time.perf_counter() - started)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def _keep(self, header):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


def csrf_token(page):
    """Return the CSRF token of the first form of an HTML page, or None."""
    match = _CSRF.search(page)
    return html.unescape(match.group(1) or match.group(2)) if match else None


def sign_in(session, username, password, *, totp=None):
    """Sign in through /accounts/login (and /accounts/2fa when asked, with totp() giving the code).

    Returns the last Response; raises RuntimeError when the app refuses.
    """
    page = session.get("/accounts/login")
    if page.status == 302:  # still signed in: an earlier attempt got through, only its answer was lost
        return page
    answer = session.post("/accounts/login", form={"csrf_token": csrf_token(page.text) or "",
                                                    "username": username, "password": password})
    if answer.status == 302 and answer.location.startswith("/accounts/2fa"):
        if totp is None or answer.location != "/accounts/2fa":
            raise RuntimeError(f"{username} must pass two-factor sign-in ({answer.location}), "
                               "but is not enrolled with a known TOTP secret")
        page = session.get(answer.location)
        answer = session.post(answer.location, form={"csrf_token": csrf_token(page.text) or "", "code": totp()})
    if answer.status != 302 or "/accounts/" in answer.location:
        raise RuntimeError(f"sign-in of {username} failed: HTTP {answer.status} {answer.location}")
    return answer
