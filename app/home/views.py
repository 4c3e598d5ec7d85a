"""Home page per role, language switch and health check."""
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.home.context import home_context
from app.security.redirects import safe_redirect_target

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Send visitors to their home page, or to the login page."""
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    return redirect(url_for("accounts.login"))


# Addresses people guess: each leads to the real page rather than a 404.
GUESSED = {"/login": "accounts.login", "/signin": "accounts.login", "/admin": "home.home", "/dashboard": "home.home",
           "/report": "reports.new", "/track": "reports.track"}


def guessed_address():
    """Send a guessed address (/login, /admin…) to the page it means."""
    return redirect(url_for(GUESSED[request.path]), code=301)


for _path in GUESSED:
    bp.add_url_rule(_path, f"guessed_{_path.strip('/')}", guessed_address)


@bp.get("/home")
@login_required
def home():
    """Show the signed-in user's home page for their role."""
    return render_template("home/home.html", **home_context(current_user))


@bp.get("/language/<lang>")
def set_language(lang):
    """Remember the chosen language for this browser and go back."""
    if lang in ("th", "en"):
        session["lang"] = lang
    return redirect(safe_redirect_target(request.args.get("next"), url_for("home.index")))


@bp.get("/healthz")
def health():
    """Report that the service and its database answer."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
