"""Stations, jurisdiction areas, PAOs and MOUs: admin views and import CLI."""
import xstatic.pkg.leaflet as leaflet
from flask import Blueprint

# Leaflet comes from the xstatic-leaflet package (no CDN): /stations/leaflet/leaflet.js, leaflet.css, images/.
bp = Blueprint("stations", __name__, url_prefix="/stations",
               static_folder=leaflet.BASE_DIR, static_url_path="/leaflet")

from app.stations import views  # noqa: E402,F401
