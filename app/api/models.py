"""Personal access tokens (JSON API) and API keys (Open311): hashed at rest, revocable."""
import enum

from app.core.enums import enum_column
from app.core.timeutil import utcnow
from app.extensions import db


class TokenKind(str, enum.Enum):
    TOKEN = "token"  # Authorization: Bearer on /api/v1
    APIKEY = "apikey"  # api_key parameter on /open311/v2


class ApiToken(db.Model):
    """A secret that acts as its user, with that user's role and scope; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    kind = enum_column(TokenKind, nullable=False, default=TokenKind.TOKEN)
    label = db.Column(db.String(80), nullable=False, default="")
    prefix = db.Column(db.String(16), nullable=False, unique=True)  # shown in lists; the rate-limit key
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(db.DateTime)
    revoked_at = db.Column(db.DateTime)

    user = db.relationship("User")

    @property
    def is_active(self):
        return self.revoked_at is None and self.user is not None and self.user.is_active

    def __repr__(self):
        return f"<ApiToken {self.kind.value} {self.prefix}>"
