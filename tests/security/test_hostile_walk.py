"""Walk the URL map with hostile values: no route answers 5xx and nothing logs a traceback.

Every GET rule is called as every role with hostile values in each path argument and in every query
parameter the application reads (collected from the source, so a new parameter is walked too); every
JSON endpoint gets hostile bodies; Open311's form endpoint gets hostile form values.
"""
import base64
import json
import logging
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from tests.security.access_table import ROLES
from tests.security.test_access_matrix import (
    SKIPPED_METHODS,
    build_url,
    machine_door,
    query_for,
    world,  # noqa: F401  (fixture, used by name)
)

APP_DIR = Path(__file__).resolve().parents[2] / "app"
_READ = re.compile(r"""(?:args|values|form)\.get(?:list)?\(\s*["']([A-Za-z_][\w\[\]]*)["']|"""
                   r"""\w+_arg\(\s*[\w.]+\s*,\s*["']([A-Za-z_]\w*)["']""")
def _cursor(value):
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


HOSTILE = (
    "9" * 30,                 # past 64 bits
    "-9223372036854775809",  # past 64 bits, negative
    "-1", "0", "1e309", "NaN",
    "\x00", "a\x00b",        # NUL breaks PostgreSQL text
    "\ud800",                # a lone surrogate (werkzeug re-encodes it; the view must not choke)
    "%ED%A0%80", "%00",      # the same, percent-encoded once more
    "\r\nX-Injected: 1",     # header injection through anything echoed into a header
    "../../etc/passwd", "//evil.example", "\t//evil.example",
    "x" * 5000,
    "2026-02-30", "0000-00-00", "9999-99", "ทดสอบ", "[]", "{}",
    # times at the ends of datetime's range: a window added to them overflowed
    "9999-12-31T23:59:59", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-14:00", "2569-13",
    # page cursors crafted to decode into out-of-range ids and times
    _cursor(["9999-12-31T23:59:59", 1, 3, "0001-01-01T00:00:00", 10**30]),
    _cursor(["2026-01-01T00:00:00", 10**30, -5, "2026-01-01T00:00:00", -1]),
    _cursor({"id": 10**30}), _cursor({"v": 1, "after": 10**30}), _cursor({"v": 1, "after": -(10**30)}),
)
PATH_HOSTILE = ("9" * 30, "0", "-1", "%00", "%ED%A0%80", "..%2F..", "x" * 600, "ทดสอบ")
JSON_BODIES = (
    "[" * 10_000 + "]" * 10_000,
    '{"a":' * 5_000 + "1" + "}" * 5_000,
    '{"narrative": "\\ud800\\udc00\\ud800", "category": "\\ud800", "lat": 7, "lon": 100}',
    '{"narrative": "a\\u0000b", "lat": 99999999999999999999999999, "lon": -1e400}',
    '{"lat": "x", "lon": [], "category": {}, "resident": 5, "photos": "no"}',
    '{"action": "answer", "question_id": 99999999999999999999999, "text": "\\ud800"}',
    "null", "[]", "1e999", '"\\ud800"', "{", '{"a": 1, "a": 2}',
    '{"x": "' + "y" * 2_000_000 + '"}',
)


