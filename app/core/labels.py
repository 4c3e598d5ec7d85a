"""Human labels, in the current language, for enum values shown in pages."""
from flask_babel import lazy_gettext as _l

from app.categories.models import Priority
from app.reports.models import ReportStatus
from app.security.access import Role

STATUS_LABELS = {
    ReportStatus.NEW: _l("New"),
    ReportStatus.ACKNOWLEDGED: _l("Acknowledged"),
    ReportStatus.IN_PROGRESS: _l("In progress"),
    ReportStatus.NEEDS_INFO: _l("Waiting for information"),
    ReportStatus.ACTION_TAKEN: _l("Action taken"),
    ReportStatus.CLOSED: _l("Closed"),
    ReportStatus.REJECTED: _l("Rejected"),
    ReportStatus.REOPENED: _l("Reopened"),
}
ROLE_LABELS = {
    Role.COUNCIL_MEMBER: _l("Council member"),
    Role.DESK_OFFICER: _l("Desk officer"),
    Role.STATION_COMMANDER: _l("Station commander"),
    Role.PAO_COORDINATOR: _l("PAO coordinator"),
    Role.ADMIN: _l("Administrator"),
}
PRIORITY_LABELS = {
    Priority.LOW: _l("Low"),
    Priority.NORMAL: _l("Normal"),
    Priority.HIGH: _l("High"),
    Priority.URGENT: _l("Urgent"),
}


def status_label(status):
    """Return the label of a report status."""
    return STATUS_LABELS[ReportStatus(status)]


def role_label(role):
    """Return the label of a role."""
    return ROLE_LABELS[Role(role)]


def priority_label(priority):
    """Return the label of a priority."""
    return PRIORITY_LABELS[Priority(priority)]


def init_labels(app):
    """Expose the label functions to templates."""
    app.jinja_env.globals.update(status_label=status_label, role_label=role_label,
                                 priority_label=priority_label)
