"""Ruamkan application factory."""
from flask import Flask

from config import Config


def create_app(config_class=Config):
    """Create and configure a Ruamkan application."""
    if hasattr(config_class, "check"):
        config_class.check()
    app = Flask(__name__, template_folder="../templates", instance_path=config_class.INSTANCE_DIR)
    app.config.from_object(config_class)
    init_extensions(app)
    init_i18n(app)
    init_inputs(app)
    init_blueprints(app)
    init_errors(app)
    init_security(app)
    init_cli(app)
    init_sealing(app)
    init_storage(app)
    init_notifications()
    init_jobs()
    return app


def init_extensions(app):
    """Bind the unbound extensions (the read replica too, when set) and make sure SQLite's folder exists."""
    from app import models  # noqa: F401  (register every table with the metadata)
    from app.core.replica import init_replica
    from app.extensions import csrf, db, limiter, login_manager, migrate

    init_replica(app)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        from pathlib import Path
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_root() / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    init_limiter_storage(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    from app.accounts.auth import init_login
    init_login(app, login_manager)


def init_limiter_storage(app):
    """Point `database://` rate-limit storage at the app's own database (see app/security/limiter_storage.py)."""
    from app.security import limiter_storage  # noqa: F401  (registers the database:// scheme)

    if app.config["RATELIMIT_STORAGE_URI"] == "database://":
        app.config["RATELIMIT_STORAGE_URI"] = limiter_storage.storage_uri(app.config["SQLALCHEMY_DATABASE_URI"])


def init_i18n(app):
    """Thai by default, English on request; dates in Buddhist Era for Thai readers."""
    from app.accounts.labels import role_label
    from app.categories.labels import priority_label
    from app.core.i18n import current_lang, init_babel
    from app.reports.labels import status_label
    from app.stations.adminareas import place_of_tambon

    def place_text(place):
        return place.text(current_lang()) if place else ""

    init_babel(app)
    app.jinja_env.globals.update(status_label=status_label, role_label=role_label, priority_label=priority_label,
                                 place_text=place_text,
                                 tambon_text=lambda code: place_text(place_of_tambon(code)))


def init_inputs(app):
    """Bound what URLs may carry (before the blueprints add their rules)."""
    from app.security.inputs import init_input_guards
    init_input_guards(app)


def init_blueprints(app):
    """Register each domain's blueprint."""
    from app.accounts import bp as accounts_bp
    from app.api import api_bp, open311_bp, settings_bp
    from app.delivery import bp as delivery_bp
    from app.home.views import bp as home_bp
    from app.offline import bp as offline_bp
    from app.oversight.views import bp as oversight_bp
    from app.reports import bp as reports_bp
    from app.stations import bp as stations_bp
    from app.triage.views import bp as triage_bp

    for bp in (home_bp, accounts_bp, reports_bp, stations_bp, delivery_bp, triage_bp,
               oversight_bp, api_bp, open311_bp, settings_bp, offline_bp):
        app.register_blueprint(bp)


def init_errors(app):
    """Friendly, bilingual error pages instead of tracebacks."""
    from app.core.errors import register_error_handlers
    register_error_handlers(app)


def init_security(app):
    """Strict security headers on every response; client addresses from trusted proxies only."""
    from app.security.headers import init_security_headers
    init_security_headers(app)
    hops = app.config.get("TRUSTED_PROXY_HOPS", 0)
    if hops:
        # Behind N reverse proxies, rate limits and account events must see the client, not the proxy.
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def init_cli(app):
    """Register the `flask` commands of every domain."""
    from app.accounts.cli import users_cli
    from app.api import register_api_cli
    from app.categories.cli import categories_cli
    from app.delivery import register_delivery_cli
    from app.demo.cli import seed_demo_command
    from app.oversight import register_oversight_cli
    from app.reports.cli import register_retention_cli
    from app.reports.route_cli import route_cli
    from app.security.sealing_cli import sealing_cli
    from app.stations.cli import register_station_cli
    from app.triage.cli import register_triage_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(categories_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(sealing_cli)
    app.cli.add_command(route_cli)
    register_station_cli(app)
    register_delivery_cli(app)
    register_triage_cli(app)
    register_retention_cli(app)
    register_api_cli(app)
    register_oversight_cli(app)
    from app.core.storage_cli import storage_cli
    app.cli.add_command(storage_cli)


def init_sealing(app):
    """Tell key rotation what is sealed: residents' contacts, webhook and two-factor secrets, photo originals."""
    from app.accounts.models import User
    from app.reports.models import Report
    from app.reports.sealed_data import photo_original_batches, reindex_phones
    from app.security.rotation import SealedData, declare_sealed
    from app.stations.models import Station

    declare_sealed(app, SealedData(
        columns=((Report, "resident_name_sealed"), (Report, "resident_phone_sealed"),
                 (Station, "webhook_secret_sealed"), (User, "totp_secret_sealed")),
        files=(("photo originals", photo_original_batches),),
        after_rotation=(reindex_phones,)))


def init_storage(app):
    """Tell `flask storage check` which rows name stored files: photos (staged too), background exports and
    signed MOU documents."""
    from app.core.storage import declare_stored_keys
    from app.oversight.export_jobs import export_keys
    from app.reports.sealed_data import photo_storage_keys
    from app.stations.mou_documents import document_keys

    declare_stored_keys(app, "photos", photo_storage_keys)
    declare_stored_keys(app, "exports", export_keys)
    declare_stored_keys(app, "mou documents", document_keys)


def init_jobs():
    """Register the periodic jobs the worker runs (app/jobs.py lists them)."""
    from app.jobs import register_jobs
    register_jobs()


def init_notifications():
    """Have delivery listen to what reports and triage announce (the outbox joins their transactions)."""
    from app.delivery.notify import connect_notifications
    connect_notifications()


def _root():
    from pathlib import Path
    return Path(__file__).resolve().parent.parent
