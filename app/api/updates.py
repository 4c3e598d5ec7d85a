"""Workflow actions pushed by API clients (a police system, a member's app) through the one transition table."""
from sqlalchemy.orm.exc import StaleDataError

from app.api.errors import ApiError, both_languages
from app.extensions import db
from app.reports.models import ReportEvent
from app.stations.models import Station
from app.triage.errors import IllegalTransition, MissingInput, NotPermitted, VersionConflict, WorkflowError
from app.triage.workflow import TRANSITIONS, perform

ACTIONS = tuple(TRANSITIONS)
# API field -> workflow keyword, per action; everything else in the body is ignored.
_INPUTS = {
    "ask_question": {"text": "text"},
    "answer": {"text": "text", "question_id": "question_id"},
    "record_outcome": {"outcome": "outcome", "note": "note"},
    "reopen": {"reason": "reason"},
    "transfer": {"station": "station", "reason": "reason"},
    "reject": {"reason_code": "reason", "note": "note", "duplicate_of": "duplicate_of"},
    "forward": {"station": "station", "note": "note"},
}
_ERROR_CODES = ((VersionConflict, "version_conflict"), (IllegalTransition, "conflict"), (NotPermitted, "forbidden"),
                (MissingInput, "validation_failed"))


def apply_update(report, user, payload):
    """Apply one workflow action for the user and commit; return its event. Refusals become API errors."""
    if not isinstance(payload, dict):
        raise ApiError("validation_failed", message="The body must be a JSON object.",
                       message_th="เนื้อหาคำขอต้องเป็นออบเจกต์ JSON")
    action = payload.get("action")
    if action not in TRANSITIONS:
        raise ApiError("validation_failed", fields={"action": {
            "message": "Choose one of: " + ", ".join(ACTIONS) + ".",
            "message_th": "เลือกหนึ่งใน: " + ", ".join(ACTIONS)}})
    version = payload.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ApiError("validation_failed", fields={"version": {"message": "Must be an integer.",
                                                                 "message_th": "ต้องเป็นจำนวนเต็ม"}})
    data = {keyword: _value(report, name, payload.get(name)) for name, keyword in _INPUTS.get(action, {}).items()}
    try:
        event = perform(report, action, user, version=version, **data)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        raise _api_error(error) from None
    except StaleDataError:
        db.session.rollback()
        raise ApiError("version_conflict") from None
    return event


def _value(report, name, value):
    """Turn an API value into what the workflow takes: stations by code, the question by id."""
    if name == "station":
        station = db.session.scalar(db.select(Station).where(Station.code == value)) if isinstance(value, str) else None
        if value is not None and station is None:
            raise ApiError("validation_failed", fields={"station": {"message": "Unknown station code.",
                                                                     "message_th": "ไม่พบรหัสสถานีนี้"}})
        return station
    if name == "question_id":
        is_id = isinstance(value, int) and not isinstance(value, bool)
        question = db.session.get(ReportEvent, value) if is_id else None
        if question is None or question.report_id != report.id or question.kind != "question" or question.internal:
            raise ApiError("validation_failed", fields={"question_id": {
                "message": "Give the id of an open question on this report.",
                "message_th": "ระบุ id ของคำถามในเรื่องนี้"}})
        return question.id
    if value is not None and not isinstance(value, str):
        raise ApiError("validation_failed", fields={name: {"message": "Must be text.",
                                                            "message_th": "ต้องเป็นข้อความ"}})
    return value


def _api_error(error):
    en, th = both_languages(error.message)
    code = next((code for kind, code in _ERROR_CODES if isinstance(error, kind)), "bad_request")
    return ApiError(code, message=en, message_th=th)
