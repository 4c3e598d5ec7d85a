"""The OpenAPI 3.1 description of /api/v1, written by hand; tests keep it and the URL map in step."""
from app.api.queries import CURSOR_PATTERN
from app.api.schemas import CATEGORY_PATTERN, body_schemas
from app.categories.models import Priority
from app.reports.models import ReportStatus
from app.reports.workflow import TRANSITIONS

VERSION = "1.0.0"


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind, **extra):
    return {"type": [kind, "null"], **extra}


def _object(required, properties):
    return {"type": "object", "required": list(required), "properties": properties}


CATEGORY_CODE = {"type": "string", "pattern": CATEGORY_PATTERN}


_TIME = _nullable("string", format="date-time")
_NAMES = {"code": {"type": "string"}, "name_th": {"type": "string"}, "name_en": {"type": "string"}}
_ERROR_CODES = ("bad_request", "invalid_parameter", "invalid_cursor", "idempotency_key_required", "unauthorized",
                "forbidden", "not_found", "method_not_allowed", "conflict", "version_conflict", "too_large",
                "unsupported_media_type", "validation_failed", "needs_confirmation", "rate_limited", "unavailable",
                "server_error")

SCHEMAS = {
    "Error": _object(["error"], {"error": _object(["code", "message", "message_th", "fields"], {
        "code": {"type": "string", "enum": list(_ERROR_CODES)},
        "message": {"type": "string", "description": "English"},
        "message_th": {"type": "string", "description": "Thai"},
        "fields": {"type": "object", "description": "Per field: {message, message_th}",
                   "additionalProperties": _object(["message", "message_th"], {
                       "message": {"type": "string"}, "message_th": {"type": "string"}})},
        "confirmations": {"type": "object", "description": "needs_confirmation only: what to confirm, and with "
                                                           "which field of the same request"},
    })}),
    "Station": _object(["code", "name_th", "name_en", "lat", "lon", "phone"], {
        **_NAMES, "lat": _nullable("number"), "lon": _nullable("number"), "phone": _nullable("string")}),
    "Question": _object(["code", "type", "label_th", "label_en"], {
        "code": {"type": "string"}, "type": {"type": "string", "examples": ["text", "number", "boolean", "choice"]},
        "label_th": _nullable("string"), "label_en": _nullable("string"),
        "choices": {"type": "array", "items": _object(["value", "name_th", "name_en"], {
            "value": {"type": "string"}, "name_th": _nullable("string"), "name_en": _nullable("string")})}}),
    "Category": _object(["code", "name_th", "name_en", "group", "emergency", "default_priority", "sla_ack_hours",
                         "sla_act_hours", "questions"], {
        **_NAMES, "group": {"type": "string"}, "emergency": {"type": "boolean"},
        "default_priority": {"type": "string", "enum": [p.value for p in Priority]},
        "sla_ack_hours": {"type": "integer"}, "sla_act_hours": {"type": "integer"},
        "questions": {"type": "array", "items": _ref("Question")}}),
    "CategoryGroup": _object(["code", "name_th", "name_en", "children"], {
        **_NAMES, "children": {"type": "array", "items": _ref("Category")}}),
    "Report": _object(
        ["reference", "status", "open", "priority", "category", "pao", "station", "narrative", "address_text",
         "answers", "lat", "lon", "occurred_at", "created_at", "updated_at", "ack_due_at", "act_due_at",
         "acknowledged_at", "closed_at", "supporter_count", "version", "filed_by_me", "allowed_actions", "photos"], {
            "reference": {"type": "string", "examples": ["SKA-2569-000123"]},
            "status": {"type": "string", "enum": [s.value for s in ReportStatus]},
            "open": {"type": "boolean"},
            "priority": {"type": "string", "enum": [p.value for p in Priority]},
            "category": _object(["code", "group", "name_th", "name_en"], {**_NAMES, "group": {"type": "string"}}),
            "pao": _object(["code", "name_th", "name_en"], _NAMES),
            "station": {"anyOf": [_ref("Station"), {"type": "null"}]},
            "narrative": {"type": "string", "description": "Names and phone numbers masked unless you filed the "
                                                           "report or are police of its station"},
            "address_text": _nullable("string"),
            "answers": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
            "lat": {"type": "number"}, "lon": {"type": "number"},
            "occurred_at": _TIME, "created_at": _TIME, "updated_at": _TIME, "ack_due_at": _TIME,
            "act_due_at": _TIME, "acknowledged_at": _TIME, "closed_at": _TIME,
            "supporter_count": {"type": "integer"},
            "version": {"type": "integer", "description": "Send it back as `version` with an update to detect "
                                                          "concurrent changes"},
            "filed_by_me": {"type": "boolean"},
            "allowed_actions": {"type": "array", "items": {"type": "string", "enum": list(TRANSITIONS)}},
            "photos": {"type": "array", "description": "Copies without metadata (location and camera data removed)",
                       "items": _object(["position", "url", "thumb_url"], {
                           "position": {"type": "integer"}, "url": {"type": "string"},
                           "thumb_url": {"type": "string"}})}}),
    "ReportPage": _object(["reports", "next_cursor"], {
        "reports": {"type": "array", "items": _ref("Report")}, "next_cursor": _nullable("string")}),
    **body_schemas(),
    "Event": _object(["id", "kind", "internal", "created_at", "actor_role", "data"], {
        "id": {"type": "integer"}, "kind": {"type": "string"}, "internal": {"type": "boolean"},
        "created_at": _TIME, "actor_role": {"type": "string"}, "data": {"type": "object"}}),
    "UpdateResult": _object(["report", "event"], {"report": _ref("Report"), "event": _ref("Event")}),
    "Me": _object(["username", "display_name", "role", "pao", "station", "token"], {
        "username": {"type": "string"}, "display_name": {"type": "string"}, "role": {"type": "string"},
        "pao": _nullable("string"), "station": _nullable("string"),
        "token": _object(["prefix", "label", "created_at"], {
            "prefix": {"type": "string"}, "label": {"type": "string"}, "created_at": _TIME})}),
}
_DESCRIPTIONS = {200: "OK", 201: "Created", 400: "Bad request", 401: "No valid token", 403: "Not allowed for your role",
                 404: "Not found, or not in your scope",
                 409: "Conflict: the report's status or version changed, or (new reports) checks the member must "
                      "confirm: `confirmations` names them and the field that confirms each",
                 415: "Body is neither JSON nor multipart",
                 422: "A rule the schema cannot express refused it (consent with a contact, a time in the "
                      "future, answers the category does not ask, an unknown field); `fields` says which",
                 429: "Rate limit exceeded"}


