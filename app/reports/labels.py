"""Labels of report statuses in the current language."""
from flask_babel import lazy_gettext as _l

from app.reports.models import ReportStatus

STATUS_LABELS = {
    ReportStatus.NEW: _l("New"),
    ReportStatus.ACKNOWLEDGED: _l("Acknowledged"),
    ReportStatus.IN_PROGRESS: _l("In progress"),
    ReportStatus.NEEDS_INFO: _l("Waiting for information"),
    ReportStatus.NEEDS_RESIDENT: _l("Waiting for the resident"),
    ReportStatus.ACTION_TAKEN: _l("Action taken"),
    ReportStatus.CLOSED: _l("Closed"),
    ReportStatus.REJECTED: _l("Rejected"),
    ReportStatus.REOPENED: _l("Reopened"),
}


def status_label(status):
    """Return the label of a report status."""
    return STATUS_LABELS[ReportStatus(status)]
