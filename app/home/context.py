"""What each role sees first after signing in."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func

from app.accounts.models import User
from app.extensions import db
from app.reports.models import OPEN_STATUSES, Report
from app.reports.queries import member_to_do, report_scope
from app.security.access import POLICE_ROLES, Role
from app.stations.models import JurisdictionArea, Mou, Station
from app.triage.coordinator import coordinated_pao_ids


def home_context(user):
    """Return the template context of the user's home page."""
    scope = report_scope(user)
    counts = dict(db.session.execute(
        db.select(Report.status, func.count()).where(scope).group_by(Report.status)).all())
    recent = db.session.scalars(
        db.select(Report).where(scope).order_by(Report.created_at.desc(), Report.id.desc()).limit(10)).all()
    context = {
        "counts": counts,
        "open_count": sum(n for status, n in counts.items() if status in OPEN_STATUSES),
        "recent": recent,
        "is_police": user.role in POLICE_ROLES,
        "actions": home_actions(user),
        "to_do": member_to_do(user) if user.role == Role.COUNCIL_MEMBER else None,
    }
    if user.role == Role.ADMIN:
        context["system"] = {
            "stations": db.session.scalar(db.select(func.count(Station.id))),
            "located": db.session.scalar(db.select(func.count(Station.id)).where(Station.lat.isnot(None))),
            "areas": db.session.scalar(db.select(func.count(JurisdictionArea.id))),
            "mous": db.session.scalar(db.select(func.count(Mou.id))),
            "users": db.session.scalar(db.select(func.count(User.id))),
        }
    return context


def home_actions(user):
    """Return (label, url, primary) links to the main tasks of the user's role."""
    actions = []
    if user.role in POLICE_ROLES:
        actions.append((_("Station queue"), url_for("triage.queue"), True))
    if user.role == Role.STATION_COMMANDER:
        actions.append((_("Response templates"), url_for("triage.templates"), False))
    if user.role == Role.PAO_COORDINATOR or coordinated_pao_ids(user):
        actions.append((_("Coordinator queue"), url_for("triage.coordinator"), False))
    if user.role == Role.COUNCIL_MEMBER:
        actions.append((_("File a report"), url_for("reports.new"), True))
        actions.append((_("My reports"), url_for("reports.mine"), False))
    if user.role in (Role.ADMIN, Role.PAO_COORDINATOR, Role.COUNCIL_MEMBER):
        actions.append((_("Police response"), url_for("oversight.dashboard"), False))
    if user.role in (Role.ADMIN, Role.PAO_COORDINATOR):
        actions.append((_("MOU registry"), url_for("oversight.mous"), False))
        actions.append((_("Coverage map"), url_for("stations.coverage"), False))
        actions.append((_("Jurisdiction editor"), url_for("stations.jurisdiction"), False))
    if user.role == Role.ADMIN:
        actions.append((_("Stations and MOUs"), url_for("stations.admin"), False))
        actions.append((_("Undelivered notifications"), url_for("delivery.failures"), False))
        actions.append((_("User accounts"), url_for("accounts.users"), False))
    return actions
