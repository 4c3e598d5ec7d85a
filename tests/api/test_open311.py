"""Open311 GeoReport v2: discovery, services, definitions, requests, tokens, updates, errors; JSON and XML."""
from datetime import timedelta
from xml.etree import ElementTree as ET

from app.categories.models import Category
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import Report, ReportStatus
from app.reports.workflow import perform
from app.security.sealing import seal
from app.triage.services import add_internal_note
from tests.factories import make_report

J = "jurisdiction_id=songkhla"
NARRATIVE = "The watchman Somchai Jaidee on 081-234-5678 saw racing at the bridge"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
PUBLIC_FIELDS = {"service_request_id", "status", "service_name", "service_code", "agency_responsible",
                 "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "lat", "long"}


def _xml(response):
    assert response.content_type.startswith("text/xml"), response.content_type
    text = response.get_data(as_text=True)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.get_data())


def _spec_error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    if response.content_type.startswith("text/xml"):
        root = _xml(response)
        assert root.tag == "errors" and [c.tag for c in root.find("error")] == ["code", "description"]
        assert root.findtext("error/code") == str(status)
        return root.findtext("error/description")
    [error] = response.get_json()
    assert set(error) == {"code", "description"} and error["code"] == status
    return error["description"]


def _report(world, *, category=None, member=None, lat=7.23456, lon=100.56789, **fields):
    report = make_report(filed_by=member or world.member, station=world.west, category=category or world.category,
                         narrative=NARRATIVE, lat=lat, lon=lon)
    report.address_text = "House 12, Soi Market"
    report.resident_name_sealed, report.resident_phone_sealed = seal("Malee Resident"), seal("0899999999")
    report.act_due_at = report.created_at + timedelta(days=7)
    for key, value in fields.items():
        setattr(report, key, value)
    db.session.commit()
    return report


def _post(client, key, **fields):
    data = {"jurisdiction_id": "songkhla", "service_code": "crime.theft", "lat": "7.2", "long": "100.55",
            "description": "Motorbikes are stolen at the market car park every weekend.", "api_key": key, **fields}
    return client.post("/open311/v2/requests.json", data={k: v for k, v in data.items() if v is not None})


def test_discovery_in_json_and_xml(client, world):
    body = client.get("/open311/v2/discovery.json").get_json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints", "notes"}
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert body["key_service"].endswith("/settings/tokens")
    root = _xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]
    assert client.get("/open311/v2/").get_json() == body


def test_services_are_the_sub_categories_grouped_by_top_level(client, world):
    services = client.get(f"/open311/v2/services.json?{J}&lang=en").get_json()
    assert all(set(s) == SERVICE_FIELDS for s in services)
    theft = next(s for s in services if s["service_code"] == "crime.theft")
    assert theft == {"service_code": "crime.theft", "service_name": "Theft", "description": "Crime: Theft",
                     "metadata": True, "type": "realtime", "keywords": "crime, theft", "group": "Crime"}
    codes = {s["service_code"] for s in services}
    assert "crime" not in codes and {"drugs.dealing", "traffic.street_racing"} <= codes
    root = _xml(client.get(f"/open311/v2/services.xml?{J}"))
    assert root.tag == "services" and len(root.findall("service")) == len(services)
    assert {c.tag for c in root.find("service")} == SERVICE_FIELDS
    thai = client.get(f"/open311/v2/services.json?{J}&lang=th").get_json()
    assert next(s for s in thai if s["service_code"] == "crime.theft")["group"] == "อาชญากรรม"