def read_parameters():
    """Return every query/form parameter name the application's code reads."""
    names = set()
    for source in APP_DIR.rglob("*.py"):
        for match in _READ.finditer(source.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return sorted(names)


def test_the_walk_knows_the_parameters():
    names = read_parameters()
    # The ones the first report named, and a few every list reads: the collector must find them.
    for expected in ("next", "page", "cursor", "status", "lat", "lon", "month"):
        assert expected in names, f"{expected} not collected; the walk would miss it"


def _hostile_paths(app, world, rule, role):  # noqa: F811
    """Yield the rule's URL with each path argument replaced, one at a time, by each hostile value."""
    url = build_url(app, world, rule, "GET", "own" if rule.arguments else None, role)
    if not rule.arguments:
        return
    for arg in rule.arguments:
        probe = build_url_with(app, world, rule, role, arg, "SENTINEL4711")
        if probe is None:
            continue
        for value in PATH_HOSTILE:
            yield probe.replace("SENTINEL4711", quote(value, safe="%/"))
    yield url


def build_url_with(app, world, rule, role, arg, value):  # noqa: F811
    """Build the rule's URL with one argument forced to a string value (None if the converter refuses)."""
    from werkzeug.routing import BuildError

    from tests.security.test_access_matrix import ARGS
    values = {}
    for name in rule.arguments:
        getter = ARGS.get((rule.endpoint, name)) or ARGS.get(name)
        values[name] = value if name == arg else getter(world, "own", role)
    try:
        return app.url_map.bind("localhost").build(rule.endpoint, values, method="GET")
    except (BuildError, ValueError, TypeError):
        # an <int:> argument will not build from a string: splice it into the path instead
        good = app.url_map.bind("localhost").build(
            rule.endpoint, {**values, arg: ARGS.get((rule.endpoint, arg), ARGS.get(arg))(world, "own", role)},
            method="GET")
        marker = str(ARGS.get((rule.endpoint, arg), ARGS.get(arg))(world, "own", role))
        return good.replace(f"/{marker}", "/SENTINEL4711", 1) if f"/{marker}" in good else None


def _qs(query):
    """Encode a query as a browser would send raw bytes: a lone surrogate becomes %ED%A0%80."""
    return urlencode(query, encoding="utf-8", errors="surrogatepass")


def _check(response, where, problems):
    response.get_data()
    response.close()
    # the address search answers 503 by design when its outside geocoder cannot be reached (no network here)
    if response.status_code >= 500 and not (response.status_code == 503 and "/geocode" in where):
        problems.append(f"{where}: {response.status_code}")


def _tracebacks(caplog):
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize("role", ROLES)
def test_every_get_route_survives_hostile_values(app, client, login, world, role, caplog):  # noqa: F811
    if role != "anonymous":
        login(world.users[role])
    names = read_parameters()
    headers = {"Authorization": f"Bearer {world.bearer[role]}"} if role != "anonymous" else {}
    problems = []
    caplog.set_level(logging.ERROR)
    rules = sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "accounts.logout"),
                   key=lambda r: r.rule)
    for rule in rules:
        base = {**query_for(world, rule, "own" if rule.arguments else None)}
        extra = dict(headers) if machine_door(rule) == "api" else {}
        if machine_door(rule) == "open311" and role != "anonymous":
            base["api_key"] = world.apikey[role]
        for url in _hostile_paths(app, world, rule, role):
            _check(client.get(url, query_string=_qs(base), headers=extra), f"GET {url!r} [{role}]", problems)
        url = build_url(app, world, rule, "GET", "own" if rule.arguments else None, role)
        for value in HOSTILE:
            # every parameter at once, then each parameter alone (a 400 on the first must not hide the rest)
            query = {**{name: value for name in names}, **base}
            _check(client.get(url, query_string=_qs(query), headers=extra), f"GET {url} all={value[:20]!r} [{role}]",
                   problems)
        for name in names:
            for value in (HOSTILE[0], HOSTILE[7]):  # past 64 bits, and a NUL inside text
                _check(client.get(url, query_string=_qs({**base, name: value}), headers=extra),
                       f"GET {url} {name}={value[:20]!r} [{role}]", problems)
    problems += [f"logged: {line}" for line in _tracebacks(caplog)]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])


@pytest.mark.parametrize("role", ("council_member", "desk_officer", "admin"))
def test_every_json_endpoint_survives_hostile_bodies(app, client, world, role, caplog):  # noqa: F811
    caplog.set_level(logging.ERROR)
    problems = []
    writes = [(rule, method) for rule in app.url_map.iter_rules() if machine_door(rule) == "api"
              for method in sorted(rule.methods - SKIPPED_METHODS - {"GET"})]
    assert writes, "no JSON write endpoints found"
    for rule, method in writes:
        url = build_url(app, world, rule, method, "own" if rule.arguments else None, role)
        for body in JSON_BODIES:
            response = client.open(url, method=method, data=body.encode("utf-8", "surrogatepass"),
                                   headers={"Authorization": f"Bearer {world.bearer[role]}",
                                            "Content-Type": "application/json", "Idempotency-Key": "walk"})
            _check(response, f"{method} {url} body={body[:30]!r} [{role}]", problems)
        response = client.open(url, method=method, data=b"\xff\xfe{\x00}",
                               headers={"Authorization": f"Bearer {world.bearer[role]}",
                                        "Content-Type": "application/json"})
        _check(response, f"{method} {url} non-UTF-8 [{role}]", problems)
    problems += [f"logged: {line}" for line in _tracebacks(caplog)]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])


def test_open311_form_survives_hostile_values(app, client, world, caplog):  # noqa: F811
    caplog.set_level(logging.ERROR)
    problems = []
    fields = ("service_code", "lat", "long", "description", "first_name", "last_name", "phone", "email",
              "address_string", "attribute[consent]", "jurisdiction_id", "device_id", "account_id", "media_url")
    for value in HOSTILE:
        data = {name: value for name in fields}
        data.update(api_key=world.apikey["council_member"], jurisdiction_id=world.paos["own"].code)
        response = client.post("/open311/v2/requests.json", data=_qs(data),
                               content_type="application/x-www-form-urlencoded")
        _check(response, f"POST requests all={value[:20]!r}", problems)
        for name in fields:
            good = {"service_code": world.category.code, "lat": "7.2", "long": "100.55",
                    "description": "A hostile walk", "api_key": world.apikey["council_member"],
                    "jurisdiction_id": world.paos["own"].code}
            response = client.post("/open311/v2/requests.json", data=_qs({**good, name: value}),
                                   content_type="application/x-www-form-urlencoded")
            _check(response, f"POST requests {name}={value[:20]!r}", problems)
    problems += [f"logged: {line}" for line in _tracebacks(caplog)]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])


def test_a_nul_in_a_query_or_form_value_is_a_clear_400(client):
    response = client.get("/accounts/login", query_string="next=%2Fhome%00x")
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert client.get("/open311/v2/services/%00.json").status_code == 404  # a path part: not found
