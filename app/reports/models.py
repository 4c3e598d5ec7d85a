"""Reports, their routing decisions and timeline events, photos and reference counters."""
import enum

from app.categories.models import Priority
from app.core.enums import enum_column
from app.core.timeutil import utcnow
from app.extensions import db


class ReportStatus(str, enum.Enum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    NEEDS_INFO = "needs_info"
    NEEDS_RESIDENT = "needs_resident"  # the desk asked the resident on the tracking page (app/reports/resident.py)
    ACTION_TAKEN = "action_taken"
    CLOSED = "closed"
    REJECTED = "rejected"
    REOPENED = "reopened"


# The one definition of open and ended: an ended report has its closed_at set (app/reports/workflow.py).
ENDED_STATUSES = frozenset({ReportStatus.CLOSED, ReportStatus.REJECTED})
OPEN_STATUSES = frozenset(ReportStatus) - ENDED_STATUSES
# Statuses in which the police owe work, so deadlines run: needs_info waits on the council member,
# needs_resident on the resident (its wait also moves the deadlines, see app/triage/sla.py) and
# action_taken on the member's confirmation, so none of them can be overdue.
SLA_STATUSES = frozenset({ReportStatus.NEW, ReportStatus.ACKNOWLEDGED, ReportStatus.IN_PROGRESS,
                          ReportStatus.REOPENED})


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        db.UniqueConstraint("pao_id", "reference_number", name="uq_reports_pao_reference"),
        db.UniqueConstraint("filed_by_id", "idempotency_key", name="uq_reports_filer_idempotency"),
        db.Index("ix_reports_queue", "station_id", "status", "priority", "created_at"),
        db.Index("ix_reports_pao_created", "pao_id", "created_at"),
        db.Index("ix_reports_filer_created", "filed_by_id", "created_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    pao_id = db.Column(db.Integer, db.ForeignKey("paos.id"), nullable=False)
    reference_number = db.Column(db.String(32), nullable=False)
    tracking_secret = db.Column(db.String(16), nullable=False)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), nullable=False)
    narrative = db.Column(db.Text, nullable=False)
    answers = db.Column(db.JSON, nullable=False, default=dict)
    occurred_at = db.Column(db.DateTime)
    lat = db.Column(db.Float, nullable=False)
    lon = db.Column(db.Float, nullable=False)
    accuracy_m = db.Column(db.Float)
    address_text = db.Column(db.String(400))
    priority = enum_column(Priority, nullable=False, default=Priority.NORMAL)
    status = enum_column(ReportStatus, nullable=False, default=ReportStatus.NEW)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"))  # None: coordinator's manual queue
    assigned_to_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    filed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    # Resident contact: Fernet tokens, never plaintext.
    resident_name_sealed = db.Column(db.Text)
    resident_phone_sealed = db.Column(db.Text)
    # Keyed hash of the normalised phone (app/reports/phone_index.py): a PDPA request finds it without unsealing.
    resident_phone_index = db.Column(db.String(64), index=True)
    resident_anonymous = db.Column(db.Boolean, nullable=False, default=False)
    consent_at = db.Column(db.DateTime)
    idempotency_key = db.Column(db.String(64), nullable=False)
    supporter_count = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    ack_due_at = db.Column(db.DateTime)
    act_due_at = db.Column(db.DateTime)
    acknowledged_at = db.Column(db.DateTime)
    closed_at = db.Column(db.DateTime)
    version = db.Column(db.Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    pao = db.relationship("Pao")
    category = db.relationship("Category")
    station = db.relationship("Station", foreign_keys=[station_id])
    filed_by = db.relationship("User", foreign_keys=[filed_by_id])
    assigned_to = db.relationship("User", foreign_keys=[assigned_to_id])

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None):
        """Return True when the police have missed the acknowledge or act deadline of this report."""
        now = now or utcnow()
        if self.status not in SLA_STATUSES:
            return False
        if self.acknowledged_at is None and self.ack_due_at and now > self.ack_due_at:
            return True
        return bool(self.act_due_at and now > self.act_due_at)

    @property
    def resident_has_stopped(self):
        """Return True once the resident ended the tracking-page conversation (final: STOP is not undone)."""
        return any(event.kind == "resident_stopped" for event in self.events)

    # Added by triage (app/triage/workflow.py sets them): where a needs_info question returns to,
    # and the report a 'duplicate' rejection points at.
    previous_status = enum_column(ReportStatus)
    duplicate_of_id = db.Column(db.Integer, db.ForeignKey("reports.id"), index=True)

    # Added by oversight (set at intake, app/oversight/places.py): statistics by amphoe need no geometry.
    # The member confirmed a pin outside the PAO's province: the coordinator sees it in their queue.
    outside_province = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    tambon_code = db.Column(db.String(16))
    amphoe_code = db.Column(db.String(16))


class ReferenceCounter(db.Model):
    """Last reference number issued per PAO and Buddhist Era year (gap-free sequences)."""

    __tablename__ = "reference_counters"

    pao_id = db.Column(db.Integer, db.ForeignKey("paos.id"), primary_key=True)
    year_be = db.Column(db.Integer, primary_key=True, autoincrement=False)
    last_value = db.Column(db.Integer, nullable=False, default=0)


