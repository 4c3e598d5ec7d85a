"""PAO oversight: the dashboard of police response, hotspots, exports, the monthly summary and the MOU registry.

The views live in app.oversight.views (which also loads the MOU registry views); create_app imports
it to register `bp`. This package imports nothing else, because the intake service imports
app.oversight.places: importing the views here would pull every page into each intake import.
"""
from flask import Blueprint

bp = Blueprint("oversight", __name__, url_prefix="/oversight")


def register_oversight_cli(app):
    """Register `flask oversight`."""
    from app.oversight.cli import oversight_cli

    app.cli.add_command(oversight_cli)
