"""A new report's rows, written one statement per table.

Filing is the write every report goes through, and the busiest one at a launch peak. It writes only new
rows, in an order known beforehand: the report (already with the station routing chose), its photos, its
routing decision, then its 'submitted' and 'routed' events. The session's unit of work would sort their
dependencies and track every object on each flush; here each table gets one INSERT instead, built from the
same column builders the other writers use (app/reports/lifecycle.py). The report comes back as a
persistent object of the session, so the rest of the transaction (notifications, the receipt) uses it as
any loaded report.
"""
from sqlalchemy import insert, select

from app.extensions import db
from app.reports.lifecycle import decision_values, event_values, routed_event_values, state_snapshot
from app.reports.models import Report, ReportEvent, ReportPhoto, RoutingDecision
from app.reports.routing_service import decision_columns, decision_station

# The report's row comes back whole and is loaded as an object of the session; the rows below it are not read
# back, so they are written as plain table rows.
_INSERT_REPORT = select(Report).from_statement(insert(Report.__table__).returning(*Report.__table__.c))


def write_new_report(values, photos, *, member, decision, note=None):
    """Insert a report routed by `decision` (an engine decision for its place, category and PAO), its photos
    (stored items, in order), its routing decision and its first two events; return the Report.

    values: the report's columns but its station; note: {lang: sentence} added to the routing explanation.
    """
    at = values["created_at"]
    station = decision_station(decision)
    report = db.session.scalars(_INSERT_REPORT, {**values, "station_id": station.id if station else None,
                                                 "version": 1}).one()
    if photos:
        db.session.execute(insert(ReportPhoto.__table__), [{"report_id": report.id, "position": position, **item}
                                                           for position, item in enumerate(photos)])
    columns = decision_columns(decision, note)
    decision_table = RoutingDecision.__table__
    decision_id = db.session.execute(insert(decision_table).returning(decision_table.c.id), {
        "report_id": report.id, **decision_values(station, actor=member, reason="initial", now=at,
                                                  data_version=decision.index_version, **columns)}).scalar_one()
    # Before routing, the new report had no station.
    before = {**state_snapshot(report), "station_id": None, "station_code": None}
    events = [
        event_values(report, "submitted", member, now=at, reference_number=report.reference_number,
                     photos=len(photos)),
        routed_event_values(report, station, decision_id, before=before, previous=None, actor=member,
                            reason="initial", rule=columns["rule"], now=at),
    ]
    db.session.execute(insert(ReportEvent.__table__), [{"report_id": report.id, **event} for event in events])
    return report
