"""Response templates of a station's desk, the record of SLA escalations sent, and the queue's index."""
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import Report

# The station queue sorts on these columns only, so this index covers the sort: a desk's deep pages
# read index entries, not thousands of table rows (bench/queue.py: page 50 of a 20,000-report station).
# It extends ix_reports_queue (station_id, status, priority, created_at), which it makes redundant.
QUEUE_INDEX = db.Index("ix_reports_triage_queue", Report.station_id, Report.status, Report.priority,
                       Report.created_at, Report.id, Report.acknowledged_at, Report.ack_due_at, Report.act_due_at)


class ResponseTemplate(db.Model):
    """A station's ready-made text for a category, to prefill a question or an outcome note."""

    __tablename__ = "response_templates"
    __table_args__ = (db.Index("ix_response_templates_station_category", "station_id", "category_id"),)

    id = db.Column(db.Integer, primary_key=True)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"), nullable=False)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), nullable=False)
    language = db.Column(db.String(2), nullable=False, default="th")
    title = db.Column(db.String(120), nullable=False)
    body = db.Column(db.Text, nullable=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    station = db.relationship("Station")
    category = db.relationship("Category")


class SlaEscalation(db.Model):
    """One escalation of one deadline of one report to one level; the unique key makes `sla check` idempotent."""

    __tablename__ = "sla_escalations"
    __table_args__ = (db.UniqueConstraint("report_id", "deadline", "due_at", "level",
                                          name="uq_sla_escalations_report_deadline_level"),)

    id = db.Column(db.Integer, primary_key=True)
    report_id = db.Column(db.Integer, db.ForeignKey("reports.id"), nullable=False)
    deadline = db.Column(db.String(3), nullable=False)  # ack, act
    due_at = db.Column(db.DateTime, nullable=False)  # the deadline escalated: a restarted clock escalates anew
    level = db.Column(db.String(16), nullable=False)  # commander, coordinator
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
