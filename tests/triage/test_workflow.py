"""The transition table, exercised from the table itself: every legal and every illegal transition."""
import ast
import re
from pathlib import Path

import pytest

from app.delivery.models import OutboxMessage
from app.extensions import db
from app.reports.errors import IllegalTransition, MissingInput, NotPermitted
from app.reports.models import OPEN_STATUSES, ReportEvent, ReportStatus, RoutingDecision
from app.reports.workflow import (
    _ANNOUNCE,
    _EFFECTS,
    COORDINATOR,
    MEMBER,
    POLICE,
    RESIDENT,
    TRANSITIONS,
    TrackedResident,
    allowed_transitions,
    perform,
)
from tests.factories import make_report, make_user
from tests.triage.conftest import new_report

ALL = list(ReportStatus)
LEGAL = [(name, status) for name, t in TRANSITIONS.items() for status in ALL if status in t.sources]
ILLEGAL = [(name, status) for name, t in TRANSITIONS.items() for status in ALL if status not in t.sources]


def actor_for(world, transition, report):
    if transition.actor == RESIDENT:
        return TrackedResident(report.id)  # the resident holding this report's secret
    return {POLICE: world.desk, MEMBER: world.member, COORDINATOR: world.coordinator}[transition.actor]


def data_for(world, name):
    """Valid inputs of each transition; a transition missing here fails the table test below."""
    other = new_report(filed_by=world.member, station=world.east, category=world.sub)
    return {
        "acknowledge": {}, "start": {}, "confirm": {},
        "ask_question": {"text": "Which house exactly?"},
        "answer": {"text": "The blue one", "question_id": None},
        "record_outcome": {"outcome": "patrol_increased", "note": "Night patrols twice a week"},
        "reopen": {"reason": "It happens again"},
        "transfer": {"station": world.east, "reason": "The school is in East's area"},
        "reject": {"reason": "duplicate", "note": "Already reported", "duplicate_of": other.reference_number},
        "forward": {"station": world.east, "note": "East covers this village"},
        "ask_resident": {"text": "Which night of the week?"}, "stop_waiting": {},
        "resident_answer": {"message_id": None}, "resident_stop": {}, "resident_reopen": {"message_id": None},
    }[name]


def report_in(world, status):
    report = new_report(filed_by=world.member, station=world.west, category=world.sub, status=status)
    if status in (ReportStatus.NEEDS_INFO, ReportStatus.NEEDS_RESIDENT):
        report.previous_status = ReportStatus.IN_PROGRESS
    db.session.flush()
    return report


def events_of(report):
    return db.session.scalars(db.select(ReportEvent).where(ReportEvent.report_id == report.id)
                              .order_by(ReportEvent.id)).all()


def test_the_table_is_complete():
    assert set(_EFFECTS) == set(TRANSITIONS)
    assert set(_ANNOUNCE) <= set(TRANSITIONS)
    for transition in TRANSITIONS.values():
        assert transition.sources <= set(ALL) and transition.actor in (POLICE, MEMBER, COORDINATOR, RESIDENT)
    # every status is reachable, and every status but the two endings has a way on
    targets = {t.target for t in TRANSITIONS.values() if t.target} | {ReportStatus.NEW}
    sources = set().union(*(t.sources for t in TRANSITIONS.values()))
    assert targets | {ReportStatus.ACKNOWLEDGED, ReportStatus.IN_PROGRESS} == set(ALL)
    assert set(ALL) - sources == {ReportStatus.REJECTED}
    assert OPEN_STATUSES <= sources


