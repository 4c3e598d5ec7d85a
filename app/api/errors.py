"""One JSON error shape for /api/v1 and the GeoReport v2 error lists for /open311/v2."""
import logging
from contextlib import contextmanager
from xml.etree import ElementTree as ET

from flask import Response, g, jsonify, request
from flask_babel import force_locale
from werkzeug.exceptions import HTTPException

from app.api.routing import routed_methods
from app.core.errors import register_error_renderer
from app.core.storage import StorageUnavailable
from app.extensions import db

log = logging.getLogger(__name__)

# code: (HTTP status, English, Thai). Thai sits here, not in the .po catalogue, because clients
# read both at once: `message` and `message_th` in the same answer.
CATALOGUE = {
    "bad_request": (400, "The request could not be read.", "อ่านคำขอไม่ได้ กรุณาตรวจสอบรูปแบบข้อมูลที่ส่ง"),
    "invalid_parameter": (400, "A query parameter is not valid.", "พารามิเตอร์ในคำขอไม่ถูกต้อง"),
    "invalid_cursor": (400, "This cursor was not made by this API; start again without it.",
                       "cursor นี้ไม่ได้สร้างจาก API นี้ กรุณาเริ่มใหม่โดยไม่ส่ง cursor"),
    "idempotency_key_required": (400, "Send an Idempotency-Key header (1 to 64 visible characters), "
                                      "the same one on every retry.",
                                 "กรุณาส่งส่วนหัว Idempotency-Key (1–64 ตัวอักษร) และใช้ค่าเดิมทุกครั้งที่ส่งซ้ำ"),
    "unauthorized": (401, "Send a valid token: Authorization: Bearer <token>.",
                     "กรุณาส่งโทเคนที่ใช้งานได้ในส่วนหัว Authorization: Bearer <token>"),
    "forbidden": (403, "Your account may not do this.", "บัญชีของคุณไม่มีสิทธิ์ทำรายการนี้"),
    "not_found": (404, "Not found, or not visible to your account.",
                  "ไม่พบข้อมูล หรือบัญชีของคุณไม่มีสิทธิ์เห็นข้อมูลนี้"),
    "method_not_allowed": (405, "This method is not allowed here.", "ไม่อนุญาตให้ใช้เมธอดนี้กับที่อยู่นี้"),
    "conflict": (409, "The report's status does not allow this action now.",
                 "สถานะของเรื่องในขณะนี้ไม่อนุญาตให้ทำรายการนี้"),
    "version_conflict": (409, "The report changed since you read it; read it again and retry.",
                         "เรื่องนี้ถูกแก้ไขหลังจากที่คุณอ่าน กรุณาอ่านใหม่แล้วลองอีกครั้ง"),
    "too_large": (413, "The request is too large.", "คำขอมีขนาดใหญ่เกินไป"),
    "unsupported_media_type": (415, "Send the body as application/json.", "กรุณาส่งข้อมูลเป็น application/json"),
    "validation_failed": (422, "Some fields are missing or not valid.", "ข้อมูลบางช่องไม่ครบหรือไม่ถูกต้อง"),
    # 409: the report conflicts with what the server knows (open reports nearby, the areas, personal data
    # in the text); the same request with the confirmations settles it.
    "needs_confirmation": (409, "Confirm the checks listed in `confirmations` and send the same request again.",
                           "กรุณายืนยันรายการใน confirmations แล้วส่งคำขอเดิมอีกครั้ง"),
    "rate_limited": (429, "Too many requests; nothing was saved. Try again after the seconds in Retry-After.",
                     "มีคำขอมากเกินไป ยังไม่มีการบันทึกข้อมูล กรุณาลองใหม่หลังจากจำนวนวินาทีใน Retry-After"),
    "unavailable": (503, "Photo storage cannot be reached right now; nothing was saved. Send the same request "
                         "again in a minute.",
                    "ขณะนี้ไม่สามารถจัดเก็บรูปภาพได้ ยังไม่มีการบันทึกข้อมูล กรุณาส่งคำขอเดิมอีกครั้งในอีกหนึ่งนาที"),
    "server_error": (500, "Something went wrong on our side; nothing was saved. Try again shortly.",
                     "เกิดข้อผิดพลาดในระบบ ยังไม่มีการบันทึกข้อมูล กรุณาลองใหม่ภายหลัง"),
}
_BY_STATUS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "validation_failed",
              429: "rate_limited", 503: "unavailable"}


