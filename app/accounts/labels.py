"""Labels of roles in the current language."""
from flask_babel import lazy_gettext as _l

from app.security.access import Role

ROLE_LABELS = {
    Role.COUNCIL_MEMBER: _l("Council member"),
    Role.DESK_OFFICER: _l("Desk officer"),
    Role.STATION_COMMANDER: _l("Station commander"),
    Role.PAO_COORDINATOR: _l("PAO coordinator"),
    Role.ADMIN: _l("Administrator"),
}


def role_label(role):
    """Return the label of a role."""
    return ROLE_LABELS[Role(role)]
