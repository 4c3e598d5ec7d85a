"""`flask seed-demo`."""
import click
from flask import current_app
from flask.cli import with_appcontext

from app.demo.seed import DEMO_USERS, SHARED_DATA, seed_demo
from app.extensions import db


@click.command("seed-demo")
@click.option("--quiet", is_flag=True, help="Do not print the demo logins.")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Folder with songkhla_tambon.geojson and songkhla_jurisdiction_approx.csv "
                   "(default: ../shared/data beside the project; without it, the simplified demo boundaries).")
@with_appcontext
def seed_demo_command(quiet, data_dir):
    """Create the Songkhla demo (PAO, 31 stations, categories, MOUs, users, areas); safe to run again."""

    summary = seed_demo(current_app.config["DEMO_PASSWORD"], areas_dir=data_dir or SHARED_DATA)
    db.session.commit()
    click.echo("demo data: " + ", ".join(f"{k} +{v}" for k, v in summary.items()))
    if not quiet:
        click.echo(f"demo logins (password: {current_app.config['DEMO_PASSWORD']}):")
        for username, _name, role, station in DEMO_USERS:
            click.echo(f"  {username:18} {role.value}{' @ ' + station if station else ''}")
        click.echo("police, coordinator and admin set up two-factor sign-in (an authenticator app) "
                   "at their first sign-in; `flask users reset-2fa USERNAME` starts it again")
