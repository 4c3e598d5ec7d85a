"""Template filters of the oversight pages: durations, shares and months in the reader's language."""
from flask_babel import gettext as _

from app.core.i18n import current_lang
from app.core.timeutil import to_bangkok
from app.oversight import bp
from app.oversight.periods import month_name


def _number(value):
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@bp.app_template_filter("duration")
def duration(seconds):
    """Return a duration as minutes, hours or days ('—' when there is none)."""
    if seconds is None:
        return "—"
    if seconds < 3600:
        return _("%(n)s min", n=_number(seconds / 60))
    if seconds < 48 * 3600:
        return _("%(n)s h", n=_number(seconds / 3600))
    return _("%(n)s days", n=_number(seconds / 86400))


@bp.app_template_filter("share")
def share(value):
    """Return a share between 0 and 1 as a whole percentage ('—' when there is no data)."""
    return "—" if value is None else f"{round(value * 100)}%"


@bp.app_template_filter("month_name")
def month_name_filter(month, short=False):
    """Return a month's name with its year: Buddhist Era in Thai."""
    return month_name(month, current_lang(), short=short)


@bp.app_template_filter("clock")
def clock(moment):
    """Return the Bangkok time of day of a UTC moment as HH:MM."""
    return to_bangkok(moment).strftime("%H:%M")
