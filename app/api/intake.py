"""Filing a report from an API client: the schema checks the body, the intake's rules the report.

No form is involved: the payload is turned into a ReportDraft by the same rules the intake form
applies (app/reports/rules.py), and submit_report files it once.
"""
import re

from flask_babel import lazy_gettext as _l

from app.api.errors import ApiError, both_languages, field_error
from app.api.schemas import NewReport, parse_body
from app.categories.models import Priority
from app.categories.questions import parse_answers
from app.extensions import db
from app.reports.forms import leaf_categories
from app.reports.intake import ReportDraft
from app.reports.limits import filed_with_key
from app.reports.rules import (
    accuracy,
    contact_problems,
    narrative_problem,
    normal_phone,
    occurred_at_problem,
    phone_problem,
    process_photos,
)
from app.reports.services import NeedsConfirmation, submit_report
from app.routing import RoutingInputError
from app.routing.inputs import parse_coordinate
from app.security.params import datetime_value

# Visible ASCII, as stored in reports.idempotency_key (64 characters at most).
_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")
CONFIRM_WITH = {"outside_province": "confirm_outside", "place": "confirm_place",
                "personal_data": "confirm_personal_data", "duplicates": "confirm_new"}


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
    existing = filed_with_key(member, idempotency_key)  # the submission limit has just asked the same
    if existing is not None:
        return existing, False
    draft, processed = build_draft(payload, idempotency_key, photos)
    try:
        return submit_report(member, draft, processed, known_new=True)
    except NeedsConfirmation as needs:
        db.session.rollback()
        raise ApiError("needs_confirmation", confirmations=confirmations(needs)) from None


def build_draft(payload, idempotency_key, photos=()):
    """Turn a NewReport payload (already checked by the schema) into a ReportDraft by the same rules as the
    intake form (app/reports/rules.py); return (draft, processed photos) or raise validation_failed."""
    problems = {}
    category = next((c for c in leaf_categories() if c.code == payload["category"]), None)
    if category is None:
        problems["category"] = _l("Choose what the concern is about.")
    narrative = payload["narrative"].strip()
    problems["narrative"] = narrative_problem(narrative)
    coordinates = {}
    for name in ("lat", "lon"):
        try:
            coordinates[name] = parse_coordinate(payload[name], name)
        except RoutingInputError as error:
            problems[name] = error
    try:
        occurred_at = datetime_value(payload["occurred_at"]) if payload.get("occurred_at") else None
        problems["occurred_at"] = occurred_at_problem(occurred_at)
    except ValueError:  # outside the years any report can name
        occurred_at, problems["occurred_at"] = None, _l("Enter a date from this century.")
    name, phone = (payload.get("resident_name") or "").strip(), payload.get("resident_phone") or ""
    problems["resident_phone"] = phone_problem(phone)
    problems.update(contact_problems(name, phone, payload.get("resident_anonymous"), payload.get("consent")))
    answers, answer_problems = _answers(category, payload.get("answers") or {})
    problems.update(answer_problems)
    processed, problems["photos"] = process_photos(photos)
    fields = {field: _field_error(problem) for field, problem in problems.items() if problem}
    if fields:
        raise ApiError("validation_failed", fields=fields)
    phone = normal_phone(phone) or None
    draft = ReportDraft(
        category=category, narrative=narrative, lat=coordinates["lat"], lon=coordinates["lon"],
        idempotency_key=idempotency_key, answers=answers, occurred_at=occurred_at,
        accuracy_m=accuracy(payload.get("accuracy_m")),
        address_text=(payload.get("address_text") or "").strip() or None,
        priority=Priority(payload["priority"]) if payload.get("priority") else None,
        resident_name=name or None, resident_phone=phone,
        resident_anonymous=bool(payload.get("resident_anonymous")) or not (name or phone),
        consent=bool(payload.get("consent")), confirmed_place=bool(payload.get("confirm_place")),
        confirmed_personal_data=bool(payload.get("confirm_personal_data")),
        confirmed_new=bool(payload.get("confirm_new")), confirmed_outside=bool(payload.get("confirm_outside")),
        photo_gps=next((photo.gps for photo in processed if photo.gps), None))
    return draft, processed


def _answers(category, given):
    """Return (answers, {field: problem}) for the category's questions; a question it does not ask is one."""
    if category is None:
        return {}, {}
    answers, errors = parse_answers(category, lambda code: _answer_text(given.get(code)))
    problems = {f"answers.{code}": message for code, message in errors.items()}
    asked = {question.get("code") for question in category.questions or []}
    problems.update({f"answers.{code}"[:80]: _l("This category does not ask this question.")
                     for code in given if code not in asked})
    return answers, problems


def _answer_text(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return None if value is None else str(value)


def _field_error(problem):
    if isinstance(problem, RoutingInputError):
        return {"message": problem.message_en, "message_th": problem.message_th}
    return field_error(problem)


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
        doubts = [w for w in checks.place_warnings if (w.kind == "outside_province") == (missing == "outside_province")]
        if missing in ("place", "outside_province") and doubts:
            en, th = both_languages(doubts[0].message)
            item.update(message=en, message_th=th, kinds=[w.kind for w in doubts])
        elif missing == "place" and checks.decision is not None:
            item.update(message=checks.decision.explanation_en, message_th=checks.decision.explanation_th)
        elif missing == "personal_data":
            item["kinds"] = list(checks.personal_data)
        elif missing == "duplicates":
            item["candidates"] = [candidate_data(row) for row in checks.duplicates]
        found[missing] = item
    return found
