"""A report's lifecycle in one place: deadlines, timeline events and routing decisions.

Every writer of a report's history goes through here. `record_event` appends one timeline entry with
its actor, time and (for changes of state) the state before and after; `record_decision` stores a
routing decision, moves the report to its station and appends the one event that says so. Which
statuses are open or ended is models.py's (ENDED_STATUSES, OPEN_STATUSES); the order of statuses is the
workflow's transition table.
"""
import logging
from datetime import timedelta

from flask import current_app

from app.categories.models import Priority
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import ReportEvent, RoutingDecision

log = logging.getLogger(__name__)

# Deadlines: the category's hours scaled by the priority (app/triage/sla.py checks them).
PRIORITY_FACTORS = {Priority.URGENT: 0.25, Priority.HIGH: 0.5, Priority.NORMAL: 1.0, Priority.LOW: 1.5}


def compute_due_times(category, priority, created_at):
    """Return (ack_due_at, act_due_at) in UTC: the category's hours scaled by the priority's factor."""
    factor = PRIORITY_FACTORS[Priority(priority or category.default_priority)]
    return (created_at + timedelta(hours=category.sla_ack_hours * factor),
            created_at + timedelta(hours=category.sla_act_hours * factor))


def restart_clock(report, now):
    """Give the report fresh deadlines from now (reopened, or arriving at a new station)."""
    report.acknowledged_at = None
    report.ack_due_at, report.act_due_at = compute_due_times(report.category, report.priority, now)


def resident_wait_cap():
    """Return the longest a wait for the resident may move a report's deadlines (RESIDENT_WAIT_MAX_HOURS, 72)."""
    return timedelta(hours=float(current_app.config.get("RESIDENT_WAIT_MAX_HOURS", 72)))


def pause_clock_for_resident(report, now):
    """End a wait for the resident: move the deadlines still owed later by the time waited, at most the cap.

    The member's wait (needs_info) only stops the report from being overdue; the resident is anonymous,
    may answer days later or never, so the police get the waited time back, but never more than the cap.
    """
    asked = [e.created_at for e in report.events if e.kind == "resident_question"]
    if not asked:
        return timedelta(0)
    paused = min(max(now - asked[-1], timedelta(0)), resident_wait_cap())
    if report.act_due_at:
        report.act_due_at += paused
    if report.acknowledged_at is None and report.ack_due_at:
        report.ack_due_at += paused
    return paused


def state_snapshot(report):
    """Return the report's status, station and assignee as plain data for an event's before/after."""
    station, assignee = report.station, report.assigned_to
    return {"status": report.status.value if report.status else None,
            "station_id": station.id if station else None, "station_code": station.code if station else None,
            "assignee_id": assignee.id if assignee else None,
            "assignee": assignee.display_name if assignee else None}


def event_values(report, kind, actor, *, before=None, after=None, internal=False, now=None, **payload):
    """Return the columns of one timeline event, but its report: record_event adds it to the session, a new
    report writes its first events in one statement (app/reports/filing.py)."""
    if before is not None:
        payload = {**payload, "before": before, "after": after or state_snapshot(report)}
    return {"actor_id": actor.id if actor else None, "kind": kind, "internal": internal,
            "created_at": now or utcnow(), "payload": payload}


def record_event(report, kind, actor, **values):
    """Append one timeline event and flush; a change of state passes `before` (after defaults to the state now)."""
    event = ReportEvent(report=report, **event_values(report, kind, actor, **values))
    db.session.add(event)
    db.session.flush()
    return event


def decision_values(station, *, actor, reason, rule, data_version, explanation_th, explanation_en, now,
                    fields=None):
    """Return the columns of a routing decision to `station` (None: the coordinator's queue), but its report."""
    return {"station_id": station.id if station else None, "rule": rule, "reason": reason,
            "explanation_th": explanation_th, "explanation_en": explanation_en, "data_version": data_version,
            "decided_by_id": actor.id if actor else None, "decided_at": now, **(fields or {})}


def routed_event_values(report, station, decision_id, *, before, previous, actor, reason, rule, now, **payload):
    """Return the columns of the one event a routing decision adds: 'routed' when filed, else 'rerouted'."""
    log.info("report %s routed to %s (%s, %s)", report.reference_number, station.code if station else None,
             rule, reason)
    return event_values(report, "routed" if reason == "initial" else "rerouted", actor, before=before, now=now,
                        station_code=station.code if station else None, rule=rule, decision_id=decision_id,
                        previous_station_code=previous.code if previous else None, **payload)


def record_decision(report, station, *, actor, reason, rule, data_version, explanation_th, explanation_en,
                    now=None, fields=None, **payload):
    """Store a routing decision, move the report to the station and append its one event; return both.
    The decision is flushed (its id goes in the event); the event is written by the caller's next flush.

    reason: "initial" (filing; the event is 'routed'), "reroute", "transfer" or "manual" (event 'rerouted').
    """
    now = now or utcnow()
    before, previous = state_snapshot(report), report.station
    decision = RoutingDecision(report=report, station=station, **decision_values(
        station, actor=actor, reason=reason, rule=rule, data_version=data_version, explanation_th=explanation_th,
        explanation_en=explanation_en, now=now, fields=fields))
    db.session.add(decision)
    report.station = station
    db.session.flush()
    event = ReportEvent(report=report, **routed_event_values(
        report, station, decision.id, before=before, previous=previous, actor=actor, reason=reason, rule=rule,
        now=now, **payload))
    db.session.add(event)
    return decision, event
