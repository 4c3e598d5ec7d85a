"""Calendar months in Asia/Bangkok: parsing, ranges, UTC bounds and Thai/English names with BE years."""
from datetime import date, datetime

from app.core.timeutil import EN_MONTHS_ABBR, THAI_MONTHS_ABBR, be_year, to_bangkok, to_utc_naive

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def month_of(value):
    """Return the first day of the Bangkok calendar month of a stored UTC datetime (or of a date)."""
    day = to_bangkok(value).date() if isinstance(value, datetime) else value
    return day.replace(day=1)


def add_months(month, count):
    """Return the first day of the month `count` months after `month` (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first, last):
    """Return every month from first to last, inclusive."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def utc_start(month):
    """Return the UTC instant at which a Bangkok calendar month begins (naive, as columns store it)."""
    return to_utc_naive(datetime(month.year, month.month, 1))


def month_name(month, lang, short=False):
    """Return 'พฤศจิกายน 2569' / 'November 2026'; short (chart labels): 'พ.ย. 69' / 'Nov 26'."""
    year = be_year(month.year) if lang == "th" else month.year
    if short:
        names = THAI_MONTHS_ABBR if lang == "th" else EN_MONTHS_ABBR
        return f"{names[month.month - 1]} {year % 100:02d}"
    names = THAI_MONTHS if lang == "th" else EN_MONTHS
    return f"{names[month.month - 1]} {year}"


def month_code(month):
    """Return 'YYYY-MM' (Gregorian) for URLs and files."""
    return f"{month.year:04d}-{month.month:02d}"
