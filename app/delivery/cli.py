"""`flask worker` and `flask delivery ...`: run the outbox worker, set up station webhooks, retry."""
import signal

import click
from flask.cli import with_appcontext

from app.delivery.services import DeliverySetupError, retry_dead_messages, set_station_webhook
from app.delivery.worker import Worker
from app.extensions import db
from app.stations.services import StationDataError, find_station


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one pass (due jobs, then every due message) and exit.")
@click.option("--interval", type=float, default=None, help="Seconds between passes (default WORKER_INTERVAL, 5).")
@with_appcontext
def worker_command(once, interval):
    """Send outbox messages and run periodic jobs until stopped (SIGTERM/SIGINT finish the current message)."""

    worker = Worker()
    if once:
        click.echo(str(worker.run_pass()))
        return
    previous = {sig: signal.signal(sig, worker.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    click.echo(f"outbox worker {worker.id} running; Ctrl+C or SIGTERM stops it after the message in hand")
    try:
        worker.run_forever(interval)
        click.echo("outbox worker stopped")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@click.group("delivery")
def delivery_cli():
    """Notification channels and the outbox."""


@delivery_cli.command("set-webhook")
@click.argument("station_code")
@click.argument("url")
@with_appcontext
def set_webhook_command(station_code, url):
    """Send a station's notifications to URL; prints the signing secret once."""

    station = _station(station_code)
    try:
        secret = set_station_webhook(station, url)
    except DeliverySetupError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"webhook set for {station.code}; signing secret (shown once): {secret}")


@delivery_cli.command("set-station-email")
@click.argument("station_code")
@click.argument("email", required=False)
@with_appcontext
def set_station_email_command(station_code, email):
    """Send a station's notifications to EMAIL (omit it to stop)."""
    station = _station(station_code)
    station.notify_email = email or None
    db.session.commit()
    click.echo(f"notification e-mail of {station.code}: {station.notify_email or '(none)'}")


@delivery_cli.command("retry-dead")
@with_appcontext
def retry_dead_command():
    """Put every dead message back in the queue."""

    count = retry_dead_messages()
    db.session.commit()
    click.echo(f"{count} message(s) queued again")


def _station(code):

    try:
        return find_station(code)
    except StationDataError as error:
        raise click.ClickException(str(error)) from None


@click.group("line")
def line_cli():
    """The LINE Official Account: configuration and links."""


@line_cli.command("status")
@with_appcontext
def line_status_command():
    """Show the LINE channel settings (never the secrets) and how many accounts and groups are linked."""
    from flask import current_app

    from app.accounts.models import User
    from app.delivery.line_models import LineGroup
    from app.delivery.models import OutboxMessage, OutboxStatus

    config = current_app.config

    def count(query):
        return db.session.scalar(query) or 0

    base = (config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    rows = [
        ("channel secret", "set" if config.get("LINE_CHANNEL_SECRET") else "NOT SET"),
        ("channel token", "set" if config.get("LINE_CHANNEL_TOKEN") else "NOT SET"),
        ("API base", config.get("LINE_API_BASE") or "https://api.line.me"),
        ("bot basic id", config.get("LINE_BOT_BASIC_ID") or "(none: no add-friend links)"),
        ("webhook URL", f"{base}/line/webhook" if base else "(set PUBLIC_BASE_URL)/line/webhook"),
        ("linked accounts", count(db.select(db.func.count(User.id)).where(User.line_user_id.is_not(None)))),
        ("linked station groups", count(db.select(db.func.count(LineGroup.id)))),
        ("LINE messages pending", count(db.select(db.func.count(OutboxMessage.id)).where(
            OutboxMessage.channel == "line", OutboxMessage.status == OutboxStatus.PENDING))),
        ("LINE messages dead", count(db.select(db.func.count(OutboxMessage.id)).where(
            OutboxMessage.channel == "line", OutboxMessage.status == OutboxStatus.DEAD))),
    ]
    for name, value in rows:
        click.echo(f"{name}: {value}")


def register_delivery_cli(app):
    """Register `flask worker` and `flask delivery`, and load delivery's periodic jobs."""
    from app.delivery import jobs  # noqa: F401  (registers mou_expiring)

    app.cli.add_command(worker_command)
    app.cli.add_command(delivery_cli)
    app.cli.add_command(line_cli)
