"""The report workflow: one transition table, and the only code that sets a report's status.

Every change of status goes through `perform`, which checks the table (from which statuses, who),
the version the user saw, the inputs, then appends exactly one event carrying the actor, the time
and the state (status, station, assignee) before and after. Notifications join the same transaction.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.errors import (
    IllegalTransition,
    MissingInput,
    NotPermitted,
    VersionConflict,
    check_version,
    required_text,
)
from app.reports.labels import status_label
from app.reports.lifecycle import pause_clock_for_resident, record_event, restart_clock, state_snapshot
from app.reports.models import ENDED_STATUSES
from app.reports.models import ReportStatus as S
from app.reports.queries import find_same_pao_report
from app.reports.routing_service import ManualRoutingError, route_by_hand
from app.reports.signals import outcome_recorded, question_asked, report_routed
from app.security.access import is_pao_coordinator, is_routed_police

POLICE, MEMBER, COORDINATOR, RESIDENT = "police", "member", "coordinator", "resident"
PREVIOUS = None  # the target of 'answer': the status the report had when the question was asked
WORKING = (S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED)
WAITING = (S.NEEDS_INFO, S.NEEDS_RESIDENT)  # a question is out; PREVIOUS is where the report returns


@dataclass(frozen=True)
class TrackedResident:
    """The anonymous resident of one report, made only after the tracking secret was checked
    (app/reports/resident.py). It has no user id: events it appends have no actor."""

    report_id: int
    id = None


@dataclass(frozen=True)
class Transition:
    """One row of the table: from which statuses, to which, who may, and the event it appends."""

    name: str
    sources: frozenset
    target: object  # a ReportStatus, or PREVIOUS
    actor: str  # police of the routed station, the member who filed it, or the PAO's coordinator
    event: str  # kind of the one event it appends
    label: object


def _row(name, sources, target, actor, event, label):
    return Transition(name, frozenset(sources), target, actor, event, label)


TRANSITIONS = {t.name: t for t in (
    # name               from                             to              who          event kind
    _row("acknowledge",    (S.NEW, S.REOPENED),             S.ACKNOWLEDGED, POLICE,      "status_changed",
         _l("Acknowledge")),
    _row("start",          (S.ACKNOWLEDGED,),               S.IN_PROGRESS,  POLICE,      "status_changed",
         _l("Start work")),
    _row("ask_question",   (S.ACKNOWLEDGED, S.IN_PROGRESS), S.NEEDS_INFO,   POLICE,      "question",
         _l("Ask the council member")),
    _row("answer",         (S.NEEDS_INFO,),                 PREVIOUS,       MEMBER,      "answer",
         _l("Answer the question")),
    _row("record_outcome", (S.ACKNOWLEDGED, S.IN_PROGRESS), S.ACTION_TAKEN, POLICE,      "outcome",
         _l("Record the outcome")),
    _row("confirm",        (S.ACTION_TAKEN,),               S.CLOSED,       MEMBER,      "outcome_confirmed",
         _l("Confirm the outcome")),
    _row("reopen",         (S.ACTION_TAKEN, S.CLOSED),      S.REOPENED,     MEMBER,      "reopen_requested",
         _l("Reopen")),
    _row("transfer",       WORKING,                         S.NEW,          POLICE,      "rerouted",
         _l("Transfer to another station")),
    _row("reject",         WORKING + WAITING,               S.REJECTED,     POLICE,      "rejected",
         _l("Reject")),
    _row("forward",        WORKING,                         S.NEW,          COORDINATOR, "rerouted",
         _l("Forward to a station")),
    # The anonymous resident, on the tracking page (app/reports/resident.py).
    _row("ask_resident",   (S.ACKNOWLEDGED, S.IN_PROGRESS), S.NEEDS_RESIDENT, POLICE,    "resident_question",
         _l("Ask the resident")),
    _row("resident_answer", (S.NEEDS_RESIDENT,),            PREVIOUS,       RESIDENT,    "resident_answer",
         _l("Answer the police")),
    _row("resident_stop",  (S.NEEDS_RESIDENT,),             PREVIOUS,       RESIDENT,    "resident_stopped",
         _l("End the conversation")),
    _row("stop_waiting",   (S.NEEDS_RESIDENT,),             PREVIOUS,       POLICE,      "resident_wait_ended",
         _l("Stop waiting for the resident")),
    _row("resident_reopen", (S.ACTION_TAKEN,),              S.REOPENED,     RESIDENT,    "resident_reopened",
         _l("Not resolved: reopen")),
)}

OUTCOMES = {
    "arrest": _l("Arrest made"), "warning": _l("Warning given"), "patrol_increased": _l("Patrols increased"),
    "checkpoint_set": _l("Checkpoint set up"), "referred_to_agency": _l("Referred to another agency"),
    "no_offence_found": _l("No offence found"), "other": _l("Other action"),
}
REJECT_REASONS = {
    "not_police_matter": _l("Not a police matter"), "insufficient_information": _l("Not enough information"),
    "duplicate": _l("Duplicate of another report"),
}


def may_act(actor, user, report):
    """Return True when the user is the kind of actor a transition needs, for this report."""
    if actor == POLICE:
        return is_routed_police(user, report)
    if actor == MEMBER:
        return user is not None and user.id == report.filed_by_id
    if actor == RESIDENT:
        return isinstance(user, TrackedResident) and user.report_id == report.id
    if isinstance(user, TrackedResident):
        return False
    return is_pao_coordinator(user, report.pao)


def allowed_transitions(report, user):
    """Return the transitions this user may apply to the report now, in table order."""
    return [t for t in TRANSITIONS.values() if report.status in t.sources and may_act(t.actor, user, report)
            and (t.name != "ask_resident" or not report.resident_has_stopped)]


def perform(report, name, user, *, version=None, now=None, **data):
    """Apply one transition of the table for a user and append its event; flush only. Return the event."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise IllegalTransition(_l("This action does not exist."))
    check_version(report, version)
    if not may_act(transition.actor, user, report):
        raise NotPermitted(_l("You may not do this on this report."))
    if report.status not in transition.sources:
        raise IllegalTransition(_l("“%(action)s” is not possible while the report is “%(status)s”.",
                                   action=transition.label, status=status_label(report.status)))
    now = now or utcnow()
    before = state_snapshot(report)
    # A report that lost its remembered status still goes back to the police, not to limbo.
    target = transition.target or report.previous_status or S.ACKNOWLEDGED
    try:
        payload, event = _EFFECTS[name](report, user, now, **data)
        if report.status == S.NEEDS_RESIDENT:
            pause_clock_for_resident(report, now)
        report.previous_status = report.status if target in WAITING else None
        report.status = target
        report.closed_at = now if target in ENDED_STATUSES else None
        report.updated_at = now
        standard = {"transition": name, "from": before["status"], "to": target.value}
        if event is None:
            event = record_event(report, transition.event, user, before=before, now=now, **standard, **payload)
        else:  # record_decision already wrote this change's event: complete it rather than add a second
            event.payload = {**event.payload, **standard, **payload, "before": before,
                             "after": state_snapshot(report)}
            db.session.flush()
    except StaleDataError as error:
        raise VersionConflict() from error
    if name in _ANNOUNCE:
        _ANNOUNCE[name].send(report, now=now)
    return event


