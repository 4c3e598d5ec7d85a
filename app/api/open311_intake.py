"""POST requests of GeoReport v2: the spec's parameters mapped onto the JSON API's intake.

Idempotency: a client may send an `Idempotency-Key` header (the JSON API's rule). Spec clients that
do not are given a key derived from what identifies their submission - device_id, account_id,
service_code, lat, long, address_string, description and the attributes - so the same submission
sent again by the same api_key's account returns the first request instead of filing a second one.
"""
import hashlib
import json
import re

from flask import current_app
from itsdangerous import BadSignature, Signer

from app.api.errors import ApiError, Open311Error
from app.api.intake import CONFIRM_WITH, check_idempotency_key, file_report
from app.api.open311_data import CONSENT_CODE, find_service

_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
_TRUE = {"1", "true", "yes", "on", "y"}
# JSON API field -> spec parameter, to word validation errors in the spec's terms
_SPEC_NAMES = {"category": "service_code", "narrative": "description", "lon": "long", "address_text": "address_string",
               "resident_name": "first_name/last_name", "resident_phone": "phone", "consent": "attribute[consent]"}


def file_request(member, values, header_key=None):
    """File a service request through the same intake as the web form; return (report, created)."""
    find_service(values.get("service_code") or "")
    if not values.get("lat") or not values.get("long"):
        raise Open311Error(400, "lat and long are required; address_string alone is not located.")
    key = check_idempotency_key(header_key) if header_key else derived_key(values)
    name = " ".join(part.strip() for part in (values.get("first_name"), values.get("last_name")) if part)
    answers = attributes(values)
    # The spec's way is attribute[consent] (a required attribute of every service definition); a bare
    # `consent` parameter, which earlier clients of this API sent, is still read.
    consent = answers.pop(CONSENT_CODE, None) or values.get("consent") or ""
    try:
        lat, lon = float(values["lat"]), float(values["long"])
    except ValueError:
        raise Open311Error(400, "lat and long must be decimal degrees, e.g. lat=7.2&long=100.6.") from None
    payload = {"category": values.get("service_code"), "lat": lat, "lon": lon,
               "narrative": values.get("description") or "", "address_text": values.get("address_string"),
               "resident_name": name or None, "resident_phone": values.get("phone"), "answers": answers,
               "consent": consent.strip().lower() in _TRUE}
    for flag in CONFIRM_WITH.values():
        payload[flag] = (values.get(flag) or "").strip().lower() in _TRUE
    try:
        return file_report(member, payload, key)
    except ApiError as error:
        raise Open311Error(400, describe(error)) from None


def attributes(values):
    """Return {code: answer} from attribute[code] (and attribute[code][] lists, joined by commas)."""
    answers = {}
    for name in values:
        match = _ATTRIBUTE.match(name)
        if match:
            items = [v for v in values.getlist(name) if v]
            if items:
                answers[match.group(1)] = ",".join(items) if match.group(2) else items[-1]
    return answers


def derived_key(values):
    """Return the idempotency key of a submission without an Idempotency-Key header."""
    parts = [values.get(name) or "" for name in ("device_id", "account_id", "service_code", "lat", "long",
                                                 "address_string", "description")]
    parts.append(sorted(attributes(values).items()))
    return "o311-" + hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:40]


def describe(error):
    """Word an API error as one line of the spec's error description."""
    if error.code == "needs_confirmation":
        wants = [f"{item['confirm_with']}=true ({name})" for name, item in error.extra["confirmations"].items()]
        return "Confirm and send again with " + ", ".join(wants) + "."
    if error.fields:
        return "; ".join(f"{_spec_name(name)}: {detail['message']}" for name, detail in error.fields.items())
    return error.message


def _spec_name(name):
    if name.startswith("answers."):
        return f"attribute[{name.removeprefix('answers.')}]"
    return _SPEC_NAMES.get(name, name)


def _signer():
    return Signer(current_app.secret_key, salt="open311-token")


def request_token(report):
    """Return the token of a request: its id, signed, so GET tokens/{token} needs no table."""
    return _signer().sign(report.reference_number).decode()


def token_reference(token):
    """Return the service_request_id a token was issued for, or a 404."""
    try:
        return _signer().unsign(token).decode()
    except BadSignature:
        raise Open311Error(404, "Unknown token.") from None
