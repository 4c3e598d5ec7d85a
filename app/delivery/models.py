"""Outbox messages, written in the same transaction as the change that caused them."""
import enum

from app.core.enums import enum_column
from app.core.timeutil import utcnow
from app.extensions import db


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


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
