"""A category's extra questions: which to show, and parsing the member's answers."""
import math

from flask_babel import lazy_gettext as _l

MAX_TEXT_ANSWER = 500
FIELD_PREFIX = "answer_"


def question_catalogue(categories):
    """Return [(question, [category ids])]: each question once, with the categories that ask it."""
    by_code, order = {}, []
    for category in categories:
        for question in category.questions or []:
            code = question.get("code")
            if not code:
                continue
            if code not in by_code:
                by_code[code] = (question, [])
                order.append(code)
            by_code[code][1].append(category.id)
    return [by_code[code] for code in order]


def question_label(question, lang):
    """Return the question's label in the language."""
    return question.get(f"label_{lang}") or question.get("label_th") or question.get("code")


def parse_answers(category, raw_answer):
    """Return (answers, errors) for the category's questions, raw_answer(code) giving each answer as text;
    unanswered questions are left out."""
    answers, errors = {}, {}
    for question in (category.questions if category else None) or []:
        code, kind = question.get("code"), question.get("type", "text")
        raw = (raw_answer(code) or "").replace("\x00", "").strip()
        if not code or not raw:
            continue
        if kind == "number":
            try:
                value = float(raw.replace(",", ""))
            except ValueError:
                value = None
            if value is None or not math.isfinite(value) or abs(value) > 1e9:
                errors[code] = _l("Enter a number.")
                continue
            answers[code] = int(value) if value.is_integer() else value
        elif kind == "boolean":
            if raw not in ("yes", "no"):
                errors[code] = _l("Choose yes or no.")
                continue
            answers[code] = raw == "yes"
        elif kind == "choice":
            allowed = {c.get("value") for c in question.get("choices") or []}
            if raw not in allowed:
                errors[code] = _l("Choose one of the options.")
                continue
            answers[code] = raw
        else:
            if len(raw) > MAX_TEXT_ANSWER:
                errors[code] = _l("Please keep this under %(n)d characters.", n=MAX_TEXT_ANSWER)
                continue
            answers[code] = raw
    return answers, errors


def answer_text(question, value, lang):
    """Return an answer as words for display."""
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if question.get("type") == "choice":
        for choice in question.get("choices") or []:
            if choice.get("value") == value:
                return choice.get(lang) or choice.get("th") or value
    return str(value)
