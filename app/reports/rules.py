"""The rules of a new report, written once for the intake form and the JSON API.

Each rule takes plain values and returns the problem (a lazy message, translated where it is shown) or
None. The form's validators and the API's draft builder both call these, so a phone number, a time in
the future or a missing consent is judged the same way whichever door the report comes through.
"""
import re
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.core.timeutil import utcnow
from app.reports.photos import PhotoError, photo_limits, process_photo, read_upload

NARRATIVE_MIN, NARRATIVE_MAX = 10, 5000
ADDRESS_MAX, NAME_MAX, PHONE_MAX = 400, 120, 32
_PHONE = re.compile(r"^(?:\+66|0066|0)[1-9]\d{7,8}$")
_PHONE_NOISE = re.compile(r"[\s\-.()]")
# A phone's clock may run a little ahead; a time later than this is in the future.
_CLOCK_SLACK = timedelta(minutes=10)


def narrative_problem(text):
    """Return why a narrative is not usable, or None."""
    text = (text or "").strip()
    if not text:
        return _l("Describe the concern in a few sentences.")
    if not NARRATIVE_MIN <= len(text) <= NARRATIVE_MAX:
        return _l("Please write between %(min)d and %(max)d characters.", min=NARRATIVE_MIN, max=NARRATIVE_MAX)
    return None


def occurred_at_problem(moment_utc):
    """Return why a time of the concern (naive UTC) is not usable, or None."""
    if moment_utc is None:
        return None
    if moment_utc.year < 2000:
        return _l("Enter a date from this century.")
    if moment_utc > utcnow() + _CLOCK_SLACK:
        return _l("This time is in the future.")
    return None


def normal_phone(text):
    """Return a phone number without spaces, dashes, dots and brackets ('' when none)."""
    return _PHONE_NOISE.sub("", text or "")


def phone_problem(text):
    """Return why a resident's phone is not a Thai number, or None (an empty one is fine)."""
    digits = normal_phone(text)
    return _l("Enter a Thai phone number, e.g. 081-234-5678.") if digits and not _PHONE.match(digits) else None


def contact_problems(name, phone, anonymous, consent):
    """Return {field: problem} for a resident's contact: anonymous means none, a contact needs consent."""
    has_contact = bool((name or "").strip() or (phone or "").strip())
    problems = {}
    if anonymous and has_contact:
        problems["resident_anonymous"] = _l("Remove the name and phone, or untick 'stay anonymous'.")
    if has_contact and not consent:
        problems["consent"] = _l("The resident's consent is needed to keep their name or phone.")
    return problems


def process_photos(uploads):
    """Check and process the photos (each read once); return (processed, problem or None)."""
    files = [upload for upload in uploads if getattr(upload, "filename", None)]
    max_count, max_bytes = photo_limits()
    if len(files) > max_count:
        return [], _l("Choose at most %(n)d photos.", n=max_count)
    processed, problems = [], []
    for upload in files:
        try:
            processed.append(process_photo(read_upload(upload, max_bytes), upload.filename))
        except PhotoError as error:
            problems.append(error.args[0])
    return processed, (Sentences(problems) if problems else None)


class Sentences:
    """Several lazy messages shown as one, each translated when it is shown (str)."""

    def __init__(self, parts):
        self.parts = list(parts)

    def __str__(self):
        return " ".join(str(part) for part in self.parts)


def accuracy(value):
    """Return a GPS accuracy in metres rounded to 0.1, or None when it is not a sensible number."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return round(value, 1) if 0 <= value < 1e6 else None
