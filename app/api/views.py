"""The JSON API (/api/v1): thin views over the intake, the workflow and scoped queries."""
import re

from flask import current_app, jsonify, request, url_for

from app.api import api_bp as bp
from app.api.auth import api_idempotency_key, api_token, api_user, authenticate_api_request, clear_request_user
from app.api.errors import ApiError, register_api_errors
from app.api.intake import check_idempotency_key, file_report
from app.api.openapi import CATEGORY_CODE
from app.api.openapi import openapi_document as build_document
from app.api.photos import photo_response
from app.api.queries import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    STATUS_FILTERS,
    active_stations,
    category_tree,
    find_report,
    report_page,
)
from app.api.representations import category_data, event_data, iso, report_data, station_data, visible_events
from app.api.routing import answer_options, unknown_route
from app.api.updates import apply_update
from app.reports.forms import leaf_categories
from app.reports.limits import submission_limit
from app.security.access import Role
from app.security.inputs import JsonRefused
from app.security.params import bounded_int

bp.before_request(answer_options)
bp.before_request(authenticate_api_request)
bp.teardown_request(clear_request_user)
register_api_errors(bp)


@bp.get("/openapi.json")
def openapi_document():
    """Return the OpenAPI 3.1 description of this API (public, like any documentation)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    return jsonify(build_document(base, category_codes=[c.code for c in leaf_categories()]))


@bp.get("/me")
def me():
    """Return who the token acts as."""
    user, token = api_user(), api_token()
    return jsonify(username=user.username, display_name=user.display_name, role=user.role.value,
                   pao=user.pao.code if user.pao else None, station=user.station.code if user.station else None,
                   token={"prefix": token.prefix, "label": token.label, "created_at": iso(token.created_at)})


@bp.get("/reports")
def list_reports():
    """List the reports the caller may see, newest first, one cursor page at a time."""
    limit = _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    status = request.args.get("status")
    if status is not None and status not in STATUS_FILTERS:
        raise _bad_arg("status", "Choose one of: " + ", ".join(STATUS_FILTERS) + ".")
    category = request.args.get("category")
    if category is not None and not re.match(CATEGORY_CODE["pattern"], category):
        raise _bad_arg("category", "A category code, e.g. crime.theft.")
    user = api_user()
    rows, next_cursor = report_page(user, cursor=request.args.get("cursor"), limit=limit, status=status,
                                    category=category)
    return jsonify(reports=[report_data(r, user) for r in rows], next_cursor=next_cursor)


@bp.post("/reports")
@submission_limit(api_idempotency_key)
def create_report():
    """File a report once per Idempotency-Key: 201 the first time, 200 with the same report on a retry."""
    user = api_user()
    if user.role != Role.COUNCIL_MEMBER or user.pao is None:
        raise ApiError("forbidden", message="Only council members file reports.",
                       message_th="เฉพาะสมาชิกสภา อบจ. เท่านั้นที่แจ้งเรื่องได้")
    key = check_idempotency_key(request.headers.get("Idempotency-Key"))
    payload, photos = _report_body()
    report, created = file_report(user, payload, key, photos)
    response = jsonify(report_data(report, user))
    response.status_code = 201 if created else 200
    response.headers["Location"] = url_for("api.get_report", reference=report.reference_number)
    return response


@bp.get("/reports/<reference>")
def get_report(reference):
    """Return one report the caller may see."""
    user = api_user()
    return jsonify(report_data(find_report(user, reference), user))


@bp.get("/reports/<reference>/events")
def report_events(reference):
    """Return the report's timeline, oldest first; police-only entries for police of its station alone."""
    user = api_user()
    report = find_report(user, reference)
    return jsonify(events=[event_data(e, user, report) for e in visible_events(report, user)])


@bp.post("/reports/<reference>/updates")
def post_update(reference):
    """Apply a workflow action (acknowledge, start, ask_question, record_outcome, reject…) with its rules."""
    user = api_user()
    report = find_report(user, reference)
    event = apply_update(report, user, _json_body())
    return jsonify(report=report_data(report, user), event=event_data(event, user, report))


@bp.get("/categories")
def categories():
    """Return the active categories: top levels with their sub-categories, SLA hours and extra questions."""
    return jsonify(categories=[category_data(top, children) for top, children in category_tree()])


@bp.get("/stations")
def stations():
    """Return the active police stations."""
    return jsonify(stations=[station_data(s) for s in active_stations()])


bp.add_url_rule("/", "unknown_root", unknown_route, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
bp.add_url_rule("/<path:unknown>", "unknown", unknown_route, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])


@bp.get("/reports/<reference>/photos/<position>")
def report_photo(reference, position):
    """Send one of the report's photos without its metadata (?size=thumb for the small copy)."""
    size = request.args.get("size") or "full"
    if size not in ("full", "thumb"):
        raise _bad_arg("size", "Use full or thumb.")
    report = find_report(api_user(), reference)
    if not (position.isascii() and position.isdigit()):
        raise ApiError("not_found")
    return photo_response(report, int(position), thumb=size == "thumb")


def _report_body():
    """Return (payload, photo uploads): a JSON body, or multipart with a JSON `report` part and `photos` files."""
    if request.mimetype != "multipart/form-data":
        return _json_body(), []
    text = request.form.get("report")
    if text is None and "report" in request.files:  # a JSON part sent as a file (with a filename)
        text = request.files["report"].read(current_app.config["JSON_MAX_BYTES"] + 1)
    unknown = sorted((set(request.form) - {"report"}) | (set(request.files) - {"report", "photos"}))
    fields = {str(name)[:80]: {"message": "Unknown part; send `report` (JSON) and `photos` (files) only.",
                               "message_th": "ไม่รู้จักส่วนนี้ ส่งเฉพาะ report และ photos"} for name in unknown}
    if text is None:
        fields["report"] = {"message": "Send the report as JSON in a form field named report.",
                            "message_th": "ส่งข้อมูลรายงานเป็น JSON ในช่องชื่อ report"}
    if fields:
        raise ApiError("validation_failed", fields=fields)
    try:
        payload = current_app.json.loads(text)
    except JsonRefused as error:
        raise ApiError("bad_request", message=error.message, message_th=error.message_th) from None
    except ValueError:
        raise ApiError("bad_request", message="The report field is not valid JSON.",
                       message_th="ช่อง report ไม่ใช่ JSON ที่ถูกต้อง") from None
    return payload, [f for f in request.files.getlist("photos") if f.filename]


def _json_body():
    if not request.is_json:
        raise ApiError("unsupported_media_type")
    try:
        return current_app.json.loads(request.get_data())
    except JsonRefused as error:
        raise ApiError("bad_request", message=error.message, message_th=error.message_th) from None
    except ValueError:
        raise ApiError("bad_request", message="The body is not valid JSON.",
                       message_th="เนื้อหาคำขอไม่ใช่ JSON ที่ถูกต้อง") from None


def _int_arg(name, default, low, high):
    text = request.args.get(name)
    if text is None:
        return default
    try:
        return bounded_int(text, low=low, high=high)
    except ValueError:
        raise _bad_arg(name, f"Use a whole number from {low} to {high}.") from None


def _bad_arg(name, message):
    return ApiError("invalid_parameter", fields={name: {"message": message, "message_th": "ค่าพารามิเตอร์ไม่ถูกต้อง"}})
