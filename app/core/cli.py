"""`flask seed-demo`."""
import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db


@click.command("seed-demo")
@click.option("--quiet", is_flag=True, help="Do not print the demo logins.")
@with_appcontext
def seed_demo_command(quiet):
    """Create the Songkhla demo (PAO, 31 stations, categories, MOUs, users); safe to run again."""
    from app.core.demo import DEMO_USERS, seed_demo

    summary = seed_demo(current_app.config["DEMO_PASSWORD"])
    db.session.commit()
    click.echo("demo data: " + ", ".join(f"{k} +{v}" for k, v in summary.items()))
    if not quiet:
        click.echo(f"demo logins (password: {current_app.config['DEMO_PASSWORD']}):")
        for username, _name, role, station in DEMO_USERS:
            click.echo(f"  {username:18} {role.value}{' @ ' + station if station else ''}")
