"""Read-only look-ups of reports: what a user may load, and the member's lists."""
from app.extensions import db
from app.reports.models import Report, ReportEvent
from app.security.access import report_filter

PAGE_SIZE = 30


def member_reports(member, page=1):
    """Return (reports, has_more): the member's reports, newest first, one page."""
    rows = db.session.scalars(
        db.select(Report).where(Report.filed_by_id == member.id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def supported_reports(member):
    """Return other members' reports this member added a resident to (status only is shown)."""
    ids = db.select(ReportEvent.report_id).where(ReportEvent.actor_id == member.id,
                                                 ReportEvent.kind == "supporter_added")
    return db.session.scalars(db.select(Report).where(Report.id.in_(ids), Report.filed_by_id != member.id)
                              .order_by(Report.created_at.desc()).limit(PAGE_SIZE)).all()


def report_scope(user):
    """Return the SQL filter of the reports this user may load (the rule is app/security/access.py's)."""
    return report_filter(user, Report)


def find_report(user, report_id):
    """Return the report with this id when the user may load it, else None (the view answers 404)."""
    return db.session.scalar(db.select(Report).where(Report.id == report_id, report_scope(user)))


def find_same_pao_report(report, reference):
    """Return another report of the same PAO by its reference number, or None."""
    reference = "".join((reference or "").split()).upper()[:40]
    if not reference:
        return None
    return db.session.scalar(db.select(Report).where(
        Report.pao_id == report.pao_id, Report.reference_number == reference, Report.id != report.id))
