"""`flask users ...` commands."""
import click
from flask.cli import AppGroup

from app.accounts.models import Role
from app.accounts.services import AccountError, create_user
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--pao", "pao_code", help="PAO code, for council members and coordinators.")
@click.option("--station", "station_code", help="Station code, for police roles.")
@click.option("--name", "display_name", help="Display name (defaults to the username).")
@click.option("--language", default="th", type=click.Choice(["th", "en"]))
@click.option("--email")
@click.password_option(help="Prompted for when not given.")
def create_user_command(username, role, pao_code, station_code, display_name, language, email, password):
    """Create a user account; the password is prompted for."""
    from app.stations.models import Pao, Station

    pao = station = None
    if pao_code:
        pao = db.session.scalar(db.select(Pao).where(Pao.code == pao_code))
        if pao is None:
            raise click.UsageError(f"unknown PAO code {pao_code!r}")
    if station_code:
        station = db.session.scalar(db.select(Station).where(Station.code == station_code))
        if station is None:
            raise click.UsageError(f"unknown station code {station_code!r}")
    try:
        user = create_user(username=username, role=role, password=password, display_name=display_name,
                           pao=pao, station=station, preferred_language=language, email=email)
    except AccountError as error:
        raise click.UsageError(str(error)) from error
    db.session.commit()
    click.echo(f"created user {user.username} ({user.role.value})")


@users_cli.command("list")
def list_users_command():
    """List user accounts."""
    from app.accounts.models import User

    for user in db.session.scalars(db.select(User).order_by(User.username)):
        where = user.station.code if user.station else (user.pao.code if user.pao else "-")
        click.echo(f"{user.username:24} {user.role.value:18} {where:20} {'active' if user.active else 'disabled'}")
