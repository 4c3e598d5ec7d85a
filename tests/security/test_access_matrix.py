"""Every rule of the URL map, every method it allows, every role, own and other objects: the expected status.

The expectations are the table in tests/security/access_table.py. A route without an entry fails
here with its name and the statuses it answered, so a new page cannot ship without a decision on
who may open it. /api and /open311 are called twice per role: with the browser session alone (which
must count for nothing: the anonymous column) and with the role's own Bearer token or api_key.
"""
import pytest

from app.extensions import limiter
from tests.security.access_table import EXPECTED, ROLES, expected_status
from tests.security.matrix_world import build_world

OBJECT_ARGS = {"report_id", "reference", "request_id", "token", "photo_id", "mou_id", "token_id", "template_id",
               "event_id", "user_id"}
# Run last, in this order: they change what later requests would find (routing, a template, a token,
# the session itself).
LAST = ("reports.reroute", "triage.delete_template", "settings.revoke", "accounts.logout")
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
# Look-ups anyone may make of one report by its reference (published fields, or status with the secret).
PUBLIC_LOOKUPS = {"open311.get_request", "open311.token", "reports.track_report"}


def _object(kind):
    return lambda w, side, role: getattr(w, kind)[side].id


ARGS = {
    "job_id": lambda w, side, role: 999_999,  # someone's export: only its requester gets it (tests/oversight)
    "code_id": lambda w, side, role: 999_999,  # a LINE claim: only its code's owner answers it (tests/delivery)
    "part_id": lambda w, side, role: 999_999,  # a draft's part: tests/reports/test_jurisdiction_part_views
    "report_id": _object("reports"),
    ("triage.forward", "report_id"): _object("unrouted"),
    "reference": lambda w, side, role: w.reports[side].reference_number,
    "request_id": lambda w, side, role: w.reports[side].reference_number,
    "token": lambda w, side, role: w.open311_tokens[side],
    "photo_id": _object("photos"),
    "variant": lambda w, side, role: "thumb",
    "position": lambda w, side, role: w.photos[side].position,
    "mou_id": _object("mous"),
    "message_id": lambda w, side, role: w.message.id,
    "token_id": lambda w, side, role: w.revocable[role if side == "own" and role in w.revocable else "other"].id,
    "template_id": _object("templates"),
    "event_id": _object("questions"),
    "user_id": lambda w, side, role: w.accounts[side].id,
    ("stations.set_pao_coordinator", "code"): lambda w, side, role: w.paos[side].code,
    ("open311.service", "code"): lambda w, side, role: w.category.code,
    "fmt": lambda w, side, role: "json",
    "lang": lambda w, side, role: "en",
    "action": lambda w, side, role: "acknowledge",
    ("static", "filename"): lambda w, side, role: "css/app.css",
    ("stations.static", "filename"): lambda w, side, role: "leaflet.js",
    "unknown": lambda w, side, role: "no/such/thing",
    "invite": lambda w, side, role: "no-such-invitation",
}


def is_object_rule(rule):
    return bool(OBJECT_ARGS & set(rule.arguments)) or rule.endpoint == "stations.set_pao_coordinator"


def machine_door(rule):
    """Return 'api' or 'open311' for the machine interfaces (their own credentials), else None."""
    prefix = rule.endpoint.split(".")[0]
    return prefix if prefix in ("api", "open311") else None


def requests_for(app):
    """Return (rule, method, side) for every rule and method: reads first, then writes, then LAST."""
    items = [(rule, method, side) for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
             for method in sorted(rule.methods - SKIPPED_METHODS)
             for side in (("own", "other") if is_object_rule(rule) else (None,))]

    def order(item):
        rule, method, _side = item
        return (LAST.index(rule.endpoint) + 2 if rule.endpoint in LAST else int(method != "GET"))
    return sorted(items, key=order)


def build_url(app, world, rule, method, side, role):
    values = {}
    for arg in rule.arguments:
        getter = ARGS.get((rule.endpoint, arg)) or ARGS.get(arg)
        if getter is None:
            raise AssertionError(f"{rule.endpoint}: no fixture value for URL argument <{arg}>; add one to ARGS")
        values[arg] = getter(world, side or "own", role)
    return app.url_map.bind("localhost").build(rule.endpoint, values, method=method)


