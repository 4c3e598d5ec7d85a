"""Reports: intake by council members, reference numbers, categories."""
from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from app.reports import api, followup_views, media, pdpa_views, reroute_views, tracking, views  # noqa: E402,F401