def _acknowledge(report, user, now):
    report.acknowledged_at = now
    return {}, None


def _nothing(report, user, now, **_data):
    return {}, None


def _ask_question(report, user, now, text=None):
    return {"text": required_text(text, _l("Write the question first."))}, None


def _answer(report, user, now, text=None, question_id=None):
    return {"text": required_text(text, _l("Write the answer first.")), "question_id": question_id}, None


def _ask_resident(report, user, now, text=None):
    if report.resident_has_stopped:
        raise IllegalTransition(_l("The resident ended the conversation; they can no longer be asked."))
    return {"text": required_text(text, _l("Write the question first."))}, None


def _resident_message(report, user, now, message_id=None, photo_ids=None):
    # The resident's words live in resident_messages (removed by retention); the event keeps the id.
    return {"message_id": message_id, **({"photo_ids": photo_ids} if photo_ids else {})}, None


def _resident_reopen(report, user, now, message_id=None, rating=None):
    restart_clock(report, now)
    return {"message_id": message_id, "rating": rating}, None


def _record_outcome(report, user, now, outcome=None, note=None):
    if outcome not in OUTCOMES:
        raise MissingInput(_l("Choose what the police did."))
    return {"outcome": outcome, "note": required_text(note, _l("Write a note for the council member."))}, None


def _reopen(report, user, now, reason=None):
    reason = required_text(reason, _l("Say why the report is reopened."))
    restart_clock(report, now)
    return {"reason": reason}, None


def _transfer(report, user, now, station=None, reason=None):
    reason = required_text(reason, _l("Say why the report goes to another station."))
    if station is None or not station.active:
        raise MissingInput(_l("Choose the station to transfer to."))
    if station.id == report.station_id:
        raise MissingInput(_l("The report is already with this station."))
    _decision, event = route_by_hand(report, station, actor=user, reason="transfer", note=reason)
    _hand_over(report, now)
    return {"reason": reason}, event


def _reject(report, user, now, reason=None, note=None, duplicate_of=None):
    if reason not in REJECT_REASONS:
        raise MissingInput(_l("Choose why the report is rejected."))
    payload = {"reason_code": reason, "note": required_text(note, _l("Write a note saying why."))}
    if reason == "duplicate":
        original = find_same_pao_report(report, duplicate_of)
        if original is None:
            raise MissingInput(_l("Give the reference number of the other report of this PAO."))
        report.duplicate_of_id = original.id
        payload.update(duplicate_of=original.reference_number, duplicate_of_id=original.id)
    return payload, None


def _forward(report, user, now, station=None, note=None):
    if station is None or not station.active:
        raise MissingInput(_l("Choose the station to forward to."))
    try:
        _decision, event = route_by_hand(report, station, actor=user, reason="manual", note=note)
    except ManualRoutingError as error:
        raise MissingInput(_l("Write why this station, and choose another station than the current one.")) \
            from error
    _hand_over(report, now)
    return {}, event


def _hand_over(report, now):
    # The new station starts fresh: nobody there is assigned yet and its clock starts now.
    report.assigned_to = None
    restart_clock(report, now)


_EFFECTS = {"acknowledge": _acknowledge, "start": _nothing, "ask_question": _ask_question, "answer": _answer,
            "record_outcome": _record_outcome, "confirm": _nothing, "reopen": _reopen, "transfer": _transfer,
            "reject": _reject, "forward": _forward, "ask_resident": _ask_resident,
            "resident_answer": _resident_message, "resident_stop": _resident_message, "stop_waiting": _nothing,
            "resident_reopen": _resident_reopen}
_ANNOUNCE = {"ask_question": question_asked, "record_outcome": outcome_recorded, "transfer": report_routed,
             "forward": report_routed}
