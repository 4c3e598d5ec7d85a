"""Police desk triage: the station queue, the report workflow (state machine), transfers, SLA.

The views live in app.triage.views, which create_app imports to register `bp`. This package
itself imports nothing else, because app.reports.services imports app.reports.workflow: a view
import here would close an import cycle (reports.services -> triage -> views -> reports.services).
"""
from flask import Blueprint

bp = Blueprint("triage", __name__, url_prefix="/triage")