def query_for(world, rule, side):
    if rule.endpoint == "reports.track_report":
        return {"s": world.reports[side].tracking_secret}
    if machine_door(rule) == "open311" and rule.endpoint not in ("open311.root", "open311.discovery",
                                                                 "open311.unknown"):
        return {"jurisdiction_id": world.paos[side or "own"].code}
    return {}


def send(client, world, rule, method, url, side, credential):
    """Send one request; credential is a Bearer token (/api) or an api_key (/open311), or None."""
    door, query, headers, kwargs = machine_door(rule), query_for(world, rule, side), {}, {}
    if door == "api" and credential:
        headers["Authorization"] = f"Bearer {credential}"
    if door == "open311" and credential:
        query["api_key"] = credential
    if method != "GET":
        if door == "api":
            kwargs["json"] = {}
        elif rule.endpoint == "open311.create_request":
            kwargs["data"] = {"service_code": world.category.code, **query}
            query = {}
        else:
            kwargs["data"] = {}
    response = client.open(url, method=method, query_string=query, headers=headers, **kwargs)
    response.get_data()  # a streamed answer (CSV exports) runs, and fails, only while it is read
    response.close()
    return response


def check_leak(response, world, rule, side, role, where, problems):
    """A page a non-admin may open never names another PAO's report, except the public look-ups of one."""
    if response.status_code != 200 or role == "admin" or (side == "other" and rule.endpoint in PUBLIC_LOOKUPS):
        return
    body = response.get_data()
    for report in (world.reports["other"], world.unrouted["other"]):
        if report.reference_number.encode() in body:
            problems.append(f"{where}: shows {report.reference_number} of another PAO and station")


def check_headers(response, where, problems):
    """No answer is a server error, and every HTML page carries the strict CSP."""
    if response.status_code >= 500:
        problems.append(f"{where}: server error {response.status_code}")
    if response.mimetype == "text/html":
        csp = response.headers.get("Content-Security-Policy", "")
        if not csp or "unsafe-inline" in csp or "frame-ancestors 'none'" not in csp:
            problems.append(f"{where}: HTML without a strict Content-Security-Policy: {csp!r}")


@pytest.fixture()
def world(app, db, monkeypatch):
    """Both sides of the matrix, built for each role's run (the db fixture empties every table after it)."""
    # Hundreds of requests from one address: the budgets are not what this test is about.
    for name in ("API_RATE_LIMIT", "SUBMIT_RATE_LIMIT", "LOGIN_RATE_LIMIT", "TRACK_RATE_LIMIT", "GEOCODE_RATE_LIMIT"):
        monkeypatch.setitem(app.config, name, "100000 per minute")
    limiter.reset()
    yield build_world()
    limiter.reset()


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, client, login, world, role):
    if role != "anonymous":
        login(world.users[role])
    problems = []
    for rule, method, side in requests_for(app):
        url = build_url(app, world, rule, method, side, role)
        doors = [("session", None)]
        if machine_door(rule) and role != "anonymous":
            key = world.bearer[role] if machine_door(rule) == "api" else world.apikey[role]
            doors.append(("key", key))
        for door, credential in doors:
            response = send(client, world, rule, method, url, side, credential)
            where = f"{method} {url} [{rule.endpoint}, {side or '-'}, {role}, {door}]"
            check_headers(response, where, problems)
            check_leak(response, world, rule, side, role, where, problems)
            column = "anonymous" if door == "session" and machine_door(rule) else role
            if rule.endpoint not in EXPECTED:
                problems.append(f"{where}: no entry in tests/security/access_table.py; "
                                f"it answered {response.status_code}")
                continue
            wanted = expected_status(rule.endpoint, method, side, column)
            if response.status_code != wanted:
                problems.append(f"{where}: expected {wanted}, got {response.status_code}")
    assert not problems, f"{len(problems)} problems as {role}:\n" + "\n".join(problems)


def test_every_endpoint_has_an_expectation(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(EXPECTED))
    assert not missing, ("Endpoints without an entry in tests/security/access_table.py (decide who may "
                         "open them, for every role, own and other objects): " + ", ".join(missing))
    stale = sorted(set(EXPECTED) - endpoints)
    assert not stale, "Entries for endpoints that no longer exist: " + ", ".join(stale)
    for rule in app.url_map.iter_rules():
        methods = rule.methods - SKIPPED_METHODS
        assert methods <= set(EXPECTED[rule.endpoint]), f"{rule.endpoint}: no expectation for {methods}"
