"""Read-only look-ups of reports: what a user may load, and the member's lists."""
from app.extensions import db
from app.reports.models import Report, ReportEvent, ReportStatus
from app.security.access import report_filter

PAGE_SIZE = 30


WAITING_FOR_MEMBER = {"answer": ReportStatus.NEEDS_INFO, "confirm": ReportStatus.ACTION_TAKEN}


def member_reports(member, page=1, waiting=None):
    """Return (reports, has_more): the member's reports, newest first, one page; waiting: 'answer' or 'confirm'
    keeps only those waiting for the member's answer or confirmation."""
    query = db.select(Report).where(Report.filed_by_id == member.id)
    if waiting in WAITING_FOR_MEMBER:
        query = query.where(Report.status == WAITING_FOR_MEMBER[waiting])
    rows = db.session.scalars(
        query.order_by(Report.created_at.desc(), Report.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def member_to_do(member):
    """Return how many of the member's reports wait for them: {'answer': police questions, 'confirm': outcomes}."""
    counts = dict(db.session.execute(
        db.select(Report.status, db.func.count()).where(
            Report.filed_by_id == member.id, Report.status.in_(WAITING_FOR_MEMBER.values()))
        .group_by(Report.status)).all())
    return {name: counts.get(status, 0) for name, status in WAITING_FOR_MEMBER.items()}


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
