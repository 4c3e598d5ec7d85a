"""Thai phone numbers in one canonical form, and a keyed blind index of residents' sealed phones.

The index is HMAC-SHA256 of the canonical number under a key derived (HKDF) from the sealing key,
so finding a resident's reports for a PDPA request needs no unsealing, and a database dump alone
cannot be brute-forced over the small space of phone numbers. Writes use the primary sealing key;
searches try every configured key, so lookups keep working while keys are rotated
(`flask retention reindex-phones` then rewrites the index under the primary key).
"""
import hashlib
import hmac
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.security.sealing import configured_keys

# 0 + 8 digits (landline) or 9 digits (mobile), once the country code is turned into the trunk 0.
_NATIONAL = re.compile(r"^0[1-9]\d{7,8}$")
_SEPARATORS = re.compile(r"[\s\-.()/]")


def normalise_phone(text):
    """Return a Thai phone number as 0XXXXXXXX(X) whatever its formatting, or None if it is not one."""
    if not text:
        return None
    compact = _SEPARATORS.sub("", str(text).strip())
    for prefix in ("+66", "0066", "66"):
        # 66 alone only with a full international length, so a national 066… number is never mangled
        if compact.startswith(prefix) and (prefix != "66" or len(compact) in (10, 11)):
            rest = compact[len(prefix):]
            compact = rest if rest.startswith("0") else "0" + rest  # "+66 (0)81…" keeps one 0
            break
    return compact if _NATIONAL.match(compact) else None


def _index_key(secret):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"ruamkan phone index v1").derive(secret)


def _digest(key, canonical):
    return hmac.new(key, canonical.encode("ascii"), hashlib.sha256).hexdigest()


def phone_index(phone):
    """Return the blind index of a phone under the primary sealing key, or None when it is not a phone."""
    canonical = normalise_phone(phone)
    if canonical is None:
        return None
    return _digest(_index_key(configured_keys()[0]), canonical)


def phone_index_candidates(phone):
    """Return the blind index of a phone under every configured sealing key (primary first)."""
    canonical = normalise_phone(phone)
    if canonical is None:
        return []
    return list(dict.fromkeys(_digest(_index_key(s), canonical) for s in configured_keys()))
