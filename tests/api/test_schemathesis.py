"""Fuzz /api/v1 from its own OpenAPI document (schemathesis, through WSGI): no 5xx, no off-schema answer."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.extensions import db
from app.triage.services import add_internal_note
from tests.api.helpers import bearer
from tests.factories import make_report

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25  # per operation, mode and role: about 900 requests in all, well under two minutes
OPERATIONS = ["GET /categories", "GET /me", "GET /reports", "POST /reports", "GET /reports/{reference}",
              "GET /reports/{reference}/events", "GET /reports/{reference}/photos/{position}",
              "POST /reports/{reference}/updates", "GET /stations"]


@pytest.fixture()
def api_schema(app, world):
    """The API's OpenAPI document, loaded through the WSGI app like any client would."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture()
def reference(world):
    """A report both fuzzing roles can load (the member filed it; it is routed to West)."""
    report = make_report(filed_by=world.member, station=world.west, category=world.category)
    add_internal_note(report, "Watch from Friday", actor=world.west_desk)
    db.session.commit()
    return report.reference_number


def _real_data(case, reference):
    """Point a case at a report and a category that exist, so the fuzzing reaches past 404 and 422."""
    if case.path_parameters and "reference" in case.path_parameters:
        case.path_parameters["reference"] = reference
    if isinstance(case.body, dict):
        if "category" in case.body:
            case.body["category"] = "crime.theft"
        case.body.pop("version", None)  # a random version only ever meets 409
    return case


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("role", ["member", "west_desk"])
def test_api_keeps_to_its_openapi_document(api_schema, reference, tokens, mode, role):
    headers = bearer(getattr(tokens, role))
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert [o.label for o in operations] == OPERATIONS  # the document itself is not fuzzed
    for operation in operations:
        strategy = st.tuples(operation.as_strategy(generation_mode=mode), st.booleans()).map(
            lambda pair: _real_data(pair[0], reference) if pair[1] else pair[0])

        @given(case=strategy)
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case):
            case.call_and_validate(headers=headers, checks=CHECKS)
        fuzz()
