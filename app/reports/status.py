"""The one place that changes a report's status (the triage workflow will replace it with its transition table)."""
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import ReportEvent, ReportStatus

_ENDED = {ReportStatus.CLOSED, ReportStatus.REJECTED}


def change_status(report, new_status, actor, **payload):
    """Set the report's status and append a 'status_changed' event with the actor; flush only."""
    new_status = ReportStatus(new_status)
    old_status = report.status
    report.status = new_status
    now = utcnow()
    report.closed_at = now if new_status in _ENDED else None
    db.session.add(ReportEvent(report=report, actor_id=actor.id if actor else None, kind="status_changed",
                               payload={"from": old_status.value if old_status else None,
                                        "to": new_status.value, **payload}, created_at=now))
    db.session.flush()
    return report
