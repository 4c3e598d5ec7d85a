"""Who may see a report's personal data, and the text each user is shown."""
from app.accounts.models import POLICE_ROLES
from app.reports.pii import mask_personal_data


def is_routed_police(user, report):
    """Return True for police of the station the report is routed to."""
    return (user is not None and user.role in POLICE_ROLES and report.station_id is not None
            and user.station_id == report.station_id)


def may_see_personal_data(user, report):
    """Return True when the user may read names and numbers in the report's texts unmasked."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.id == report.filed_by_id or is_routed_police(user, report)


def visible_text(text, user, report):
    """Return a report text as this user may see it: personal data masked unless allowed."""
    if not text:
        return text or ""
    return text if may_see_personal_data(user, report) else mask_personal_data(text)
