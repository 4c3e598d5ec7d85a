"""Accounts: users, roles, login, access decorators and query scopes."""
from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

from app.accounts import views  # noqa: E402,F401
