"""The JSON API: tokens, one error shape, idempotent creation, cursor pages, scoping, the workflow."""
import re

from app.api.openapi import openapi_document
from app.extensions import db
from app.reports.models import Report, ReportEvent, ReportStatus
from app.triage.services import add_internal_note
from tests.api.helpers import bearer, new_report_body, token_for
from tests.factories import make_report

RESIDENT_PHONE = "081-234-5678"


def _error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"] and body["error"]["message_th"]
    assert isinstance(body["error"]["fields"], dict)
    return body["error"]


def _create(client, secret, world, key="key-1", **overrides):
    return client.post("/api/v1/reports", json=new_report_body(world, **overrides),
                       headers=bearer(secret, **{"Idempotency-Key": key}))


def test_without_a_token_every_endpoint_answers_401_in_the_json_shape(client, world):
    for path in ("/api/v1/reports", "/api/v1/me", "/api/v1/categories", "/api/v1/stations"):
        response = client.get(path)
        _error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = client.get("/api/v1/reports", headers=bearer("rkt_00000000_" + "x" * 43))
    _error(response, 401, "unauthorized")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_the_session_cookie_never_opens_the_api(app, client, login, world, monkeypatch):
    login(world.member)
    assert client.get("/reports/mine").status_code == 200  # signed in for the web pages
    _error(client.get("/api/v1/reports"), 401, "unauthorized")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    # exempt from CSRF, so no CSRF error either: simply not authenticated
    _error(client.post("/api/v1/reports", json=new_report_body(world), headers={"Idempotency-Key": "k"}),
           401, "unauthorized")
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 0


def test_me_says_who_the_token_acts_as(client, world, tokens):
    body = client.get("/api/v1/me", headers=bearer(tokens.west_desk)).get_json()
    assert body["username"] == "desk.west" and body["role"] == "desk_officer" and body["station"] == world.west.code
    assert tokens.west_desk.split("_")[1] == body["token"]["prefix"]


def test_create_twice_with_one_idempotency_key_files_one_report(client, world, tokens):
    first = _create(client, tokens.member, world)
    assert first.status_code == 201, first.get_data(as_text=True)
    report = first.get_json()
    assert report["reference"].startswith("SKA-") and report["status"] == "new" and report["open"] is True
    assert report["station"]["code"] == world.west.code and report["filed_by_me"] is True
    assert first.headers["Location"].endswith(f"/api/v1/reports/{report['reference']}")
    second = _create(client, tokens.member, world, narrative="A different body: the first report stands.")
    assert second.status_code == 200
    assert second.get_json()["reference"] == report["reference"]
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 1
    assert _create(client, tokens.member, world, key="key-2", confirm_new=True).status_code == 201
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 2


def test_create_needs_an_idempotency_key_and_a_council_member(client, world, tokens):
    response = client.post("/api/v1/reports", json=new_report_body(world), headers=bearer(tokens.member))
    _error(response, 400, "idempotency_key_required")
    _error(_create(client, tokens.member, world, key="has space"), 400, "idempotency_key_required")
    _error(_create(client, tokens.west_desk, world), 403, "forbidden")
    response = client.post("/api/v1/reports", data="narrative=x",
                           headers=bearer(tokens.member, **{"Idempotency-Key": "k"}))
    _error(response, 415, "unsupported_media_type")


def test_create_validates_like_the_form_with_field_errors_in_both_languages(client, world, tokens):
    # first what the document says (types, lengths, ranges), then the intake's own rules
    error = _error(_create(client, tokens.member, world, category="no.such", narrative="short", lat=95,
                           resident_name="Somchai", consent=None), 422, "validation_failed")
    assert set(error["fields"]) == {"narrative", "lat"}
    assert "characters" in error["fields"]["narrative"]["message"]
    error = _error(_create(client, tokens.member, world, category="no.such", resident_name="Somchai", consent=None),
                   422, "validation_failed")
    assert {"category", "consent"} <= set(error["fields"])
    for detail in error["fields"].values():
        assert detail["message"] and detail["message_th"]
    error = _error(_create(client, tokens.member, world, answers={"vehicle": "x" * 600}), 422, "validation_failed")
    assert set(error["fields"]) == {"answers.vehicle"}
    _error(_create(client, tokens.member, world, lat="north", resident_anonymous="yes"), 422, "validation_failed")
    _error(_create(client, tokens.member, world, occurred_at="0001-01-01T00:00:00+14:00"), 422, "validation_failed")
    response = client.post("/api/v1/reports", json=["not", "an", "object"],
                           headers=bearer(tokens.member, **{"Idempotency-Key": "k"}))
    _error(response, 422, "validation_failed")
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 0


