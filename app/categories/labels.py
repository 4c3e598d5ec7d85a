"""Labels of priorities in the current language."""
from flask_babel import lazy_gettext as _l

from app.categories.models import Priority

PRIORITY_LABELS = {
    Priority.LOW: _l("Low"),
    Priority.NORMAL: _l("Normal"),
    Priority.HIGH: _l("High"),
    Priority.URGENT: _l("Urgent"),
}


def priority_label(priority):
    """Return the label of a priority."""
    return PRIORITY_LABELS[Priority(priority)]
