"""`flask route LAT LON --category CODE`: where a point would be routed; `flask route reroute`: move open reports."""
import json
from datetime import date, datetime

import click
from flask.cli import AppGroup

from app.core.timeutil import to_utc_naive
from app.extensions import db
from app.reports.routing_service import preview_route, reroute_open_reports
from app.routing import RoutingInputError
from app.stations.models import Pao
from app.stations.services import StationDataError, find_pao


class BadInput(click.ClickException):
    """Input the command cannot use: exit status 2, like a usage error, without the usage text."""

    exit_code = 2


class _RouteGroup(AppGroup):
    """`flask route LAT LON ...` routes a point; `flask route reroute` is a subcommand."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and not _is_option(args[0]):
            args = ["point", *args]
        return super().parse_args(ctx, args)


def _is_option(arg):
    # Thailand has no negative coordinates, so anything starting with '-' is an option such as --help.
    return arg.startswith("-")


@click.group("route", cls=_RouteGroup)
def route_cli():
    """Show where a point would be routed (flask route LAT LON --category CODE), or re-route reports."""


@route_cli.command("point", hidden=True)
@click.argument("lat")
@click.argument("lon")
@click.option("--category", required=True, help="Category code, e.g. traffic.street_racing.")
@click.option("--pao", "pao_code", help="PAO code; may be left out when only one PAO exists.")
@click.option("--at", "at_text", help="Date (YYYY-MM-DD) or ISO date-time to route at; default now.")
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
def route_point_command(lat, lon, category, pao_code, at_text, as_json):
    """Print the routing decision for a point, without writing anything."""
    try:
        decision = preview_route(lat=lat, lon=lon, category=category, pao=_pao_code(pao_code), at=_when(at_text))
    except RoutingInputError as error:
        raise BadInput(f"{error.field}: {error.message_en}") from error
    if as_json:
        click.echo(json.dumps(decision.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    lines = [("station", decision.station_code or "none (manual queue)"), ("rule", decision.rule),
             ("responsible station", decision.responsible_station_code or "-"),
             ("MOU", decision.mou_id or "-"),
             ("distance to station", _metres(decision.distance_to_station_m)),
             ("distance to area edge", _metres(decision.distance_to_edge_m)),
             ("near a boundary", f"yes, {decision.neighbour_station_code}" if decision.near_boundary else "no"),
             ("explanation (th)", decision.explanation_th), ("explanation (en)", decision.explanation_en)]
    for label, value in lines:
        click.echo(f"{label + ':':24} {value}")


@route_cli.command("reroute")
@click.option("--pao", "pao_code", help="Only this PAO's reports.")
def reroute_command(pao_code):
    """Re-route open reports whose station changed with the current areas and MOUs."""
    try:
        moved = reroute_open_reports(pao=find_pao(pao_code) if pao_code else None)
    except StationDataError as error:
        raise BadInput(str(error)) from error
    db.session.commit()
    click.echo(f"re-routed {moved} open report(s)")


def _pao_code(code):
    if code:
        return code  # the engine says clearly when it is unknown
    codes = db.session.scalars(db.select(Pao.code).limit(2)).all()
    if len(codes) != 1:
        raise BadInput("give --pao CODE " + ("(no PAO exists yet)" if not codes else "(several PAOs exist)"))
    return codes[0]


def _when(text):
    if not text:
        return None
    try:
        if "T" in text or " " in text:
            return to_utc_naive(datetime.fromisoformat(text))  # a naive time is meant as Bangkok time
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"--at {text!r} is not a date (YYYY-MM-DD) or ISO date-time") from None


def _metres(value):
    if value is None:
        return "-"
    return f"{value / 1000:.2f} km" if value >= 1000 else f"{value:.0f} m"
