"""Reports: intake by council members, reference numbers, categories."""
from flask import Blueprint

from app.core.errors import register_error_renderer
from app.reports.limits import answer_submission_refused

bp = Blueprint("reports", __name__, url_prefix="/reports")
# A refused submission gets its own 429 page, which says the report was NOT sent.
bp.record_once(lambda state: register_error_renderer(state.app, answer_submission_refused))

from app.reports import (  # noqa: E402,F401
    api,
    feedback_views,
    followup_views,
    intake_views,
    jurisdiction_cli,
    jurisdiction_part_views,
    jurisdiction_views,
    media,
    pdpa_views,
    reroute_views,
    resident_views,
    rollout_checks,
    tracking,
    views,
)