def test_checks_the_member_must_confirm_come_back_as_needs_confirmation(client, world, tokens):
    narrative = f"The dealer's brother calls from {RESIDENT_PHONE} every night near the school."
    error = _error(_create(client, tokens.member, world, narrative=narrative), 409, "needs_confirmation")
    assert error["confirmations"]["personal_data"]["confirm_with"] == "confirm_personal_data"
    response = _create(client, tokens.member, world, narrative=narrative, confirm_personal_data=True)
    assert response.status_code == 201
    # the filer reads their own text as written; the PAO coordinator reads it masked
    assert RESIDENT_PHONE in response.get_json()["narrative"]


def test_cursor_pages_walk_every_report_once(client, world, tokens):
    for n in range(7):
        make_report(filed_by=world.member, station=world.west, category=world.category, narrative=f"Report {n} text")
    make_report(filed_by=world.member2, station=world.west, category=world.category)
    db.session.commit()
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get("/api/v1/reports" + query, headers=bearer(tokens.member)).get_json()
        seen += [r["reference"] for r in body["reports"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 7  # member2's report is not the member's
    everything = client.get("/api/v1/reports?limit=100", headers=bearer(tokens.west_desk)).get_json()
    assert len(everything["reports"]) == 8 and everything["next_cursor"] is None


def test_list_rejects_bad_parameters(client, world, tokens):
    for query in ("limit=0", "limit=101", "limit=abc", "status=maybe"):
        _error(client.get(f"/api/v1/reports?{query}", headers=bearer(tokens.member)), 400, "invalid_parameter")
    _error(client.get("/api/v1/reports?cursor=not-a-cursor", headers=bearer(tokens.member)), 400, "invalid_cursor")


def test_list_filters_by_status_and_category(client, world, tokens):
    make_report(filed_by=world.member, station=world.west, category=world.category)
    make_report(filed_by=world.member, station=world.west, category=world.category, status=ReportStatus.CLOSED)
    db.session.commit()
    def get(query):
        return client.get(f"/api/v1/reports?{query}", headers=bearer(tokens.member)).get_json()["reports"]
    assert [r["status"] for r in get("status=closed")] == ["closed"]
    assert [r["status"] for r in get("status=open")] == ["new"]
    assert len(get("category=crime")) == 2 and len(get("category=crime.theft")) == 2
    assert get("category=drugs") == []


def test_each_token_sees_only_its_scope(client, world, tokens):
    report = make_report(filed_by=world.member, station=world.west, category=world.category,
                         narrative=f"Call the watchman on {RESIDENT_PHONE} about the racing")
    other = make_report(filed_by=world.other_member, station=world.far, category=world.category)
    db.session.commit()
    path = f"/api/v1/reports/{report.reference_number}"
    for name in ("member2", "east_desk", "far_desk", "other_member"):
        _error(client.get(path, headers=bearer(getattr(tokens, name))), 404, "not_found")
        _error(client.get(path + "/events", headers=bearer(getattr(tokens, name))), 404, "not_found")
        _error(client.post(path + "/updates", json={"action": "acknowledge"}, headers=bearer(getattr(tokens, name))),
               404, "not_found")
    assert RESIDENT_PHONE in client.get(path, headers=bearer(tokens.west_desk)).get_json()["narrative"]
    assert RESIDENT_PHONE in client.get(path, headers=bearer(tokens.member)).get_json()["narrative"]
    masked = client.get(path, headers=bearer(tokens.coordinator)).get_json()["narrative"]
    assert RESIDENT_PHONE not in masked and "watchman" in masked
    assert client.get(path, headers=bearer(tokens.admin)).status_code == 200
    assert client.get(f"/api/v1/reports/{other.reference_number}", headers=bearer(tokens.far_desk)).status_code == 200
    listed = client.get("/api/v1/reports", headers=bearer(tokens.other_member)).get_json()["reports"]
    assert [r["reference"] for r in listed] == [other.reference_number]


def test_internal_events_only_for_police_of_the_station(client, world, tokens):
    report = make_report(filed_by=world.member, station=world.west, category=world.category)
    add_internal_note(report, "Plain-clothes watch from Friday", actor=world.west_desk)
    db.session.commit()
    path = f"/api/v1/reports/{report.reference_number}/events"
    police = client.get(path, headers=bearer(tokens.west_desk)).get_json()["events"]
    assert [e["kind"] for e in police if e["internal"]] == ["note"]
    assert police[-1]["data"]["text"] == "Plain-clothes watch from Friday"
    assert police[-1]["actor_role"] == "desk_officer"
    for name in ("member", "coordinator", "admin"):
        events = client.get(path, headers=bearer(getattr(tokens, name))).get_json()["events"]
        assert not any(e["internal"] for e in events)
        assert "Plain-clothes" not in str(events)


def test_updates_go_through_the_workflow_with_its_rules(client, world, tokens):
    report = make_report(filed_by=world.member, station=world.west, category=world.category)
    db.session.commit()
    path = f"/api/v1/reports/{report.reference_number}/updates"
    version = report.version
    response = client.post(path, json={"action": "acknowledge", "version": version}, headers=bearer(tokens.west_desk))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["report"]["status"] == "acknowledged" and body["event"]["data"]["transition"] == "acknowledge"
    assert "record_outcome" in body["report"]["allowed_actions"]
    # the same action again is not in the table from 'acknowledged'
    _error(client.post(path, json={"action": "acknowledge"}, headers=bearer(tokens.west_desk)), 409, "conflict")
    # the version the caller read is stale now
    _error(client.post(path, json={"action": "start", "version": version}, headers=bearer(tokens.west_desk)),
           409, "version_conflict")
    # a member cannot act as police; a note is required with an outcome
    _error(client.post(path, json={"action": "start"}, headers=bearer(tokens.member)), 403, "forbidden")
    error = _error(client.post(path, json={"action": "record_outcome", "outcome": "warning"},
                               headers=bearer(tokens.west_desk)), 422, "validation_failed")
    assert error["message"] and error["message_th"]
    _error(client.post(path, json={"action": "fly"}, headers=bearer(tokens.west_desk)), 422, "validation_failed")
    response = client.post(path, json={"action": "record_outcome", "outcome": "warning", "note": "Shop warned"},
                           headers=bearer(tokens.west_desk))
    assert response.status_code == 200 and response.get_json()["report"]["status"] == "action_taken"
    response = client.post(path, json={"action": "confirm"}, headers=bearer(tokens.member))
    assert response.get_json()["report"]["status"] == "closed"
    db.session.refresh(report)
    assert report.status == ReportStatus.CLOSED
    kinds = [e["kind"] for e in client.get(path.replace("updates", "events"), headers=bearer(tokens.member))
             .get_json()["events"]]
    assert kinds == ["status_changed", "outcome", "outcome_confirmed"]


def test_questions_are_answered_by_id_and_transfers_name_a_station(client, world, tokens):
    report = make_report(filed_by=world.member, station=world.west, category=world.category,
                         status=ReportStatus.ACKNOWLEDGED)
    db.session.commit()
    path = f"/api/v1/reports/{report.reference_number}/updates"
    asked = client.post(path, json={"action": "ask_question", "text": "Which night?"}, headers=bearer(tokens.west_desk))
    question_id = asked.get_json()["event"]["id"]
    _error(client.post(path, json={"action": "answer", "text": "Friday", "question_id": 999999},
                       headers=bearer(tokens.member)), 409, "conflict")
    answered = client.post(path, json={"action": "answer", "text": "Friday", "question_id": question_id},
                           headers=bearer(tokens.member))
    assert answered.get_json()["report"]["status"] == "acknowledged"
    # without question_id: the one waiting question; none or several is a conflict that says what to send
    _error(client.post(path, json={"action": "answer", "text": "Again"}, headers=bearer(tokens.member)), 409,
           "conflict")
    first = client.post(path, json={"action": "ask_question", "text": "Which road?"}, headers=bearer(tokens.west_desk))
    single = client.post(path, json={"action": "answer", "text": "Main road"}, headers=bearer(tokens.member))
    assert single.status_code == 200 and single.get_json()["event"]["data"]["question_id"] == \
        first.get_json()["event"]["id"]
    for text in ("Colour of the car?", "How many people?"):  # e.g. asked before and after a transfer
        db.session.add(ReportEvent(report_id=report.id, actor_id=world.west_desk.id, kind="question",
                                   payload={"text": text}))
    db.session.commit()
    several = _error(client.post(path, json={"action": "answer", "text": "Red"}, headers=bearer(tokens.member)),
                     409, "conflict")
    assert "question_id" in several["message"] and "question_id" in several["message_th"]
    _error(client.post(path, json={"action": "transfer", "station": "nowhere", "reason": "x"},
                       headers=bearer(tokens.west_desk)), 422, "validation_failed")
    moved = client.post(path, json={"action": "transfer", "station": world.east.code, "reason": "Their road"},
                        headers=bearer(tokens.west_desk))
    assert moved.status_code == 200 and moved.get_json()["report"]["station"]["code"] == world.east.code
    assert client.get(f"/api/v1/reports/{report.reference_number}", headers=bearer(tokens.west_desk)).status_code == 404


def test_categories_and_stations(client, world, tokens):
    groups = client.get("/api/v1/categories", headers=bearer(tokens.member)).get_json()["categories"]
    assert [g["code"] for g in groups] == ["crime", "drugs", "traffic"]
    theft = next(c for c in groups[0]["children"] if c["code"] == "crime.theft")
    assert theft["group"] == "crime" and theft["questions"][0]["code"] == "vehicle"
    stations = client.get("/api/v1/stations", headers=bearer(tokens.member)).get_json()["stations"]
    assert {world.west.code, world.east.code, "far"} <= {s["code"] for s in stations}


def test_unknown_paths_and_methods_answer_in_the_json_shape(client, world, tokens):
    _error(client.get("/api/v1/nothing-here", headers=bearer(tokens.member)), 404, "not_found")
    response = client.delete("/api/v1/reports", headers=bearer(tokens.member))
    _error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "POST", "HEAD", "OPTIONS"}


def test_openapi_document_is_public_and_describes_every_route(app, client, world):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    codes = sorted(c["code"] for group in client.get("/api/v1/categories", headers=bearer(token_for(world.member)))
                   .get_json()["categories"] for c in group["children"])
    assert document["openapi"].startswith("3.1")
    assert document == openapi_document(document["servers"][0]["url"][:-7], category_codes=codes)
    assert document["components"]["schemas"]["NewReport"]["properties"]["category"]["enum"] == codes
    documented = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and not rule.endpoint.startswith("api.unknown"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented


def test_tokens_and_keys_need_no_csrf_token(app, client, world, tokens, keys, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert _create(client, tokens.member, world).status_code == 201
    response = client.post("/open311/v2/requests.json", data={
        "jurisdiction_id": "songkhla", "api_key": keys.member, "service_code": "crime.theft", "lat": "7.25",
        "long": "100.55", "description": "Bicycles are stolen at the school gate.", "confirm_new": "true"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_the_desk_asks_the_resident_through_the_api(client, world, tokens):
    from app.reports.resident import open_question, stop_conversation

    report = make_report(filed_by=world.member, station=world.west, category=world.category,
                         status=ReportStatus.ACKNOWLEDGED)
    db.session.commit()
    path = f"/api/v1/reports/{report.reference_number}/updates"
    empty = _error(client.post(path, json={"action": "ask_resident"}, headers=bearer(tokens.west_desk)), 422,
                   "validation_failed")
    assert empty["message"] and empty["message_th"]
    _error(client.post(path, json={"action": "ask_resident", "text": "Which night?"}, headers=bearer(tokens.member)),
           403, "forbidden")
    asked = client.post(path, json={"action": "ask_resident", "text": "Which night did you see it?"},
                        headers=bearer(tokens.west_desk))
    assert asked.status_code == 200 and asked.get_json()["report"]["status"] == "needs_resident"
    db.session.refresh(report)
    assert open_question(report).payload["text"] == "Which night did you see it?"
    stopped = client.post(path, json={"action": "stop_waiting"}, headers=bearer(tokens.west_desk))
    assert stopped.get_json()["report"]["status"] == "acknowledged"
    stop_conversation(report)
    db.session.commit()
    ended = _error(client.post(path, json={"action": "ask_resident", "text": "Anything else?"},
                               headers=bearer(tokens.west_desk)), 409, "conflict")
    assert ended["message_th"]
