"""`flask oversight rollup` and `flask oversight locate-areas`."""
from datetime import date

import click
from flask.cli import AppGroup, with_appcontext

from app.extensions import db
from app.oversight.places import fill_area_codes
from app.oversight.rollup import refresh_rollups
from app.reports.models import Report

oversight_cli = AppGroup("oversight", help="PAO oversight figures.")


@oversight_cli.command("rollup")
@click.option("--since", "since_text", default=None, help="Rebuild every month from this date's month (YYYY-MM-DD).")
@click.option("--all", "rebuild_all", is_flag=True, help="Rebuild every month of every PAO.")
@with_appcontext
def rollup_command(since_text, rebuild_all):
    """Bring the monthly rollups up to date (by default only months whose reports changed)."""

    try:
        since = date.fromisoformat(since_text) if since_text else None
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD, e.g. 2026-01-01", param_hint="--since") from None
    count = refresh_rollups(since=since, rebuild_all=rebuild_all)
    db.session.commit()
    click.echo(f"rollups rebuilt for {count} (PAO, month) pair(s)")


@oversight_cli.command("locate-areas")
@click.option("--all", "everything", is_flag=True, help="Locate every report again, not only those without an amphoe.")
@with_appcontext
def locate_areas_command(everything):
    """Store the tambon and amphoe codes of reports filed before the areas were imported."""

    query = db.select(Report).order_by(Report.id)
    if not everything:
        query = query.where(Report.amphoe_code.is_(None))
    last_id = changed = 0
    while True:
        batch = db.session.scalars(query.where(Report.id > last_id).limit(1000)).all()
        if not batch:
            break
        changed += fill_area_codes(batch)
        last_id = batch[-1].id
        db.session.commit()
    click.echo(f"{changed} report(s) located; run `flask oversight rollup --all` to count them by amphoe")
