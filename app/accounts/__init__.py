"""Accounts: users, roles, sign-in with two-factor and lockout, access decorators and query scopes."""
from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

from app.accounts import admin_views, invitation_views, rollout_checks, session_views, views  # noqa: E402,F401
