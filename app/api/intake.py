"""Filing a report from an API client through the intake form's own validation and submit_report."""
import math
import re
import uuid

from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.api.errors import ApiError, field_error, in_language
from app.api.schemas import NewReport, parse_body
from app.categories.questions import FIELD_PREFIX, parse_answers
from app.core.timeutil import to_bangkok
from app.extensions import db
from app.reports.forms import ReportForm, leaf_categories
from app.reports.services import NeedsConfirmation, find_submitted, submit_report
from app.security.params import datetime_value

# Visible ASCII, as stored in reports.idempotency_key (64 characters at most).
_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")
_TEXT_FIELDS = ("narrative", "address_text", "priority", "resident_name", "resident_phone")
_FLAGS = ("resident_anonymous", "consent", "confirm_place", "confirm_personal_data", "confirm_new")
# form field -> API field, where they differ
_API_NAMES = {"category_id": "category"}
CONFIRM_WITH = {"place": "confirm_place", "personal_data": "confirm_personal_data", "duplicates": "confirm_new"}

def check_idempotency_key(value):
    """Return the client's idempotency key, or refuse a missing or malformed one."""
    value = (value or "").strip()
    if not _KEY.match(value):
        raise ApiError("idempotency_key_required")
    return value


def file_report(member, payload, idempotency_key, photos=()):
    """File the payload (and photo uploads) once per (member, key) through submit_report; return
    (report, created). Photos pass the intake form's checks and processing, as from the phone."""
    payload = parse_body(NewReport, payload)  # a retry carries the same body, so this never refuses one
    existing = find_submitted(member, idempotency_key)
    if existing is not None:
        return existing, False
    draft, processed = build_draft(payload, idempotency_key, photos)
    try:
        report, created = submit_report(member, draft, processed)
        db.session.commit()
    except NeedsConfirmation as needs:
        db.session.rollback()
        raise ApiError("needs_confirmation", confirmations=confirmations(needs)) from None
    except IntegrityError:
        db.session.rollback()
        report, created = find_submitted(member, idempotency_key), False
        if report is None:
            raise
    return report, created


def build_draft(payload, idempotency_key, photos=()):
    """Validate an API payload with the intake form's rules; return (ReportDraft, processed photos) or
    raise validation_failed."""
    formdata, fields = _formdata(payload)
    formdata.setlist("photos", list(photos))
    with in_language("en"):
        form, answers, errors = _validate(formdata)
    if errors or fields:
        if errors:
            for upload in photos:  # read again, for the Thai messages
                upload.stream.seek(0)
            with in_language("th"):
                _form, _answers, errors_th = _validate(formdata)
            for name, message in errors.items():
                fields.setdefault(name, {"message": message, "message_th": errors_th.get(name, message)})
        raise ApiError("validation_failed", fields=fields)
    draft = form.to_draft()
    draft.answers, draft.idempotency_key = answers, idempotency_key
    return draft, form.processed_photos


def _validate(formdata):
    form = ReportForm(leaf_categories(), formdata=formdata, meta={"csrf": False})
    valid = form.validate()
    # The form reads answers from request.form; an API client sends them in its own body.
    answers, answer_errors = parse_answers(form.category, formdata)
    errors = {_API_NAMES.get(name, name or "body"): str(messages[0])
              for name, messages in form.errors.items() if messages}
    errors.update({f"answers.{code}": str(message) for code, message in answer_errors.items()})
    asked = {question.get("code") for question in (form.category.questions if form.category else None) or []}
    for name in formdata:
        code = name.removeprefix(FIELD_PREFIX)
        if name.startswith(FIELD_PREFIX) and form.category is not None and code not in asked:
            errors[f"answers.{code}"[:80]] = "This category does not ask this question."
    if not valid and not errors:
        errors["body"] = "The report is not valid."
    return form, answers, errors


def _formdata(payload):
    """Return (MultiDict for ReportForm, type errors) from the API's field names and JSON types."""
    data, fields = MultiDict({"idempotency_key": str(uuid.uuid4())}), {}
    code = payload.get("category")
    category = next((c for c in leaf_categories() if c.code == code), None) if isinstance(code, str) else None
    data["category_id"] = str(category.id) if category else ""
    for name in ("lat", "lon", "accuracy_m"):
        value = payload.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            data[name] = repr(float(value))
        elif isinstance(value, str):
            data[name] = value
        elif value is not None:
            fields[name] = field_error("Enter a number.")
    for name in _TEXT_FIELDS:
        value = payload.get(name)
        if isinstance(value, str):
            data[name] = value
        elif value is not None:
            fields[name] = _type_error("text")
    for name in _FLAGS:
        value = payload.get(name)
        if value is True:
            data[name] = "y"
        elif value not in (None, False):
            fields[name] = _type_error("true or false")
    occurred = payload.get("occurred_at")
    if occurred is not None:
        local = _local_time(occurred)
        if local is None:
            fields["occurred_at"] = {"message": "Use ISO 8601, e.g. 2026-11-26T14:30:00+07:00.",
                                     "message_th": "ใช้รูปแบบ ISO 8601 เช่น 2026-11-26T14:30:00+07:00"}
        else:
            data["occurred_at"] = local
    answers = payload.get("answers")
    if isinstance(answers, dict):
        for key, value in answers.items():
            if isinstance(value, bool):
                data[FIELD_PREFIX + str(key)] = "yes" if value else "no"
            elif isinstance(value, (str, int, float)):
                data[FIELD_PREFIX + str(key)] = str(value)
    elif answers is not None:
        fields["answers"] = _type_error("an object")
    return data, fields


def _local_time(value):
    """Return an ISO 8601 time as the form's Bangkok wall-clock text, or None when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime_value(value)
    except ValueError:
        return None
    return to_bangkok(moment).strftime("%Y-%m-%dT%H:%M:%S")


_TYPE_TH = {"text": "ต้องเป็นข้อความ", "true or false": "ต้องเป็น true หรือ false", "an object": "ต้องเป็นออบเจกต์"}


def _type_error(kind):
    return {"message": f"Must be {kind}.", "message_th": _TYPE_TH[kind]}


def candidate_data(row):
    """Return a nearby report as the disclosure rule allows: the reference and metres only if openable."""
    data = {"band_m": row.band, "distance": row.distance_text, "status": row.status.value,
            "created_on": row.created_on.isoformat(), "supporter_count": row.supporter_count}
    if row.may_open:
        data.update(reference_number=row.reference_number, distance_m=row.distance_m)
    return data


def confirmations(needs):
    """Describe what the client must confirm, and with which field, before the report is filed."""
    checks, found = needs.checks, {}
    for missing in needs.missing:
        item = {"confirm_with": CONFIRM_WITH[missing]}
        if missing == "place" and checks.decision is not None:
            item.update(message=checks.decision.explanation_en, message_th=checks.decision.explanation_th)
        elif missing == "personal_data":
            item["kinds"] = list(checks.personal_data)
        elif missing == "duplicates":
            item["candidates"] = [candidate_data(row) for row in checks.duplicates]
        found[missing] = item
    return found
