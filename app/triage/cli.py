"""`flask sla check`: escalate missed deadlines now (the worker also runs it every 10 minutes)."""
from datetime import UTC, datetime

import click
from flask.cli import AppGroup, with_appcontext

from app.extensions import db
from app.triage.sla import run_sla_check

sla_cli = AppGroup("sla", help="Service-level deadlines of reports.")


@sla_cli.command("check")
@click.option("--now", "now_text", default=None,
              help="Judge deadlines at this time (ISO 8601; UTC unless it has an offset).")
@with_appcontext
def check_command(now_text):
    """Record an escalation (event and notification) for every missed deadline; safe to run again."""

    try:
        now = datetime.fromisoformat(now_text) if now_text else None
    except ValueError:
        raise click.BadParameter("use ISO 8601, e.g. 2026-11-26T03:00", param_hint="--now") from None
    if now is not None and now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)
    counts = run_sla_check(now)
    db.session.commit()
    click.echo("escalated: " + ", ".join(f"{level} {n}" for level, n in counts.items()))


def register_triage_cli(app):
    """Register `flask sla`."""
    app.cli.add_command(sla_cli)