class ApiError(Exception):
    """An API answer that is an error: a catalogue code, optional own messages and per-field details."""

    def __init__(self, code, *, message=None, message_th=None, fields=None, status=None, headers=None, **extra):
        super().__init__(code)
        status_, en, th = CATALOGUE[code]
        self.code, self.status = code, status or status_
        self.message, self.message_th = message or en, message_th or th
        self.fields, self.headers, self.extra = fields or {}, headers or {}, extra

    def response(self):
        """Return the error as the API's JSON response."""
        body = {"code": self.code, "message": self.message, "message_th": self.message_th, "fields": self.fields,
                **self.extra}
        response = jsonify(error=body)
        response.status_code = self.status
        response.headers.update(self.headers)
        return response


@contextmanager
def in_language(lang):
    """Render lazy strings in one language (forms and the workflow pick theirs from the locale)."""
    g.pop("lang", None)
    try:
        with force_locale(lang):
            yield
    finally:
        g.pop("lang", None)


def both_languages(message):
    """Return (English, Thai) of a lazy or plain message."""
    with in_language("en"):
        en = str(message)
    with in_language("th"):
        th = str(message)
    return en, th


def field_error(message):
    """Return one field's error as {'message', 'message_th'}."""
    en, th = both_languages(message)
    return {"message": en, "message_th": th}


def http_error(error):
    """Map a werkzeug HTTP error (429, 413, 405…) to an ApiError."""
    code = _BY_STATUS.get(error.code, "server_error" if (error.code or 500) >= 500 else "bad_request")
    headers = {}
    if error.code == 405:
        headers["Allow"] = allow_header(error)
    return ApiError(code, status=error.code if code != "server_error" else 500, headers=headers)


def storage_unavailable(error):
    """The object store is down: a 503 the client may retry with the same Idempotency-Key; nothing was kept."""
    db.session.rollback()
    return ApiError("unavailable", headers={"Retry-After": "60"}).response()


def allow_header(error):
    """Return the Allow header of a 405: the path's own methods, not the catch-all rule's."""
    methods = routed_methods() or list(getattr(error, "valid_methods", None) or [])
    return ", ".join([*methods, *(["HEAD"] if "GET" in methods else []), "OPTIONS"])


def register_api_errors(bp):
    """Answer every error of the JSON API in its one shape, routing errors (405 on TRACE…) included."""
    bp.register_error_handler(ApiError, lambda error: error.response())
    bp.register_error_handler(HTTPException, lambda error: http_error(error).response())
    bp.register_error_handler(StorageUnavailable, storage_unavailable)
    bp.record_once(lambda state: register_error_renderer(state.app, _under(bp, lambda e: http_error(e).response())))
    bp.register_error_handler(Exception, _unexpected(lambda: ApiError("server_error").response()))


# --- Open311 (GeoReport v2): [{"code": 400, "description": "..."}] or <errors><error>… ---

class Open311Error(Exception):
    """A GeoReport v2 error: an HTTP status and a description."""

    def __init__(self, status, description):
        super().__init__(description)
        self.status, self.description = status, description


def open311_error_response(status, description, fmt=None):
    """Return the spec's error list, in the format the path asked for."""
    fmt = fmt or ("xml" if request.path.endswith(".xml") else "json")
    if fmt == "xml":
        root = ET.Element("errors")
        error = ET.SubElement(root, "error")
        ET.SubElement(error, "code").text = str(status)
        ET.SubElement(error, "description").text = description
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)
        return Response(body, status=status, content_type="text/xml; charset=utf-8")
    response = jsonify([{"code": status, "description": description}])
    response.status_code = status
    return response


def register_open311_errors(bp):
    """Answer every error of the Open311 endpoints in the spec's format."""
    bp.register_error_handler(Open311Error, lambda e: open311_error_response(e.status, e.description))

    def from_http(error):
        code = error.code or 500
        status = code if code in (400, 403, 404, 405, 413, 429) else (400 if code < 500 else 500)
        en = CATALOGUE[_BY_STATUS.get(status, "server_error")][1]
        response = open311_error_response(status, en)
        if status == 405:
            response.headers["Allow"] = allow_header(error)
        return response
    bp.register_error_handler(HTTPException, from_http)
    bp.record_once(lambda state: register_error_renderer(state.app, _under(bp, from_http)))
    bp.register_error_handler(Exception, _unexpected(lambda: open311_error_response(500, CATALOGUE["server_error"][1])))


def _under(bp, render):
    """Return an error renderer answering with render(error) for requests under the blueprint's prefix."""
    return lambda error: render(error) if request.path.startswith(bp.url_prefix + "/") else None


def _unexpected(render):
    def handler(error):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render()
    return handler