class RoutingDecision(db.Model):
    """Which station a report went to and why; the latest one is the report's current routing."""

    __tablename__ = "routing_decisions"
    __table_args__ = (db.Index("ix_routing_decisions_report", "report_id", "decided_at"),)

    id = db.Column(db.Integer, primary_key=True)
    report_id = db.Column(db.Integer, db.ForeignKey("reports.id"), nullable=False)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"))
    # area, area_without_mou, nearest, outside_coverage, manual, transfer
    rule = db.Column(db.String(32), nullable=False)
    reason = db.Column(db.String(32), nullable=False, default="initial")  # initial, reroute, transfer, manual
    area_id = db.Column(db.Integer)  # areas are replaced on import, so no foreign key
    responsible_station_id = db.Column(db.Integer, db.ForeignKey("stations.id"))
    neighbour_station_id = db.Column(db.Integer, db.ForeignKey("stations.id"))
    mou_id = db.Column(db.Integer, db.ForeignKey("mous.id", ondelete="SET NULL"))
    distance_to_station_m = db.Column(db.Float)
    distance_to_edge_m = db.Column(db.Float)
    near_boundary = db.Column(db.Boolean, nullable=False, default=False)
    explanation_th = db.Column(db.Text, nullable=False)
    explanation_en = db.Column(db.Text, nullable=False)
    data_version = db.Column(db.Integer, nullable=False, default=0)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    decided_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    report = db.relationship("Report", backref=db.backref(
        "routing_decisions", order_by="RoutingDecision.id", lazy="select"))
    station = db.relationship("Station", foreign_keys=[station_id])
    responsible_station = db.relationship("Station", foreign_keys=[responsible_station_id])
    neighbour_station = db.relationship("Station", foreign_keys=[neighbour_station_id])

    def explanation(self, lang):
        return self.explanation_th if lang == "th" else self.explanation_en


class ReportEvent(db.Model):
    """One entry of a report's timeline; the audit trail of who did what, when."""

    __tablename__ = "report_events"
    __table_args__ = (db.Index("ix_report_events_report", "report_id", "created_at"),)

    id = db.Column(db.Integer, primary_key=True)
    report_id = db.Column(db.Integer, db.ForeignKey("reports.id"), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))  # None: the system
    kind = db.Column(db.String(40), nullable=False)
    payload = db.Column(db.JSON, nullable=False, default=dict)
    internal = db.Column(db.Boolean, nullable=False, default=False)  # police-only
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    report = db.relationship("Report", backref=db.backref(
        "events", order_by="ReportEvent.id", lazy="select"))
    actor = db.relationship("User")


class ReportPhoto(db.Model):
    """A photo of a report: a sealed original for the routed station, and a metadata-free public copy."""

    __tablename__ = "report_photos"
    __table_args__ = (db.Index("ix_report_photos_report", "report_id", "position"),)

    id = db.Column(db.Integer, primary_key=True)
    report_id = db.Column(db.Integer, db.ForeignKey("reports.id"), nullable=False)
    position = db.Column(db.Integer, nullable=False, default=0)
    original_key = db.Column(db.String(128), nullable=False)  # Fernet-encrypted bytes as uploaded
    original_sha256 = db.Column(db.String(64), nullable=False)
    original_size = db.Column(db.Integer, nullable=False)
    original_format = db.Column(db.String(16), nullable=False)
    public_key = db.Column(db.String(128), nullable=False)  # JPEG, at most 1600 px, no metadata
    thumb_key = db.Column(db.String(128), nullable=False)
    # Set when the retention policy deleted the original's file; the public copy and thumbnail stay.
    original_purged_at = db.Column(db.DateTime)
    width = db.Column(db.Integer, nullable=False)  # of the public copy
    height = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    report = db.relationship("Report", backref=db.backref(
        "photos", order_by="ReportPhoto.position", lazy="select"))


class ResidentMessage(db.Model):
    """What the resident wrote on the tracking page; its event holds only the id, so retention can remove it."""

    __tablename__ = "resident_messages"
    __table_args__ = (db.Index("ix_resident_messages_report", "report_id", "created_at"),)

    id = db.Column(db.Integer, primary_key=True)
    report_id = db.Column(db.Integer, db.ForeignKey("reports.id"), nullable=False)
    kind = db.Column(db.String(16), nullable=False)  # info, answer, feedback
    text = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    report = db.relationship("Report", backref=db.backref(
        "resident_messages", order_by="ResidentMessage.id", lazy="select"))


class ReportFeedback(db.Model):
    """One answer to "was it fixed?" after an outcome, by the resident or the member; no free text."""

    __tablename__ = "report_feedback"
    __table_args__ = (db.UniqueConstraint("report_id", "party", "outcome_event_id", name="uq_report_feedback_once"),)

    id = db.Column(db.Integer, primary_key=True)
    report_id = db.Column(db.Integer, db.ForeignKey("reports.id"), nullable=False, index=True)
    party = db.Column(db.String(16), nullable=False)  # resident, member
    outcome_event_id = db.Column(db.Integer, nullable=False)  # the outcome answered; a later outcome asks again
    resolved = db.Column(db.Boolean, nullable=False)
    rating = db.Column(db.Integer)  # 1-5, optional
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"))  # the station that recorded the outcome
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    report = db.relationship("Report", backref=db.backref("feedback", order_by="ReportFeedback.id", lazy="select"))
