"""`flask` commands for rolling out PAOs, stations, areas and MOUs, and for trying the routing."""
import json
from datetime import date, datetime

import click
from flask.cli import AppGroup

from app.core.timeutil import to_utc_naive
from app.extensions import db
from app.stations.importers import ImportFailed, import_areas, import_mous, import_stations
from app.stations.services import StationDataError, create_pao, find_pao, find_station, set_coordinator

pao_cli = AppGroup("pao", help="Manage PAOs (tenants).")
stations_cli = AppGroup("stations", help="Manage police stations.")
areas_cli = AppGroup("areas", help="Manage jurisdiction areas.")
mou_cli = AppGroup("mou", help="Manage MOUs between a PAO and stations.")

_FILE = click.Path(exists=True, dir_okay=False, readable=True)


class BadInput(click.ClickException):
    """Input the command cannot use: exit status 2, like a usage error, without the usage text."""

    exit_code = 2


def register_station_cli(app):
    """Register the station, PAO, area, MOU and route commands."""
    for group in (pao_cli, stations_cli, areas_cli, mou_cli, route_cli):
        app.cli.add_command(group)


def _commit_or_fail(work):
    """Run work(); commit on success, roll back and exit 2 with every message on bad data."""
    try:
        result = work()
    except ImportFailed as error:
        db.session.rollback()
        raise BadInput("import failed, nothing was written:\n  " + "\n  ".join(error.messages)) from error
    except StationDataError as error:
        db.session.rollback()
        raise BadInput(str(error)) from error
    db.session.commit()
    return result


def _echo_warnings(warnings):
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)





@pao_cli.command("create")
@click.argument("code")
@click.option("--name-th", required=True, help="Thai name.")
@click.option("--name-en", required=True, help="English name.")
@click.option("--prefix", required=True, help="Reference-number prefix, 2-8 capital letters.")
@click.option("--coordinator", "coordinator_code", help="Code of the coordinating station.")
def create_pao_command(code, name_th, name_en, prefix, coordinator_code):
    """Create a PAO with its reference prefix and optional coordinating station."""
    pao = _commit_or_fail(lambda: create_pao(code=code, name_th=name_th, name_en=name_en, prefix=prefix,
                                             coordinator_code=coordinator_code))
    click.echo(f"created PAO {pao.code} (prefix {pao.reference_prefix}, coordinator "
               f"{pao.coordinator_station.code if pao.coordinator_station else 'none'})")


@pao_cli.command("set-coordinator")
@click.argument("code")
@click.argument("station_code")
def set_coordinator_command(code, station_code):
    """Make a station the PAO's coordinating station."""
    _commit_or_fail(lambda: set_coordinator(find_pao(code), find_station(station_code)))
    click.echo(f"PAO {code}: coordinating station is now {station_code}")


@stations_cli.command("import")
@click.argument("path", type=_FILE)
def import_stations_command(path):
    """Create or update stations from a CSV file (code,name_th,name_en,lat,lon,phone)."""
    result = _commit_or_fail(lambda: import_stations(path))
    _echo_warnings(result.warnings)
    click.echo(f"stations: {result.created} created, {result.updated} updated, {result.unlocated} without location")


@areas_cli.command("import")
@click.argument("path", type=_FILE)
@click.option("--key", required=True, help="Feature property holding the station code, or the mapped value.")
@click.option("--map", "mapping", type=_FILE, help="CSV with columns <key>,station_code.")
def import_areas_command(path, key, mapping):
    """Replace stations' jurisdiction areas from a GeoJSON FeatureCollection (WGS84)."""
    result = _commit_or_fail(lambda: import_areas(path, key=key, mapping_path=mapping))
    _echo_warnings(result.warnings)
    click.echo(f"areas: {result.areas_written} written from {result.features_read} features "
               f"({result.features_skipped} skipped), {len(result.warnings)} warning(s)")


@mou_cli.command("import")
@click.argument("path", type=_FILE)
@click.option("--pao", "pao_code", help="PAO code; may be left out when only one PAO exists.")
def import_mous_command(path, pao_code):
    """Create or update a PAO's MOUs from a CSV file; a row with the same station and start updates."""
    result = _commit_or_fail(lambda: import_mous(path, pao_code=pao_code))
    _echo_warnings(result.warnings)
    click.echo(f"MOUs of {result.pao_code}: {result.created} created, {result.updated} updated, "
               f"{result.unchanged} unchanged")


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
    from app.reports.routing_service import preview_route
    from app.routing import RoutingInputError

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
    from app.reports.routing_service import reroute_open_reports

    moved = _commit_or_fail(lambda: reroute_open_reports(pao=find_pao(pao_code) if pao_code else None))
    click.echo(f"re-routed {moved} open report(s)")


def _pao_code(code):
    if code:
        return code  # the engine says clearly when it is unknown
    from app.stations.models import Pao

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
