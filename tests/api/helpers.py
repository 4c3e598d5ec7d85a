"""Helpers for API tests: tokens, and JSON/Open311 calls."""
from app.api.models import TokenKind
from app.api.tokens import create_token
from app.extensions import db


def token_for(user, kind=TokenKind.TOKEN, label="test"):
    """Create and commit a token for the user; return its secret."""
    _token, secret = create_token(user, kind=kind, label=label)
    db.session.commit()
    return secret


def bearer(secret, **headers):
    """Return request headers carrying a Bearer token."""
    return {"Authorization": f"Bearer {secret}", **headers}


def new_report_body(world, **overrides):
    """Return a valid JSON body for POST /api/v1/reports (west station's area); None removes a field."""
    body = {"category": "crime.theft", "narrative": "Motorbikes are stolen from the market car park every weekend.",
            "lat": 7.2, "lon": 100.55, "address_text": "Behind the fresh market"}
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}
