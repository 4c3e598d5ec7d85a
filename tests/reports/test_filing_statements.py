"""How many SQL statements one filing costs: a count is deterministic, so it is held here (bench/filing.py times it).

Through the form a filing reads the session with its user and PAO (one statement), the categories with their parents,
the idempotency key, the staged photos, the routing and tambon data versions (one statement) and the nearby
duplicates; then writes the reference counter and the report, reads its station, writes its routing decision and
events, reads the station's desk officers and LINE group and writes the outbox messages (one statement each).
"""
import pytest
from sqlalchemy import event

from app.extensions import db
from app.reports.models import Report, ReportEvent, RoutingDecision
from tests.factories import make_user
from tests.reports.factories_reports import form_data

FORM_STATEMENTS = 14  # was 33 before the filing was profiled (issue 18), 18 before the session read its user,
#                       16 before the data versions were read at once and the filing's rows were inserted in bulk
SERVICE_STATEMENTS = 10  # submit_report alone: no session, form or staged photos (13 before the desks came
#                          with their channels in one statement, 12 before the data versions were read at once)
RECIPIENTS = 3  # two desk officers and the station's desk e-mail


@pytest.fixture()
def counted():
    """Collect the statements sent to the database while the test runs."""
    statements = []

    def seen(_conn, _cursor, statement, _params, _context, _executemany):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", seen)
    yield statements
    event.remove(db.engine, "before_cursor_execute", seen)


@pytest.fixture()
def recipients(world):
    for n in range(2):
        make_user(role="desk_officer", station=world.west).email = f"desk{n}@example.org"
    world.west.notify_email = "desk@example.org"
    db.session.commit()


def test_a_filing_through_the_form_stays_within_its_statements(member_client, world, recipients, counted):
    # the first filing builds the routing and tambon indexes of this process
    assert member_client.post("/reports/new", data=form_data(world, confirm_new="y")).status_code == 302
    data = form_data(world, confirm_new="y")
    db.session.expunge_all()  # a fresh request as in production: nothing already loaded (user, PAO, station)
    counted.clear()
    answer = member_client.post("/reports/new", data=data)
    assert answer.status_code == 302 and "/receipt" in answer.location
    assert len(counted) <= FORM_STATEMENTS, "\n".join(counted)
    # the report is inserted with its station: no UPDATE of the row just written, no SELECT after the commit
    assert not [s for s in counted if s.startswith("UPDATE")], counted
    assert not counted[-1].startswith("SELECT"), counted[-1]
    report = db.session.scalars(db.select(Report).order_by(Report.id.desc())).first()
    assert answer.location.endswith(f"/reports/{report.id}/receipt")
    assert report.station_id == world.west.id and report.reference_number.endswith("-000002")
    kinds = db.session.scalars(db.select(ReportEvent.kind).where(ReportEvent.report_id == report.id)
                               .order_by(ReportEvent.id)).all()
    assert kinds == ["submitted", "routed"]
    decision = db.session.scalar(db.select(RoutingDecision).where(RoutingDecision.report_id == report.id))
    assert decision.station_id == world.west.id and decision.explanation_th and decision.explanation_en
    assert len(_outbox(report)) == RECIPIENTS


def test_submit_report_alone_stays_within_its_statements(app, world, recipients, counted):
    from app.reports.intake import ReportDraft
    from app.reports.services import submit_report

    def draft(key):
        return ReportDraft(category=world.category, narrative="ขโมยรถจักรยานยนต์หน้าตลาดทุกคืน", lat=7.20,
                           lon=100.55, idempotency_key=key, confirmed_place=True, confirmed_new=True)

    with app.test_request_context():
        submit_report(world.member, draft("warm-up"))
        counted.clear()
        report, created = submit_report(world.member, draft("counted"))
        assert created and len(counted) <= SERVICE_STATEMENTS, "\n".join(counted)
        assert report.reference_number.endswith("-000002") and len(_outbox(report)) == RECIPIENTS
        counted.clear()
        again, created = submit_report(world.member, draft("counted"))  # a retry: one SELECT, nothing written
        assert again.id == report.id and not created and len(counted) == 1


def _outbox(report):
    from app.delivery.models import OutboxMessage

    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.report_id == report.id)).all()
