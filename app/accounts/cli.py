"""`flask users ...` commands."""
import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from app.accounts.invitations import InvitationError, create_invitation, invite_from_csv
from app.accounts.models import User
from app.accounts.passwords import PasswordPolicyError
from app.accounts.services import (
    AccountError,
    create_user,
    disable_user,
    enable_user,
    end_sessions,
    reset_two_factor,
    unlock_user,
)
from app.extensions import db
from app.security.access import Role
from app.stations.models import Pao, Station

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
    """Create a user account; the password is prompted for and must pass the password policy."""

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
    except PasswordPolicyError as error:
        with force_locale("en"):
            reasons = " ".join(str(problem) for problem in error.problems)
        raise click.UsageError(f"password refused: {reasons}") from error
    except AccountError as error:
        raise click.UsageError(str(error)) from error
    db.session.commit()
    click.echo(f"created user {user.username} ({user.role.value})")


@users_cli.command("list")
def list_users_command():
    """List user accounts with their lock and two-factor state."""
    for user in db.session.scalars(db.select(User).order_by(User.username)):
        where = user.station.code if user.station else (user.pao.code if user.pao else "-")
        state = "disabled" if not user.active else ("LOCKED" if user.is_locked else "active")
        two_factor = "2fa" if user.two_factor_enrolled else ("2fa-pending" if user.needs_two_factor else "-")
        click.echo(f"{user.username:24} {user.role.value:18} {where:20} {state:8} {two_factor}")


def _user(username):
    user = db.session.scalar(db.select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.UsageError(f"no user {username!r}")
    return user


@users_cli.command("unlock")
@click.argument("username")
def unlock_command(username):
    """Lift the lockout of USERNAME after too many failed sign-ins."""
    user = _user(username)
    unlock_user(None, user)
    db.session.commit()
    click.echo(f"unlocked {user.username}")


@users_cli.command("reset-2fa")
@click.argument("username")
def reset_two_factor_command(username):
    """Remove the second factor of USERNAME (lost phone); the next sign-in sets up a new one."""
    user = _user(username)
    reset_two_factor(None, user)
    db.session.commit()
    click.echo(f"two-factor reset for {user.username}: they set it up again at their next sign-in")


@users_cli.command("disable")
@click.argument("username")
def disable_command(username):
    """Disable USERNAME: no more sign-ins, and every session of the account ends now."""
    user = _user(username)
    disable_user(None, user)
    db.session.commit()
    click.echo(f"disabled {user.username} and ended their sessions")


@users_cli.command("enable")
@click.argument("username")
def enable_command(username):
    """Let a disabled USERNAME sign in again."""
    user = _user(username)
    enable_user(None, user)
    db.session.commit()
    click.echo(f"enabled {user.username}")


@users_cli.command("end-sessions")
@click.argument("username")
def end_sessions_command(username):
    """Sign USERNAME out on every device (a lost phone)."""
    user = _user(username)
    ended = end_sessions(None, user)
    db.session.commit()
    click.echo(f"ended {ended} sessions of {user.username}")


def _by_code(model, code, what):
    if not code:
        return None
    found = db.session.scalar(db.select(model).where(model.code == code))
    if found is None:
        raise click.UsageError(f"unknown {what} code {code!r}")
    return found


def _invite_url(token):
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:5000"
    return f"{base.rstrip('/')}/accounts/invite/{token}"


@users_cli.command("invite")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--pao", "pao_code", help="PAO code (council members and coordinators; the PAO of police staff).")
@click.option("--station", "station_code", help="Station code, for police roles.")
@click.option("--name", "display_name", help="The person's name (defaults to the role).")
@click.option("--email")
@click.option("--phone")
@click.option("--csv", "csv_file", type=click.File("r", encoding="utf-8-sig"),
              help="Invite every row of a CSV (name, role, pao, station, email, phone); --role/--pao are defaults.")
def invite_command(role, pao_code, station_code, display_name, email, phone, csv_file):
    """Make one-time invitation links (72 h, single use); each person sets their own password."""
    pao = _by_code(Pao, pao_code, "PAO")
    station = _by_code(Station, station_code, "station")
    try:
        if csv_file is not None:
            issued = invite_from_csv(None, csv_file.read(), default_role=role, default_pao=pao)
        else:
            issued = [create_invitation(None, role=role, display_name=display_name or role, pao=pao,
                                        station=station, email=email, phone=phone)]
    except InvitationError as error:
        raise click.UsageError(str(error)) from error
    db.session.commit()
    for item in issued:
        inv = item.invitation
        click.echo(f"{inv.display_name}\t{inv.role.value}\t{inv.email or '-'}\t{inv.phone or '-'}\t"
                   f"{_invite_url(item.token)}")
    click.echo(f"{len(issued)} invitation(s), valid until {issued[0].invitation.expires_at:%Y-%m-%d %H:%M} UTC",
               err=True)