@pytest.mark.parametrize("name,status", LEGAL, ids=[f"{n}-from-{s.value}" for n, s in LEGAL])
def test_every_legal_transition(world, name, status):
    transition = TRANSITIONS[name]
    report = report_in(world, status)
    data = data_for(world, name)
    actor = actor_for(world, transition, report)
    before_events = len(events_of(report))
    version = report.version
    event = perform(report, name, actor, version=version, **data)
    db.session.commit()
    expected = transition.target or ReportStatus.IN_PROGRESS  # needs_info came from in_progress
    assert report.status == expected
    assert report.version > version
    new_events = events_of(report)[before_events:]
    assert new_events == [event], "one transition appends exactly one event"
    assert event.kind == transition.event and event.actor_id == actor.id and event.created_at is not None
    payload = event.payload
    assert payload["transition"] == name and payload["from"] == status.value and payload["to"] == expected.value
    for side in ("before", "after"):
        assert set(payload[side]) >= {"status", "station_id", "station_code", "assignee_id", "assignee"}
    assert payload["before"]["status"] == status.value and payload["after"]["status"] == expected.value
    assert (report.closed_at is not None) == (expected in (ReportStatus.CLOSED, ReportStatus.REJECTED))
    assert (report.previous_status is not None) == (expected in (ReportStatus.NEEDS_INFO, ReportStatus.NEEDS_RESIDENT))


@pytest.mark.parametrize("name,status", ILLEGAL, ids=[f"{n}-from-{s.value}" for n, s in ILLEGAL])
def test_every_illegal_transition_is_refused_and_changes_nothing(world, name, status):
    report = report_in(world, status)
    db.session.commit()
    count, version = len(events_of(report)), report.version
    with pytest.raises(IllegalTransition) as refused:
        perform(report, name, actor_for(world, TRANSITIONS[name], report), **data_for(world, name))
    db.session.rollback()
    db.session.refresh(report)
    assert report.status == status and report.version == version and len(events_of(report)) == count
    assert refused.value.status_code == 409 and "not possible" in str(refused.value)


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_the_wrong_kind_of_actor_is_refused(world, name):
    transition = TRANSITIONS[name]
    report = report_in(world, sorted(transition.sources)[0])
    wrong = {POLICE: [world.member, world.east_desk, world.coordinator],
             MEMBER: [world.desk, world.coordinator],
             COORDINATOR: [world.member, world.east_desk, world.other_coordinator],
             # another report's resident, and every signed-in role, are not this report's resident
             RESIDENT: [TrackedResident(report.id + 1000), world.member, world.desk, world.coordinator],
             }[transition.actor]
    if transition.actor != RESIDENT:
        wrong.append(TrackedResident(report.id))  # the resident does only the resident's steps
    for user in wrong:
        with pytest.raises(NotPermitted):
            perform(report, name, user, **data_for(world, name))
    assert report.status == sorted(transition.sources)[0]


def test_allowed_transitions_follow_the_table(world):
    report = report_in(world, ReportStatus.NEW)
    assert [t.name for t in allowed_transitions(report, world.desk)] == ["acknowledge", "transfer", "reject"]
    assert [t.name for t in allowed_transitions(report, world.member)] == []
    assert [t.name for t in allowed_transitions(report, world.coord_desk)] == ["forward"]


def test_needs_info_returns_to_the_previous_status(world):
    report = report_in(world, ReportStatus.NEW)
    perform(report, "acknowledge", world.desk)
    perform(report, "ask_question", world.desk, text="Which street?")
    assert report.status == ReportStatus.NEEDS_INFO and report.previous_status == ReportStatus.ACKNOWLEDGED
    perform(report, "answer", world.member, text="Station road")
    assert report.status == ReportStatus.ACKNOWLEDGED and report.previous_status is None
    perform(report, "start", world.desk)
    perform(report, "ask_question", world.desk, text="What time?")
    perform(report, "answer", world.member, text="After 10 pm")
    assert report.status == ReportStatus.IN_PROGRESS


@pytest.mark.parametrize("name,data,message", [
    ("ask_question", {"text": "  "}, "question"),
    ("record_outcome", {"outcome": "fined", "note": "x"}, "what the police did"),
    ("record_outcome", {"outcome": "warning", "note": ""}, "note"),
    ("reject", {"reason": "boring", "note": "x"}, "why"),
    ("reject", {"reason": "not_police_matter", "note": ""}, "note"),
    ("transfer", {"station": None, "reason": "x"}, "station"),
])
def test_missing_inputs_are_refused(world, name, data, message):
    report = report_in(world, ReportStatus.ACKNOWLEDGED)
    with pytest.raises(MissingInput) as refused:
        perform(report, name, world.desk, **data)
    assert message in str(refused.value).lower() and refused.value.status_code == 400
    db.session.rollback()


