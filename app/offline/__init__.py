"""Offline use on a phone: service worker, web app manifest, offline page, a fresh token for queued reports."""
from flask import Blueprint

# The worker's script lives under /offline/ like every route here; the Service-Worker-Allowed header
# lets it control the whole site (scope /).
bp = Blueprint("offline", __name__, url_prefix="/offline")

from app.offline import views  # noqa: E402,F401
