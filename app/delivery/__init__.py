"""Delivery: the transactional outbox, its channels (e-mail, webhook, LINE) and the worker."""
from flask import Blueprint

from app.delivery.cli import register_delivery_cli  # noqa: F401  (create_app calls it)

bp = Blueprint("delivery", __name__, url_prefix="/delivery")

from app.delivery import line_views, views  # noqa: E402,F401

# The LINE webhook lives at /line/webhook: registered with the delivery blueprint, so create_app stays as it is.
bp.record_once(lambda state: state.app.register_blueprint(line_views.line_bp))
