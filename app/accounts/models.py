"""User accounts and roles."""
import enum

from flask import current_app
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.enums import enum_column
from app.core.timeutil import utcnow
from app.extensions import db


class Role(str, enum.Enum):
    COUNCIL_MEMBER = "council_member"
    DESK_OFFICER = "desk_officer"
    STATION_COMMANDER = "station_commander"
    PAO_COORDINATOR = "pao_coordinator"
    ADMIN = "admin"


POLICE_ROLES = frozenset({Role.DESK_OFFICER, Role.STATION_COMMANDER})
PAO_ROLES = frozenset({Role.COUNCIL_MEMBER, Role.PAO_COORDINATOR})


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), nullable=False, unique=True)
    display_name = db.Column(db.String(120), nullable=False)
    role = enum_column(Role, nullable=False)
    pao_id = db.Column(db.Integer, db.ForeignKey("paos.id"), index=True)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"), index=True)
    password_hash = db.Column(db.String(256), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    preferred_language = db.Column(db.String(2), nullable=False, default="th")
    email = db.Column(db.String(254))
    phone = db.Column(db.String(32))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime)
    # How this user gets notifications: email, line or none (see app/delivery).
    notify_channel = db.Column(db.String(8), nullable=False, default="email", server_default="email")
    line_user_id = db.Column(db.String(64))

    pao = db.relationship("Pao", foreign_keys=[pao_id])
    station = db.relationship("Station", foreign_keys=[station_id])

    @property
    def is_active(self):
        return bool(self.active)

    @property
    def is_police(self):
        return self.role in POLICE_ROLES

    def set_password(self, password):
        """Store a salted hash of the password."""
        self.password_hash = generate_password_hash(
            password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))

    def check_password(self, password):
        """Return True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.username} {self.role.value}>"
