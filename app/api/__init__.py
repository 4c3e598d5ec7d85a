"""JSON API (/api/v1, OpenAPI), Open311 GeoReport v2 (/open311/v2) and the token settings page.

Both machine interfaces authenticate with secrets sent by the client (a Bearer token, an api_key),
never with the browser's session cookie, so they are exempt from CSRF without opening a way around
it. create_app registers the three blueprints and calls `register_api_cli(app)`.
"""
from flask import Blueprint

from app.api.auth import api_rate_limit, apikey_submitter, rate_limit_key
from app.extensions import csrf, limiter
from app.reports.limits import register_submitter_lookup

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")
open311_bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
settings_bp = Blueprint("settings", __name__, url_prefix="/settings")

for _bp in (api_bp, open311_bp):
    csrf.exempt(_bp)
    # One budget per token (per address without one), shared by every endpoint of both interfaces.
    limiter.shared_limit(api_rate_limit, scope="api", key_func=rate_limit_key)(_bp)
# The submission limit counts Open311 filings against the api_key's owner before the view checks the key.
open311_bp.record_once(lambda state: register_submitter_lookup(state.app, apikey_submitter))


def register_api_cli(app):
    """Register `flask tokens` and `flask apikeys`."""
    from app.api.cli import apikeys_cli, tokens_cli

    app.cli.add_command(tokens_cli)
    app.cli.add_command(apikeys_cli)


from app.api import open311, settings_views, views  # noqa: E402,F401