def test_service_definitions_use_the_spec_datatypes(client, world):
    burglary = client.get(f"/open311/v2/services/crime.burglary.json?{J}&lang=en").get_json()
    [attribute, consent] = burglary["attributes"]
    assert consent["code"] == "consent" and consent["order"] == 2
    assert burglary["service_code"] == "crime.burglary"
    assert attribute == {"variable": True, "code": "time_pattern", "datatype": "singlevaluelist", "required": False,
                         "datatype_description": "", "order": 1, "description": "When does it usually happen",
                         "values": [{"key": "morning", "name": "Morning"}, {"key": "afternoon", "name": "Afternoon"},
                                    {"key": "evening", "name": "Evening"}, {"key": "night", "name": "Late night"}]}
    injured = client.get(f"/open311/v2/services/crime.assault.json?{J}").get_json()["attributes"][0]
    assert injured["datatype"] == "singlevaluelist" and [v["key"] for v in injured["values"]] == ["yes", "no"]
    suspicious = client.get(f"/open311/v2/services/crime.suspicious.json?{J}").get_json()["attributes"]
    assert [(a["code"], a["datatype"], a["order"]) for a in suspicious] == [
        ("time_pattern", "singlevaluelist", 1), ("vehicle", "string", 2), ("consent", "singlevaluelist", 3)]
    assert "values" not in suspicious[1]
    root = _xml(client.get(f"/open311/v2/services/crime.burglary.xml?{J}"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "crime.burglary"
    attr = root.find("attributes/attribute")
    assert [c.tag for c in attr] == ["variable", "code", "datatype", "required", "datatype_description", "order",
                                     "description", "values"]
    assert attr.findtext("variable") == "true" and attr.findtext("required") == "false"
    assert [v.findtext("key") for v in attr.findall("values/value")] == ["morning", "afternoon", "evening", "night"]


def test_errors_are_in_the_spec_format(client, world, keys):
    assert "Unknown service_code" in _spec_error(client.get(f"/open311/v2/services/nope.json?{J}"), 404)
    assert "Unknown service_code" in _spec_error(client.get(f"/open311/v2/services/crime.xml?{J}"), 404)
    assert "jurisdiction_id" in _spec_error(client.get("/open311/v2/services.json"), 400)  # two PAOs exist
    _spec_error(client.get("/open311/v2/services.xml?jurisdiction_id=atlantis"), 404)
    _spec_error(client.get(f"/open311/v2/requests/SKA-2569-999999.json?{J}"), 404)
    _spec_error(client.get(f"/open311/v2/requests/SKA-2569-999999.xml?{J}"), 404)
    _spec_error(client.get(f"/open311/v2/requests.json?{J}&status=pending"), 400)
    _spec_error(client.get(f"/open311/v2/requests.json?{J}&start_date=yesterday"), 400)
    _spec_error(client.get(f"/open311/v2/requests.json?{J}&start_date=2026-01-01T00:00:00Z"
                           "&end_date=2026-06-01T00:00:00Z"), 400)
    _spec_error(client.get(f"/open311/v2/requests.json?{J}&service_code=nope"), 404)
    _spec_error(client.get(f"/open311/v2/requests.json?{J}&api_key=rkk_00000000_{'x' * 40}"), 403)
    _spec_error(client.get("/open311/v2/unknown.json"), 404)
    _spec_error(client.delete(f"/open311/v2/requests.xml?{J}"), 405)
    _spec_error(client.get(f"/open311/v2/tokens/forged.token.json?{J}"), 404)


def test_posting_needs_the_api_key_of_a_council_member(client, world, keys, tokens):
    assert "api_key" in _spec_error(_post(client, None), 403)
    _spec_error(_post(client, keys.west_desk), 403)
    _spec_error(_post(client, tokens.member), 403)  # a Bearer token is not an API key
    _spec_error(_post(client, keys.other_member), 403)  # another PAO's account
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 0


def test_post_then_get_round_trip(client, world, keys):
    response = _post(client, keys.member, **{"attribute[vehicle]": "red Honda Wave", "account_id": "app-77"})
    assert response.status_code == 200, response.get_data(as_text=True)
    [created] = response.get_json()
    assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
    report = db.session.scalar(db.select(Report))
    assert created["service_request_id"] == report.reference_number and report.station_id == world.west.id
    assert report.answers == {"vehicle": "red Honda Wave"}
    [public] = client.get(f"/open311/v2/requests/{report.reference_number}.json?{J}&lang=en").get_json()
    assert set(public) == PUBLIC_FIELDS
    assert public["status"] == "open" and public["service_code"] == "crime.theft"
    assert public["agency_responsible"] == "West Station"
    assert public["requested_datetime"].endswith("+07:00") and public["expected_datetime"].endswith("+07:00")
    [token] = client.get(f"/open311/v2/tokens/{created['token']}.json?{J}").get_json()
    assert token == {"service_request_id": report.reference_number, "token": created["token"]}
    root = _xml(client.get(f"/open311/v2/requests/{report.reference_number}.xml?{J}&api_key={keys.member}"))
    assert root.tag == "service_requests" and root.find("request").findtext("description").startswith("Motorbikes")


def test_a_resent_submission_files_one_report(client, world, keys):
    first = _post(client, keys.member, device_id="phone-1")
    again = _post(client, keys.member, device_id="phone-1")
    assert first.get_json()[0]["service_request_id"] == again.get_json()[0]["service_request_id"]
    headers = {"Idempotency-Key": "submission-42"}
    data = {"jurisdiction_id": "songkhla", "service_code": "crime.theft", "lat": "7.21", "long": "100.55",
            "description": "Bicycles are stolen at the school gate.", "api_key": keys.member, "confirm_new": "true"}
    one = client.post("/open311/v2/requests.xml", data=data, headers=headers)
    two = client.post("/open311/v2/requests.xml", data={**data, "description": "Changed text"}, headers=headers)
    assert _xml(one).findtext("request/service_request_id") == _xml(two).findtext("request/service_request_id")
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 2


def test_post_validates_like_the_form(client, world, keys):
    assert "description" in _spec_error(_post(client, keys.member, description="short"), 400)
    _spec_error(_post(client, keys.member, service_code="nope"), 404)
    _spec_error(_post(client, keys.member, service_code=None), 404)
    assert "lat and long" in _spec_error(_post(client, keys.member, lat=None), 400)
    assert "consent" in _spec_error(_post(client, keys.member, first_name="Malee", phone="0812345678"), 400)
    text = "Call the watchman on 081-234-5678 about the motorbikes stolen here."
    assert "confirm_personal_data=true" in _spec_error(_post(client, keys.member, description=text), 400)
    assert _post(client, keys.member, description=text, confirm_personal_data="true").status_code == 200


def test_public_answers_never_carry_narrative_or_resident_data(client, world):
    theft = _report(world)
    dealing = _report(world, category=db.session.scalar(db.select(Category).where(Category.code == "drugs.dealing")),
                      lat=7.23456, lon=100.56789)
    for fmt in ("json", "xml"):
        for path in (f"/open311/v2/requests.{fmt}?{J}", f"/open311/v2/requests/{theft.reference_number}.{fmt}?{J}",
                     f"/open311/v2/servicerequestupdates.{fmt}?{J}"):
            text = client.get(path).get_data(as_text=True)
            for secret in ("Somchai", "081-234-5678", "watchman", "House 12", "Malee", "0899999999", "100.56789"):
                assert secret not in text, (path, secret)
    listed = {r["service_request_id"]: r for r in client.get(f"/open311/v2/requests.json?{J}").get_json()}
    assert set(listed[theft.reference_number]) == PUBLIC_FIELDS
    assert (listed[theft.reference_number]["lat"], listed[theft.reference_number]["long"]) == (7.235, 100.568)
    assert (listed[dealing.reference_number]["lat"], listed[dealing.reference_number]["long"]) == (7.23, 100.57)


def test_drug_rounding_is_configurable(app, client, world, monkeypatch):
    dealing = _report(world, category=db.session.scalar(db.select(Category).where(Category.code == "drugs.dealing")))
    monkeypatch.setitem(app.config, "OPEN311_DRUG_ROUNDING_DECIMALS", 1)
    [row] = client.get(f"/open311/v2/requests/{dealing.reference_number}.json?{J}").get_json()
    assert (row["lat"], row["long"]) == (7.2, 100.6)


def test_a_key_sees_its_scope_with_the_masking_rules(client, world, keys):
    report = _report(world)
    perform(report, "acknowledge", world.west_desk)
    perform(report, "record_outcome", world.west_desk, outcome="warning", note="Warned the riders; call 081-234-5678")
    add_internal_note(report, "Informant lives at house 14", actor=world.west_desk)
    db.session.commit()
    path = f"/open311/v2/requests/{report.reference_number}.json?{J}&lang=en"
    [mine] = client.get(f"{path}&api_key={keys.member}").get_json()
    assert mine["description"] == NARRATIVE and mine["address"] == "House 12, Soi Market"
    assert mine["status_notes"] == "Warning given: Warned the riders; call 081-234-5678"
    assert (mine["lat"], mine["long"]) == (7.23456, 100.56789)
    [coordinator] = client.get(f"{path}&api_key={keys.coordinator}").get_json()
    assert "081-234-5678" not in coordinator["description"] and "081-234-5678" not in coordinator["status_notes"]
    assert "Informant" not in str(client.get(f"{path}&api_key={keys.west_desk}").get_json())
    for name in ("member2", "east_desk", "far_desk"):
        _spec_error(client.get(f"{path}&api_key={getattr(keys, name)}"), 404)
    listed = client.get(f"/open311/v2/requests.json?{J}&api_key={keys.member2}").get_json()
    assert listed == []
    assert len(client.get(f"/open311/v2/requests.json?{J}").get_json()) == 1  # the public list has it


def test_request_list_filters_and_defaults(client, world):
    recent = _report(world)
    closed = _report(world, status=ReportStatus.CLOSED)
    old = _report(world, created_at=utcnow() - timedelta(days=120))
    racing = _report(world, category=db.session.scalar(db.select(Category).where(
        Category.code == "traffic.street_racing")))
    def ids(query):
        return [r["service_request_id"] for r in client.get(f"/open311/v2/requests.json?{J}&{query}").get_json()]
    assert set(ids("")) == {recent.reference_number, closed.reference_number, racing.reference_number}
    assert set(ids("status=closed")) == {closed.reference_number}
    assert set(ids("status=open,closed")) == set(ids(""))
    assert ids("service_code=traffic.street_racing") == [racing.reference_number]
    start = (utcnow() - timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"start_date={start}") == [old.reference_number]
    # service_request_id overrides every other filter, old or not
    assert set(ids(f"service_request_id={old.reference_number},{closed.reference_number}&status=open")) == {
        old.reference_number, closed.reference_number}


def test_service_request_updates_follow_status_changes(client, world, keys):
    report = _report(world)
    perform(report, "acknowledge", world.west_desk)
    perform(report, "record_outcome", world.west_desk, outcome="arrest", note="Two arrested near Somchai's shop")
    perform(report, "confirm", world.member)
    add_internal_note(report, "Informant lives at house 14", actor=world.west_desk)
    other = _report(world)
    perform(other, "acknowledge", world.west_desk)
    db.session.commit()
    updates = client.get(f"/open311/v2/servicerequestupdates.json?{J}&service_request_id={report.reference_number}"
                         "&lang=en").get_json()
    assert [(u["external_status_code"], u["status"]) for u in updates] == [
        ("acknowledged", "open"), ("action_taken", "open"), ("closed", "closed")]
    assert all(set(u) == {"update_id", "service_request_id", "status", "updated_datetime", "description",
                          "media_url", "external_status_code"} for u in updates)
    assert updates[-1]["description"] == "Closed" and "Somchai" not in str(updates)
    everything = client.get(f"/open311/v2/servicerequestupdates.json?{J}&api_key={keys.west_desk}").get_json()
    assert {u["service_request_id"] for u in everything} == {report.reference_number, other.reference_number}
    root = _xml(client.get(f"/open311/v2/servicerequestupdates.xml?{J}"))
    assert root.tag == "service_request_updates" and len(root.findall("request_update")) == 4
    assert client.get(f"/open311/v2/servicerequestupdates.json?{J}&api_key={keys.member2}").get_json() == []


def test_an_unmodified_spec_client_files_with_contact_details_through_the_consent_attribute(client, world, keys):
    # what a GeoReport v2 client reads before it asks the user: a required attribute, in the spec's terms
    definition = client.get(f"/open311/v2/services/crime.theft.json?{J}&lang=en").get_json()
    consent = next(a for a in definition["attributes"] if a["code"] == "consent")
    assert consent["required"] is True and consent["datatype"] == "singlevaluelist"
    assert [v["key"] for v in consent["values"]] == ["yes", "no"]
    assert "attribute[consent]" in client.get("/open311/v2/discovery.json").get_json()["notes"]
    refused = _spec_error(_post(client, keys.member, first_name="Malee", phone="0812345678",
                                **{"attribute[consent]": "no"}), 400)
    assert "attribute[consent]" in refused
    response = _post(client, keys.member, first_name="Malee", last_name="Suk", phone="0812345678",
                     **{"attribute[consent]": "yes"})
    assert response.status_code == 200, response.get_data(as_text=True)
    report = db.session.scalar(db.select(Report).order_by(Report.id.desc()))
    assert report.resident_anonymous is False and report.resident_phone_sealed
    assert report.answers.get("consent") is None  # an answer about the filing, not about the concern
