"""One parser for every number, choice, month and time a request carries: in range, or not at all.

Hostile values must never reach arithmetic or the database as they are: a 30-digit id overflows a
64-bit column (OverflowError), year 9999 plus a 90-day window overflows `datetime`. Pages ignore a
filter they cannot use (the `*_arg` helpers return the default); machine interfaces answer 400 (the
`*_value` helpers raise ValueError for the caller to turn into its error format).
"""
import re
from datetime import date, datetime

from app.core.timeutil import to_utc_naive

# SQLite and PostgreSQL keep integers in 64 bits; a larger Python int raises OverflowError at the query.
INT64_MAX = 2**63 - 1
# No report, filter or window is dated outside these years; inside them date arithmetic cannot overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2200
BE_OFFSET = 543
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def bounded_int(value, *, low=0, high=INT64_MAX):
    """Return value (an int or a text of digits) as an int within [low, high]; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("not a whole number")
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 20:
            raise ValueError("not a whole number")
        value = int(text)
    if not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"not a whole number from {low} to {high}")
    return value


def int_arg(args, name, default=None, *, low=0, high=INT64_MAX):
    """Return the whole number in args[name] within [low, high], or default when absent or not one."""
    try:
        return bounded_int(args.get(name) or "", low=low, high=high)
    except ValueError:
        return default


def choice_arg(args, name, choices, default=None):
    """Return args[name] when it is one of choices, else default."""
    value = args.get(name)
    return value if value in choices else default


def month_value(text):
    """Return the month named 'YYYY-MM' (a Buddhist Era year above 2400 is read as such), or None."""
    match = _MONTH.match((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if year > 2400:
        year -= BE_OFFSET
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def month_arg(args, name):
    """Return the month in args[name], or None."""
    return month_value(args.get(name))


def in_range(moment):
    """Return the datetime when its year is one a request may name; ValueError otherwise."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"a time between {FIRST_YEAR} and {LAST_YEAR}")
    return moment


def datetime_value(text):
    """Return an ISO 8601 (w3) time as naive UTC, Bangkok time when no zone is given; ValueError when unusable."""
    if not isinstance(text, str):
        raise ValueError("not a time")
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("not an ISO 8601 time") from None
    in_range(moment)  # before the zone shift, which could overflow at year 1 or 9999
    return in_range(to_utc_naive(moment))
