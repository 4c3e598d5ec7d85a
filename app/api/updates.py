"""Workflow actions pushed by API clients (a police system, a member's app) through the one transition table."""
from sqlalchemy.orm.exc import StaleDataError

from app.api.errors import ApiError, both_languages
from app.api.schemas import Update, parse_body
from app.extensions import db
from app.reports.errors import IllegalTransition, MissingInput, NotPermitted, VersionConflict, WorkflowError
from app.reports.models import ReportEvent
from app.reports.timeline import open_questions
from app.reports.workflow import TRANSITIONS, perform
from app.stations.models import Station

ACTIONS = tuple(TRANSITIONS)
# API field -> workflow keyword, per action; everything else in the body is ignored.
_INPUTS = {
    "ask_question": {"text": "text"},
    "ask_resident": {"text": "text"},
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
    payload = parse_body(Update, payload)
    action, version = payload["action"], payload.get("version")
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
        if value is None:
            return _only_open_question(report)
        question = db.session.get(ReportEvent, value)
        if question is None or question.report_id != report.id or question.kind != "question" or question.internal:
            raise ApiError("conflict", message="There is no question with this question_id on this report.",
                           message_th="ไม่มีคำถามที่มี question_id นี้ในเรื่องนี้")
        return question.id
    return value


def _only_open_question(report):
    """Return the id of the one unanswered question (answer without question_id); 409 for none or several."""
    waiting = open_questions(report)
    if len(waiting) == 1:
        return waiting[0].id
    if not waiting:
        raise ApiError("conflict", message="This report has no unanswered question.",
                       message_th="เรื่องนี้ไม่มีคำถามที่รอคำตอบ")
    ids = ", ".join(str(question.id) for question in waiting)
    raise ApiError("conflict", message=f"Several questions wait for an answer; send question_id (one of {ids}).",
                   message_th=f"มีคำถามรอคำตอบหลายข้อ กรุณาระบุ question_id (หนึ่งใน {ids})")


def _api_error(error):
    en, th = both_languages(error.message)
    code = next((code for kind, code in _ERROR_CODES if isinstance(error, kind)), "bad_request")
    return ApiError(code, message=en, message_th=th)
