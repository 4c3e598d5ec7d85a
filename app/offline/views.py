"""The service worker, the manifest, the offline page and a fresh CSRF token for queued reports."""
import json

from flask import current_app, jsonify, render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.offline import bp
from app.offline.assets import manifest as manifest_data
from app.offline.assets import worker_script
from app.offline.texts import script_messages


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker with its settings, allowed to control the whole site."""
    response = current_app.response_class(worker_script(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """Serve the web app manifest so the phone can install Ruamkan on its home screen."""
    response = jsonify(manifest_data())
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
def page():
    """Show the page the service worker offers when a page is not on the phone and there is no signal."""
    return render_template("offline/offline.html")


@bp.get("/session")
def session_info():
    """Return who is signed in and a fresh CSRF token, so a report queued on the phone can be sent."""
    # Drafts on the phone are keyed by the plain user id: get_id() changes with the password.
    user = str(current_user.id) if current_user.is_authenticated else None
    response = jsonify(user=user, csrf_token=generate_csrf() if user else None)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_context_processor
def offline_context():
    """Give base.html what it needs to link the manifest and start the offline scripts."""
    def links():
        member = current_user.is_authenticated and current_user.role.value == "council_member"
        return {
            "manifest_url": url_for("offline.manifest"),
            "worker_url": url_for("offline.service_worker"),
            "session_url": url_for("offline.session_info"),
            "offline_url": url_for("offline.page"),
            "logout_url": url_for("accounts.logout"),
            "form_url": url_for("reports.new"),
            "user": str(current_user.id) if current_user.is_authenticated else "",
            "keep": " ".join(url_for(e) for e in ("reports.new", "reports.mine")) if member else "",
            # Thai as UTF-8 (half the bytes of \\u escapes); autoescaping makes it safe in the attribute.
            "messages_json": json.dumps(script_messages(), ensure_ascii=False, separators=(",", ":")),
        }
    return {"offline_links": links}
