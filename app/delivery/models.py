"""Outbox messages, written in the same transaction as the change that caused them."""
import enum

from app.core.enums import enum_column
from app.core.timeutil import utcnow
from app.extensions import db


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


class Channel(str, enum.Enum):
    EMAIL = "email"
    WEBHOOK = "webhook"
    LINE = "line"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (db.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id = db.Column(db.Integer, primary_key=True)
    idempotency_key = db.Column(db.String(64), nullable=False, unique=True)
    kind = db.Column(db.String(40), nullable=False)
    channel = db.Column(db.String(16), nullable=False)  # email, webhook, line
    recipient_user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    recipient_station_id = db.Column(db.Integer, db.ForeignKey("stations.id"))
    report_id = db.Column(db.Integer, db.ForeignKey("reports.id"), index=True)
    language = db.Column(db.String(2), nullable=False, default="th")
    payload = db.Column(db.JSON, nullable=False, default=dict)
    status = enum_column(OutboxStatus, nullable=False, default=OutboxStatus.PENDING)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_error = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime)
    # A worker's lease: while claimed_until is in the future no other worker may take the row.
    claimed_by = db.Column(db.String(64))
    claimed_until = db.Column(db.DateTime)
    last_attempt_at = db.Column(db.DateTime)

    recipient_user = db.relationship("User")
    recipient_station = db.relationship("Station")
    report = db.relationship("Report")

    def __repr__(self):
        return f"<OutboxMessage {self.id} {self.kind}/{self.channel} {self.status.value}>"


class PeriodicJobRun(db.Model):
    """When each periodic job runs next, so only one worker runs it per period."""

    __tablename__ = "periodic_job_runs"

    name = db.Column(db.String(64), primary_key=True)
    next_run_at = db.Column(db.DateTime)  # None: run at the next pass
    last_started_at = db.Column(db.DateTime)
    last_finished_at = db.Column(db.DateTime)
    last_error = db.Column(db.Text)
