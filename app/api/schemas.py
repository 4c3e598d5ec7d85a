"""The JSON bodies the API takes, as pydantic models: one definition checks requests and writes the document.

pydantic (v2) was chosen over marshmallow because its models give the JSON Schema of OpenAPI 3.1
directly (`model_json_schema`), so the document and the validation cannot drift apart, and its core
validates in Rust before any of our code runs. A body is checked here first: its shape, types, lengths
and characters. What the schema cannot say (consent with a contact, a time in the future, the
category's own questions, duplicates nearby) is the intake's business and answers 422 or 409.
"""
import re
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from app.api.errors import ApiError
from app.categories.models import Priority
from app.categories.questions import MAX_TEXT_ANSWER
from app.reports.rules import ADDRESS_MAX, NAME_MAX, NARRATIVE_MAX, NARRATIVE_MIN, PHONE_MAX
from app.reports.workflow import OUTCOMES, REJECT_REASONS, TRANSITIONS

# What a person can type: no C0 control characters except tab, LF and CR.
TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$"
CATEGORY_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,63}$"
ANSWER_CODE_PATTERN = r"^[a-z0-9_]{1,40}$"


def Text(**limits):  # noqa: N802  (reads as a type in the models below)
    """A string a person typed, within these limits."""
    return Annotated[str, Field(pattern=TEXT_PATTERN, **limits)]


def Number(**limits):  # noqa: N802
    """A finite JSON number (an integer is a number too)."""
    return Annotated[float, Field(allow_inf_nan=False, **limits)]


def _integral(value):
    # JSON Schema counts 3.0 as an integer; strict pydantic would not
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**63 else value


def Integer(**limits):  # noqa: N802
    """A whole JSON number that fits a database integer (3.0 counts)."""
    return Annotated[int, Field(ge=limits.pop("ge", -(2**63)), le=2**63 - 1, **limits), BeforeValidator(_integral)]


def _iso_text(value):
    # lax datetimes would take 0.5 as a Unix time; the document says a date-time string
    if not isinstance(value, str):
        raise ValueError("Input should be an RFC 3339 date-time string, e.g. 2026-11-26T14:30:00+07:00")
    return value


# RFC 3339 with an offset, as OpenAPI's date-time means (parsed from the text, hence not strict).
Moment = Annotated[AwareDatetime, Field(strict=False), BeforeValidator(_iso_text)]
Answer = Text(max_length=MAX_TEXT_ANSWER) | Number() | bool


class _Body(BaseModel):
    # Strict: JSON types as they are ("7.2" is not a number); an unknown field is refused rather than
    # ignored, so a typo never silently loses what the client meant.
    model_config = ConfigDict(extra="forbid", strict=True)


class NewReport(_Body):
    """A report a council member files."""

    category: Annotated[str, Field(pattern=CATEGORY_PATTERN, description="Code of a sub-category, "
                                         "see GET /categories", examples=["crime.theft"])]
    narrative: Text(min_length=NARRATIVE_MIN, max_length=NARRATIVE_MAX)
    lat: Number(ge=-90, le=90)
    lon: Number(ge=-180, le=180)
    accuracy_m: Number(ge=0, le=1e6) | None = None
    address_text: Text(max_length=ADDRESS_MAX) | None = None
    occurred_at: Moment | None = None
    priority: Literal[tuple(p.value for p in Priority)] | None = None
    answers: dict[Annotated[str, Field(pattern=ANSWER_CODE_PATTERN)], Answer] = Field(
        default_factory=dict, description="Extra questions of the category, by question code",
        json_schema_extra={"additionalProperties": False})
    resident_name: Text(max_length=NAME_MAX) | None = None
    resident_phone: Text(max_length=PHONE_MAX, description="A Thai phone number, e.g. 081-234-5678") | None = None
    resident_anonymous: bool | None = None
    consent: bool | None = Field(None, description="Required when a resident name or phone is sent")
    confirm_place: bool | None = None
    confirm_personal_data: bool | None = None
    confirm_new: bool | None = None
    confirm_outside: bool | None = Field(None, description="Confirms a place outside the PAO's province (see 409 "
                                                           "needs_confirmation)")


class Update(_Body):
    """A workflow action on a report."""

    action: Literal[tuple(TRANSITIONS)]
    version: Integer() | None = Field(None, description="The report version you read; 409 when it changed since")
    text: Text(max_length=2000, description="ask_question, ask_resident, answer") | None = None
    question_id: Integer(ge=1) | None = Field(
        None, description="answer: id of the question; leave it out to answer the one unanswered question "
                          "(409 when there are none or several)")
    outcome: Literal[tuple(OUTCOMES)] | None = Field(None, description="record_outcome")
    note: Text(max_length=2000, description="record_outcome, reject, forward") | None = None
    reason: Text(max_length=2000, description="reopen, transfer") | None = None
    reason_code: Literal[tuple(REJECT_REASONS)] | None = Field(None, description="reject")
    duplicate_of: Text(max_length=40, description="reject as duplicate: the other reference") | None = None
    station: Text(max_length=64, description="transfer, forward: station code") | None = None


_THAI = {
    "missing": "ต้องระบุช่องนี้", "extra_forbidden": "ไม่รู้จักช่องข้อมูลนี้ ดูเอกสาร OpenAPI",
    "string_type": "ต้องเป็นข้อความ", "bool_type": "ต้องเป็น true หรือ false", "int_type": "ต้องเป็นจำนวนเต็ม",
    "float_type": "ต้องเป็นตัวเลข", "dict_type": "ต้องเป็นออบเจกต์", "model_type": "ต้องเป็นออบเจกต์ JSON",
    "string_too_short": "ข้อความสั้นเกินไป", "string_too_long": "ข้อความยาวเกินไป",
    "string_pattern_mismatch": "มีอักขระที่ใช้ไม่ได้ หรือรูปแบบไม่ถูกต้อง", "literal_error": "ไม่ใช่ค่าที่เลือกได้",
    "greater_than_equal": "ค่าน้อยเกินไป", "less_than_equal": "ค่ามากเกินไป",
}


def parse_body(model, data):
    """Return data checked against the model (unset fields left out), or raise validation_failed per field."""
    try:
        return model.model_validate(data).model_dump(mode="json", exclude_unset=True)
    except ValidationError as error:
        raise ApiError("validation_failed", fields=_fields(error)) from None


# pydantic names the member of a union a value failed in the error's location; clients want the field
_UNION_MEMBER = re.compile(r"^(?:str|float|int|bool|constrained-\w+|[\w-]+\[.*\])$")


def _fields(error):
    fields = {}
    for problem in error.errors(include_url=False, include_input=False):
        parts = [str(part) for part in problem["loc"]]
        while len(parts) > 1 and _UNION_MEMBER.match(parts[-1]):
            parts.pop()
        where = ".".join(parts)[:80] or "body"
        fields.setdefault(where, {"message": problem["msg"],
                                  "message_th": _THAI.get(problem["type"], "ค่าไม่ถูกต้อง")})
    return fields


def body_schemas():
    """Return the JSON Schemas of the request bodies, for the OpenAPI document's components."""
    return {model.__name__: model.model_json_schema(ref_template="#/components/schemas/{model}")
            for model in (NewReport, Update)}
