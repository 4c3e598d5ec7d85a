"""Jurisdiction versions: a PAO's tambon → station assignments, drafted on the map and published with a date.

A published version is never changed: publishing makes one JurisdictionArea per station (the union of its
tambon) valid from the version's effective day; the areas of the previous version stay in the table, valid
until that day, so a report is routed by the version in force on its day and versions can be compared.
"""
from app.core.timeutil import utcnow
from app.extensions import db

DRAFT, PUBLISHED = "draft", "published"


class JurisdictionVersion(db.Model):
    __tablename__ = "jurisdiction_versions"
    __table_args__ = (db.UniqueConstraint("pao_id", "number", name="uq_jurisdiction_versions_pao_number"),)

    id = db.Column(db.Integer, primary_key=True)
    pao_id = db.Column(db.Integer, db.ForeignKey("paos.id"), nullable=False, index=True)
    number = db.Column(db.Integer)  # 1, 2, ... once published; None while a draft
    status = db.Column(db.String(16), nullable=False, default=DRAFT)
    effective_from = db.Column(db.Date)  # Bangkok calendar day
    note = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    published_at = db.Column(db.DateTime)
    published_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    moved_reports = db.Column(db.Integer)

    pao = db.relationship("Pao")
    published_by = db.relationship("User", foreign_keys=[published_by_id])
    assignments = db.relationship("JurisdictionAssignment", backref="version", cascade="all, delete-orphan",
                                  lazy="select")
    parts = db.relationship("JurisdictionPart", backref="version", cascade="all, delete-orphan", lazy="select",
                            order_by="JurisdictionPart.id")

    @property
    def is_draft(self):
        return self.status == DRAFT

    def mark_published(self, number, effective_from, *, note, by_id, at):
        """The draft becomes version `number`, in force from `effective_from` (a Bangkok day)."""
        self.status, self.number, self.effective_from = PUBLISHED, number, effective_from
        self.note, self.published_at, self.published_by_id = note, at, by_id


class JurisdictionAssignment(db.Model):
    __tablename__ = "jurisdiction_assignments"
    __table_args__ = (db.UniqueConstraint("version_id", "tambon_code", name="uq_jurisdiction_assignments_tambon"),)

    id = db.Column(db.Integer, primary_key=True)
    version_id = db.Column(db.Integer, db.ForeignKey("jurisdiction_versions.id"), nullable=False, index=True)
    tambon_code = db.Column(db.String(16), nullable=False)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"), nullable=False)


class JurisdictionPart(db.Model):
    """A part of a tambon given to another station than the tambon's own, in one version (clipped to the tambon)."""

    __tablename__ = "jurisdiction_parts"

    id = db.Column(db.Integer, primary_key=True)
    version_id = db.Column(db.Integer, db.ForeignKey("jurisdiction_versions.id"), nullable=False, index=True)
    tambon_code = db.Column(db.String(16), nullable=False)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"), nullable=False)
    geometry_wkb = db.Column(db.LargeBinary, nullable=False)  # WGS84 lon/lat, inside the tambon
    source = db.Column(db.String(200), nullable=False)  # "drawn" or the imported file's name
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    station = db.relationship("Station")
