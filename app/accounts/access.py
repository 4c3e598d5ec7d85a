"""Access policy: role decorators and query scopes so each user only loads their own rows."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.accounts.models import POLICE_ROLES, Role


def role_required(*roles):
    """Allow the view only to signed-in users with one of the given roles (403 otherwise)."""
    allowed = frozenset(Role(r) for r in roles)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def report_scope(user):
    """Return a SQL filter limiting reports to what this user may load."""
    from sqlalchemy import false

    from app.reports.models import Report

    if user.role == Role.ADMIN:
        return Report.id.isnot(None)
    if user.role in POLICE_ROLES:
        return Report.station_id == user.station_id if user.station_id else false()
    if user.role == Role.PAO_COORDINATOR:
        return Report.pao_id == user.pao_id if user.pao_id else false()
    if user.role == Role.COUNCIL_MEMBER:
        return Report.filed_by_id == user.id
    return false()


def get_report_or_404(user, report_id):
    """Load a report this user may see; any other report is simply 'not found'."""
    from app.extensions import db
    from app.reports.models import Report

    report = db.session.scalar(db.select(Report).where(Report.id == report_id, report_scope(user)))
    if report is None:
        abort(404)
    return report
