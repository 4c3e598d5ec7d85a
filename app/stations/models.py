"""PAOs (tenants), police stations, their jurisdiction areas and the MOUs between them."""
import enum

import shapely

from app.core.enums import enum_column
from app.core.timeutil import utcnow
from app.extensions import db


class Pao(db.Model):
    __tablename__ = "paos"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(32), nullable=False, unique=True)
    name_th = db.Column(db.String(200), nullable=False)
    name_en = db.Column(db.String(200), nullable=False)
    reference_prefix = db.Column(db.String(8), nullable=False, unique=True)
    # The province the PAO serves (DOPA code, e.g. "90" Songkhla): a pin outside it must be confirmed.
    province_code = db.Column(db.String(8))
    province_th = db.Column(db.String(120))
    province_en = db.Column(db.String(120))
    coordinator_station_id = db.Column(db.Integer, db.ForeignKey("stations.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    coordinator_station = db.relationship("Station")

    def name(self, lang):
        return self.name_th if lang == "th" else self.name_en

    def province_name(self, lang):
        return (self.province_th if lang == "th" else self.province_en) or self.province_th or self.name(lang)


class Station(db.Model):
    __tablename__ = "stations"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(64), nullable=False, unique=True)
    name_th = db.Column(db.String(200), nullable=False)
    name_en = db.Column(db.String(200), nullable=False)
    lat = db.Column(db.Float)  # the point may be unknown
    lon = db.Column(db.Float)
    phone = db.Column(db.String(64))
    address = db.Column(db.String(400))
    email = db.Column(db.String(254))
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Where the station's desk gets notifications (app/delivery); the webhook secret is a Fernet token.
    notify_email = db.Column(db.String(254))
    webhook_url = db.Column(db.String(500))
    webhook_secret_sealed = db.Column(db.Text)

    @property
    def is_located(self):
        return self.lat is not None and self.lon is not None

    def name(self, lang):
        return self.name_th if lang == "th" else self.name_en

    def __repr__(self):
        return f"<Station {self.code}>"


class JurisdictionArea(db.Model):
    __tablename__ = "jurisdiction_areas"

    id = db.Column(db.Integer, primary_key=True)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"), nullable=False, index=True)
    geometry_wkb = db.Column(db.LargeBinary, nullable=False)  # WGS84 lon/lat, no PostGIS needed
    source = db.Column(db.String(400), nullable=False)
    feature_count = db.Column(db.Integer, nullable=False, default=1)
    imported_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Areas built by a published jurisdiction version: valid from its effective day until the next one's
    # (Bangkok days, end exclusive). Imported areas have no version and no dates: always in force.
    version_id = db.Column(db.Integer, db.ForeignKey("jurisdiction_versions.id"), index=True)
    valid_from = db.Column(db.Date)
    valid_until = db.Column(db.Date)

    station = db.relationship("Station", backref=db.backref("areas", lazy="select"))

    @staticmethod
    def in_force_clause(day):
        """Return the SQL condition for the areas that route reports on this Bangkok day."""
        return db.and_(db.or_(JurisdictionArea.valid_from.is_(None), JurisdictionArea.valid_from <= day),
                       db.or_(JurisdictionArea.valid_until.is_(None), JurisdictionArea.valid_until > day))

    def in_force_on(self, day):
        """Return True when the area routes reports on this Bangkok day."""
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_until is None or day < self.valid_until))

    @property
    def geometry(self):
        return shapely.from_wkb(self.geometry_wkb)

    @geometry.setter
    def geometry(self, geom):
        self.geometry_wkb = shapely.to_wkb(geom)


class MouStatus(str, enum.Enum):
    ACTIVE = "active"
    ENDED = "ended"


class Mou(db.Model):
    __tablename__ = "mous"
    __table_args__ = (db.Index("ix_mous_pao_station", "pao_id", "station_id"),)

    id = db.Column(db.Integer, primary_key=True)
    pao_id = db.Column(db.Integer, db.ForeignKey("paos.id"), nullable=False)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"), nullable=False, index=True)
    signed_on = db.Column(db.Date, nullable=False)
    effective_from = db.Column(db.Date, nullable=False)
    expires_on = db.Column(db.Date)  # None: open-ended
    status = enum_column(MouStatus, nullable=False, default=MouStatus.ACTIVE)
    covers_all = db.Column(db.Boolean, nullable=False, default=True)
    category_codes = db.Column(db.JSON, nullable=False, default=list)
    document_ref = db.Column(db.String(400))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    pao = db.relationship("Pao")
    station = db.relationship("Station", backref=db.backref("mous", lazy="select"))

    def is_active_on(self, day):
        """Return True when the MOU is in force on the given calendar day (expiry inclusive)."""
        return (self.status == MouStatus.ACTIVE and self.effective_from <= day
                and (self.expires_on is None or day <= self.expires_on))


class DataVersion(db.Model):
    """Counters that tell every process when cached data (the routing index) is stale."""

    __tablename__ = "data_versions"

    name = db.Column(db.String(40), primary_key=True)
    value = db.Column(db.Integer, nullable=False, default=0)


class MouRecord(db.Model):
    """What the registry knows about an MOU beyond its terms: the MOU it renews, its end, its signed document."""

    __tablename__ = "mou_records"

    mou_id = db.Column(db.Integer, db.ForeignKey("mous.id"), primary_key=True, autoincrement=False)
    renews_mou_id = db.Column(db.Integer, db.ForeignKey("mous.id"), index=True)
    ended_on = db.Column(db.Date)
    end_reason = db.Column(db.Text)
    ended_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    document_key = db.Column(db.String(128))
    document_name = db.Column(db.String(200))
    document_size = db.Column(db.Integer)
    document_sha256 = db.Column(db.String(64))
    document_uploaded_at = db.Column(db.DateTime)
    document_uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))

    mou = db.relationship("Mou", foreign_keys=[mou_id])
    renews = db.relationship("Mou", foreign_keys=[renews_mou_id])

    @property
    def has_document(self):
        return bool(self.document_key)


class AdminArea(db.Model):
    """A tambon or amphoe boundary, so a pin can be named; routing uses station areas instead."""

    __tablename__ = "admin_areas"
    __table_args__ = (db.UniqueConstraint("level", "code", name="uq_admin_areas_level_code"),)

    id = db.Column(db.Integer, primary_key=True)
    level = db.Column(db.String(16), nullable=False)  # tambon, amphoe
    code = db.Column(db.String(16), nullable=False)
    name_th = db.Column(db.String(200), nullable=False)
    name_en = db.Column(db.String(200), nullable=False)
    # The amphoe of a tambon, copied so naming a pin needs one lookup.
    parent_code = db.Column(db.String(16))
    parent_name_th = db.Column(db.String(200))
    parent_name_en = db.Column(db.String(200))
    province_code = db.Column(db.String(8))
    province_th = db.Column(db.String(120))
    province_en = db.Column(db.String(120))
    geometry_wkb = db.Column(db.LargeBinary, nullable=False)  # WGS84 lon/lat
    imported_at = db.Column(db.DateTime, nullable=False, default=utcnow)
