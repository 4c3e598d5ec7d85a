"""Who may do and see what: the roles, the route decorator and every visibility rule, in one place.

The rules are written over plain attributes (`user.role`, `user.station_id`, `report.station_id`…), so
any package may ask them without importing another package's models. They return values; a view
decides the HTTP answer (another station's report is a 404, not a 403, so its existence stays secret).
"""
import enum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import false, true


class Role(str, enum.Enum):
    COUNCIL_MEMBER = "council_member"
    DESK_OFFICER = "desk_officer"
    STATION_COMMANDER = "station_commander"
    PAO_COORDINATOR = "pao_coordinator"
    ADMIN = "admin"


POLICE_ROLES = frozenset({Role.DESK_OFFICER, Role.STATION_COMMANDER})
PAO_ROLES = frozenset({Role.COUNCIL_MEMBER, Role.PAO_COORDINATOR})


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


def is_police(user):
    """Return True for desk officers and station commanders."""
    return user is not None and getattr(user, "role", None) in POLICE_ROLES


def report_filter(user, report_model):
    """Return the SQL filter of the reports this user may load: admins all, police their station's, PAO
    coordinators their PAO's, council members their own."""
    if user.role == Role.ADMIN:
        return true()
    if user.role in POLICE_ROLES:
        return report_model.station_id == user.station_id if user.station_id else false()
    if user.role == Role.PAO_COORDINATOR:
        return report_model.pao_id == user.pao_id if user.pao_id else false()
    if user.role == Role.COUNCIL_MEMBER:
        return report_model.filed_by_id == user.id
    return false()


def is_routed_police(user, report):
    """Return True for police of the station the report is routed to."""
    return is_police(user) and report.station_id is not None and user.station_id == report.station_id


def may_see_personal_data(user, report):
    """Return True when the user may read names and numbers in the report's texts unmasked."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.id == report.filed_by_id or is_routed_police(user, report)


def sees_internal_events(user):
    """Return True for roles that see police-only timeline entries."""
    return is_police(user) or user.role == Role.ADMIN


def is_pao_coordinator(user, pao):
    """Return True for the PAO's coordinators and the police of its coordinating station."""
    if user is None or pao is None:
        return False
    if user.role == Role.PAO_COORDINATOR:
        return user.pao_id == pao.id
    return (is_police(user) and pao.coordinator_station_id is not None
            and user.station_id == pao.coordinator_station_id)


def may_open_mou_document(user, mou):
    """Return True for admins, coordinators of the MOU's PAO and police of its station."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.PAO_COORDINATOR:
        return user.pao_id == mou.pao_id
    return is_police(user) and user.station_id == mou.station_id


def may_manage_mou(user, mou):
    """Return True when the user may edit this MOU: admins any, coordinators their PAO's."""
    return user.role == Role.ADMIN or (user.role == Role.PAO_COORDINATOR and mou.pao_id == user.pao_id)


class Oversight:
    """What the oversight pages may show a user: PAO-wide (pao_id), own reports only (member_id), or any PAO."""

    def __init__(self, pao_id=None, member_id=None, any_pao=False):
        self.pao_id, self.member_id, self.any_pao = pao_id, member_id, any_pao


def oversight_reach(user):
    """Return the Oversight a user may see, or None when the role sees no oversight figures."""
    if user.role == Role.PAO_COORDINATOR:
        return Oversight(pao_id=user.pao_id) if user.pao_id else None
    if user.role == Role.COUNCIL_MEMBER:
        return Oversight(pao_id=user.pao_id, member_id=user.id) if user.pao_id else None
    if user.role == Role.ADMIN:
        return Oversight(any_pao=True)
    return None
