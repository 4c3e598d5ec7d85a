"""Timeline events written by triage: each one carries its actor, time and the state before and after."""
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import ReportEvent


def state_snapshot(report):
    """Return the report's status, station and assignee as plain data for an event's before/after."""
    station, assignee = report.station, report.assigned_to
    return {"status": report.status.value if report.status else None,
            "station_id": station.id if station else None, "station_code": station.code if station else None,
            "assignee_id": assignee.id if assignee else None,
            "assignee": assignee.display_name if assignee else None}


def add_event(report, kind, actor, *, before, after=None, internal=False, now=None, **payload):
    """Append an event with the actor, time and before/after state (after defaults to the state now); flush."""
    event = ReportEvent(report=report, actor_id=actor.id if actor else None, kind=kind, internal=internal,
                        created_at=now or utcnow(),
                        payload={**payload, "before": before, "after": after or state_snapshot(report)})
    db.session.add(event)
    db.session.flush()
    return event
