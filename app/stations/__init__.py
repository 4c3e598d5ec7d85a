"""Stations, jurisdiction areas, PAOs and MOUs: admin views and import CLI."""
from flask import Blueprint

bp = Blueprint("stations", __name__, url_prefix="/stations")

from app.stations import views  # noqa: E402,F401
