"""Delivery: the transactional outbox, its channels (e-mail, webhook, LINE) and the worker."""
from flask import Blueprint

from app.delivery.cli import register_delivery_cli  # noqa: F401  (create_app calls it)

bp = Blueprint("delivery", __name__, url_prefix="/delivery")

from app.delivery import views  # noqa: E402,F401
