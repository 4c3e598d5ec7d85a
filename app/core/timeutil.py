"""UTC storage and Asia/Bangkok display, with Buddhist Era years for Thai readers."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543

THAI_MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
EN_MONTHS_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def utcnow():
    """Return the current time as a naive UTC datetime (how every column stores time)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_bangkok(value):
    """Convert a stored naive-UTC (or aware) datetime to Asia/Bangkok."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BANGKOK)


def to_utc_naive(value):
    """Convert an aware datetime, or a naive one meant as Bangkok time, to naive UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=BANGKOK)
    return value.astimezone(UTC).replace(tzinfo=None)


def be_year(year):
    """Return the Buddhist Era year for a Gregorian year (2026 -> 2569)."""
    return year + BE_OFFSET


def format_date(value, lang="th", with_time=False):
    """Format a date or stored datetime for display: '26 พ.ย. 2569' in Thai, '26 Nov 2026' in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_bangkok(value)
        day = value.date()
    elif isinstance(value, date):
        day = value
        with_time = False
    else:
        raise TypeError(f"not a date: {value!r}")
    if lang == "th":
        text = f"{day.day} {THAI_MONTHS_ABBR[day.month - 1]} {be_year(day.year)}"
    else:
        text = f"{day.day} {EN_MONTHS_ABBR[day.month - 1]} {day.year}"
    if with_time:
        text += f" {value:%H:%M}"
    return text