def _ok(schema, status=200):
    return {str(status): {"description": _DESCRIPTIONS[status], "content": {"application/json": {"schema": schema}}}}


def _errors(*statuses):
    error = {"application/json": {"schema": _ref("Error")}}
    return {str(s): {"description": _DESCRIPTIONS[s], "content": error} for s in (401, 429, *statuses)}


def _operation(op_id, summary, responses, **extra):
    return {"operationId": op_id, "summary": summary, "responses": responses, **extra}


_REFERENCE = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 40}}


def _json_body(name):
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


# A new report with photos: multipart, the report as JSON text in `report` and the files in `photos`.
_NEW_REPORT_BODY = {"required": True, "content": {
    **_json_body("NewReport")["content"],
    "multipart/form-data": {"encoding": {"report": {"contentType": "application/json"}},
                            "schema": {"additionalProperties": False, **_object(["report"], {
        "report": {**_ref("NewReport"), "description": "The NewReport object, as a JSON part"},
        "photos": {"type": "array", "description": "Up to 5 JPEG, PNG or WebP photos, 10 MB each; location data "
                                                   "is kept for the police only, as from the phone",
                   "items": {"type": "string", "contentMediaType": "application/octet-stream"}}})}}}}
_PHOTO = {"200": {"description": "The photo (JPEG)", "content": {"image/jpeg": {"schema": {
    "type": "string", "contentMediaType": "image/jpeg"}}}}}


