"""Report categories (crime / drugs / traffic and their sub-categories) with SLA hours and extra questions."""
import enum

from app.core.enums import enum_column
from app.extensions import db


class Priority(str, enum.Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


# Higher number sorts first in a queue.
PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class Category(db.Model):
    __tablename__ = "categories"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(64), nullable=False, unique=True)
    parent_id = db.Column(db.Integer, db.ForeignKey("categories.id"), index=True)
    name_th = db.Column(db.String(200), nullable=False)
    name_en = db.Column(db.String(200), nullable=False)
    emergency = db.Column(db.Boolean, nullable=False, default=False)
    default_priority = enum_column(Priority, nullable=False, default=Priority.NORMAL)
    sla_ack_hours = db.Column(db.Integer, nullable=False, default=24)
    sla_act_hours = db.Column(db.Integer, nullable=False, default=168)
    questions = db.Column(db.JSON, nullable=False, default=list)
    sort_order = db.Column(db.Integer, nullable=False, default=0)
    active = db.Column(db.Boolean, nullable=False, default=True)

    parent = db.relationship("Category", remote_side=[id], backref="children")

    @property
    def top_code(self):
        return self.parent.code if self.parent else self.code

    def name(self, lang):
        return self.name_th if lang == "th" else self.name_en