def test_duplicate_needs_another_reference_of_the_same_pao(world):
    report = report_in(world, ReportStatus.NEW)
    foreign = make_report(filed_by=make_user(pao=world.other_pao), station=world.west, category=world.sub)
    for reference in ("", "SKA-2569-999999", report.reference_number, foreign.reference_number):
        with pytest.raises(MissingInput):
            perform(report, "reject", world.desk, reason="duplicate", note="same", duplicate_of=reference)
    original = report_in(world, ReportStatus.IN_PROGRESS)
    event = perform(report, "reject", world.desk, reason="duplicate", note="same",
                    duplicate_of=" " + original.reference_number.lower() + " ")
    assert report.duplicate_of_id == original.id and event.payload["duplicate_of"] == original.reference_number
    assert report.status == ReportStatus.REJECTED and event.payload["reason_code"] == "duplicate"


def test_transfer_writes_a_transfer_decision_and_the_target_sees_it_as_new(world):
    report = report_in(world, ReportStatus.IN_PROGRESS)
    report.assigned_to = world.desk
    report.acknowledged_at = report.created_at
    db.session.commit()
    event = perform(report, "transfer", world.desk, station=world.east, reason="Their area", version=report.version)
    db.session.commit()
    decision = db.session.scalar(db.select(RoutingDecision).where(RoutingDecision.report_id == report.id))
    assert (decision.rule, decision.reason, decision.station_id) == ("transfer", "transfer", world.east.id)
    assert "Their area" in decision.explanation_en and decision.decided_by_id == world.desk.id
    assert report.station_id == world.east.id and report.status == ReportStatus.NEW
    assert report.assigned_to_id is None and report.acknowledged_at is None
    assert event.kind == "rerouted" and event.payload["decision_id"] == decision.id
    assert event.payload["before"]["station_code"] == "west" and event.payload["after"]["station_code"] == "east"
    assert event.payload["before"]["assignee_id"] == world.desk.id and event.payload["after"]["assignee_id"] is None
    messages = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "report_routed")).all()
    assert [m.recipient_user_id for m in messages] == [world.east_desk.id]
    with pytest.raises(NotPermitted):  # West no longer holds it
        perform(report, "acknowledge", world.desk)


def test_notifications_join_the_transaction(world):
    report = report_in(world, ReportStatus.ACKNOWLEDGED)
    db.session.commit()
    perform(report, "ask_question", world.desk, text="Which house?")
    perform(report, "answer", world.member, text="Number 9")
    perform(report, "record_outcome", world.desk, outcome="arrest", note="Two arrested")
    db.session.rollback()  # nothing was committed: no message may survive
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
    perform(report, "ask_question", world.desk, text="Which house?")
    perform(report, "answer", world.member, text="Number 9")
    perform(report, "record_outcome", world.desk, outcome="arrest", note="Two arrested")
    db.session.commit()
    outbox = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id))
    kinds = [(m.kind, m.recipient_user_id) for m in outbox]
    assert kinds == [("question_asked", world.member.id), ("outcome_recorded", world.member.id)]


def _status_setters(tree):
    """Yield (object name, class name or None) of every `x.status = ...` in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for inner in ast.walk(node):
                inner.enclosing_class = getattr(inner, "enclosing_class", None) or node.name
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for item in (target.elts if isinstance(target, ast.Tuple) else [target]):
                    if isinstance(item, ast.Attribute) and item.attr == "status":
                        base = item.value.id if isinstance(item.value, ast.Name) else ast.unparse(item.value)
                        yield base, getattr(node, "enclosing_class", None)


def test_nothing_else_sets_a_report_status():
    root = Path(__file__).resolve().parents[2] / "app"
    found = set()
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for base, cls in _status_setters(ast.parse(source)):
            if base == "message" or (base == "self" and cls != "Report"):
                continue  # outbox messages and other classes' own status
            found.add((base, str(path.relative_to(root))))
        # bulk updates and setattr would get round the workflow too
        assert not re.search(r"update\(Report\)[^\n]*status\s*=", source), path
        assert not re.search(r"setattr\([^,]+,\s*[\"']status[\"']", source), path
    assert found == {("report", "reports/workflow.py")}, found