PATHS = {
    "/openapi.json": {"get": _operation("getOpenApi", "This document", {"200": {
        "description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}, security=[])},
    "/me": {"get": _operation("getMe", "Who the token acts as", {**_ok(_ref("Me")), **_errors()})},
    "/reports": {
        "get": _operation("listReports", "Reports you may see, newest first, by cursor pages",
                          {**_ok(_ref("ReportPage")), **_errors(400)}, parameters=[
                              {"name": "cursor", "in": "query",
                               "schema": {"type": "string", "pattern": CURSOR_PATTERN},
                               "description": "next_cursor of the previous page"},
                              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                          "maximum": 100, "default": 25}},
                              {"name": "status", "in": "query", "schema": {"type": "string", "enum": [
                                  "open", "closed", *(s.value for s in ReportStatus)]}},
                              {"name": "category", "in": "query", "schema": CATEGORY_CODE,
                               "description": "a category code; a top-level code includes its sub-categories"}]),
        "post": _operation("createReport", "File a report (council members); a retry with the same "
                                           "Idempotency-Key returns the first report with 200",
                           {**_ok(_ref("Report")), **_ok(_ref("Report"), 201), **_errors(400, 403, 409, 415, 422)},
                           parameters=[{"name": "Idempotency-Key", "in": "header", "required": True,
                                        "schema": {"type": "string", "minLength": 1, "maxLength": 64,
                                                   "pattern": "^[!-~]+$"}}],
                           requestBody=_NEW_REPORT_BODY),
    },
    "/reports/{reference}": {"get": _operation("getReport", "One report", {**_ok(_ref("Report")), **_errors(404)},
                                               parameters=[_REFERENCE])},
    "/reports/{reference}/events": {"get": _operation(
        "listReportEvents", "The report's timeline (police-only entries for police of its station)",
        {**_ok(_object(["events"], {"events": {"type": "array", "items": _ref("Event")}})), **_errors(404)},
        parameters=[_REFERENCE])},
    "/reports/{reference}/photos/{position}": {"get": _operation(
        "getReportPhoto", "One photo of the report, without metadata", {**_PHOTO, **_errors(400, 404)},
        parameters=[_REFERENCE, {"name": "position", "in": "path", "required": True,
                                 "schema": {"type": "integer", "minimum": 0}},
                    {"name": "size", "in": "query", "schema": {"type": "string", "enum": ["full", "thumb"]}}])},
    "/reports/{reference}/updates": {"post": _operation(
        "postReportUpdate", "Apply a workflow action with the same rules as the web pages",
        {**_ok(_ref("UpdateResult")), **_errors(400, 403, 404, 409, 415, 422)},
        parameters=[_REFERENCE], requestBody=_json_body("Update"))},
    "/categories": {"get": _operation("listCategories", "Active categories with SLA hours and extra questions",
                                      {**_ok(_object(["categories"], {"categories": {
                                          "type": "array", "items": _ref("CategoryGroup")}})), **_errors()})},
    "/stations": {"get": _operation("listStations", "Active police stations", {**_ok(_object(["stations"], {
        "stations": {"type": "array", "items": _ref("Station")}})), **_errors()})},
}


def openapi_document(base_url="", category_codes=()):
    """Return the OpenAPI document, its server at base_url (the configured public address); category_codes
    are the codes a new report may name now (the categories live in the database)."""
    schemas = {**SCHEMAS, "NewReport": _with_categories(SCHEMAS["NewReport"], category_codes)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Ruamkan API", "version": VERSION,
                 "description": "Reports of residents' concerns filed by PAO council members and handled by police "
                                "stations. Authenticate with `Authorization: Bearer <token>` (create tokens at "
                                "/settings/tokens or with `flask tokens create`). Errors share one shape, with "
                                "English `message` and Thai `message_th`. Rate limit: per token."},
        "servers": [{"url": f"{base_url}/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": PATHS,
        "components": {"schemas": schemas,
                       "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    }


def _with_categories(schema, codes):
    if not codes:
        return schema
    properties = {**schema["properties"], "category": {**schema["properties"]["category"], "enum": sorted(codes)}}
    return {**schema, "properties": properties}
