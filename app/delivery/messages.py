"""What a notification says: PII-free data and its Thai or English text from templates/delivery/messages."""
from flask import current_app
from flask_babel import force_locale
from werkzeug.routing import BuildError

from app.core.timeutil import format_date
from app.reports.labels import status_label

KINDS = ("report_routed", "question_asked", "question_answered", "resident_wrote", "outcome_recorded",
         "overdue_escalation", "mou_expiring")
LANGUAGES = ("th", "en")

# The only keys a message may carry. Resident name, phone, address and narrative are deliberately
# absent: messages leave our system through third parties (mail relays, LINE, station systems).
REPORT_KEYS = frozenset({"report_id", "reference_number", "category_code", "category", "station_code",
                         "station", "status", "status_label", "priority", "link"})
EXTRA_KEYS = frozenset({"deadline", "due_at", "due_at_text", "mou_id", "expires_on", "expires_on_text",
                        "days_left", "pao", "pao_code", "threshold_days", "question_id", "answered"})


class UnsafePayload(ValueError):
    """A payload key that is not on the allow-list (it could carry personal data)."""


def check_extra(extra):
    """Return a copy of the extra payload, refusing any key that is not on the allow-list."""
    extra = dict(extra or {})
    unknown = sorted(set(extra) - REPORT_KEYS - EXTRA_KEYS)
    if unknown:
        raise UnsafePayload(f"payload keys not allowed in notifications: {', '.join(unknown)}")
    return extra


def link_path(endpoint, **values):
    """Return an absolute link (PUBLIC_BASE_URL + path) that works without a request, e.g. in the worker."""
    try:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    except BuildError:
        path = "/"
    return current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + path


def report_data(report, lang):
    """Return the report facts a message may show: reference, category, station, status and a link."""
    if report is None:
        return {}

    with force_locale(lang):
        status_text = str(status_label(report.status))
    station = report.station
    return {
        "report_id": report.id,
        "reference_number": report.reference_number,
        "category_code": report.category.code,
        "category": report.category.name(lang),
        "station_code": station.code if station else None,
        "station": station.name(lang) if station else None,
        "status": report.status.value,
        "status_label": status_text,
        "priority": report.priority.value,
        "link": link_path("reports.detail", report_id=report.id),
    }


def localise_extra(extra, lang):
    """Pick {'th': .., 'en': ..} values and add display texts for dates, in the recipient's language."""
    shown = {key: value.get(lang, value.get("th")) if isinstance(value, dict) else value
             for key, value in extra.items()}
    for key in ("due_at", "expires_on"):
        value = shown.get(key)
        if value is not None and not isinstance(value, str):
            shown[f"{key}_text"] = format_date(value, lang, with_time=key == "due_at")
            shown[key] = value.isoformat()
    return shown


def render_message(kind, lang, data):
    """Return (subject, text) for a kind in a language; the template's first line is the subject."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    lang = lang if lang in LANGUAGES else "th"
    template = current_app.jinja_env.get_template(f"delivery/messages/{kind}.{lang}.txt")
    subject, _, body = template.render(**data).strip().partition("\n")
    return subject.strip(), body.strip()


def build_payload(kind, lang, report=None, extra=None):
    """Return the payload stored on an outbox row: rendered subject and text plus the PII-free data."""
    data = {**report_data(report, lang), **localise_extra(check_extra(extra), lang)}
    subject, text = render_message(kind, lang, data)
    return {"subject": subject, "text": text, "data": data}
