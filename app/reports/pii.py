"""Find and hide personal data (Thai phone numbers, citizen IDs, e-mail addresses) in free text."""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

PHONE, CITIZEN_ID, EMAIL = "phone", "citizen_id", "email"
PLACEHOLDERS = {
    PHONE: _l("[phone hidden]"),
    CITIZEN_ID: _l("[ID number hidden]"),
    EMAIL: _l("[e-mail hidden]"),
}
KIND_LABELS = {
    PHONE: _l("a phone number"),
    CITIZEN_ID: _l("a citizen ID number"),
    EMAIL: _l("an e-mail address"),
}

_SEP = r"[ \-.]?"
# 13 digits, grouped 1-4-5-2-1 or not at all; the checksum decides.
_CITIZEN_ID = re.compile(r"(?<![\d\-])\d[ \-]?\d{4}[ \-]?\d{5}[ \-]?\d{2}[ \-]?\d(?![\d\-])")
# 0 + 8 digits (landline) or 9 digits (mobile), or +66 / 0066 without the leading 0, any grouping.
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)66" + _SEP + r"\(?0?\)?" + _SEP + r"|0)[1-9](?:" + _SEP + r"\d){7,8}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


def is_citizen_id(digits):
    """Return True when 13 digits carry a valid Thai citizen ID checksum (mod 11)."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def find_personal_data(text):
    """Return the personal data found in text, in order, without overlaps."""
    if not text:
        return []
    found = [Finding(EMAIL, m.start(), m.end()) for m in _EMAIL.finditer(text)]
    found += [Finding(CITIZEN_ID, m.start(), m.end()) for m in _CITIZEN_ID.finditer(text)
              if is_citizen_id(re.sub(r"\D", "", m.group()))]
    for m in _PHONE.finditer(text):
        if not any(f.start < m.end() and m.start() < f.end for f in found):
            found.append(Finding(PHONE, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def mask_personal_data(text):
    """Return text with every phone number, citizen ID and e-mail replaced by a placeholder."""
    findings = find_personal_data(text)
    if not findings:
        return text
    parts, last = [], 0
    for f in findings:
        parts.append(text[last:f.start])
        parts.append(str(PLACEHOLDERS[f.kind]))
        last = f.end
    parts.append(text[last:])
    return "".join(parts)


def personal_data_kinds(text):
    """Return the distinct kinds of personal data found in text, in a stable order."""
    kinds = {f.kind for f in find_personal_data(text)}
    return [k for k in (PHONE, CITIZEN_ID, EMAIL) if k in kinds]
