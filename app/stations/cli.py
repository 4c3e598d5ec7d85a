"""`flask` commands for rolling out PAOs, stations, areas and MOUs, and for trying the routing."""

import click
from flask.cli import AppGroup

from app.extensions import db
from app.stations.adminareas import AdminAreaImportError, import_admin_areas
from app.stations.importers import ImportFailed, import_areas, import_mous, import_stations
from app.stations.provinces import create_all_paos
from app.stations.services import StationDataError, create_pao, find_pao, find_station, set_coordinator, set_province

pao_cli = AppGroup("pao", help="Manage PAOs (tenants).")
stations_cli = AppGroup("stations", help="Manage police stations.")
areas_cli = AppGroup("areas", help="Manage jurisdiction areas.")
mou_cli = AppGroup("mou", help="Manage MOUs between a PAO and stations.")

_FILE = click.Path(exists=True, dir_okay=False, readable=True)


class BadInput(click.ClickException):
    """Input the command cannot use: exit status 2, like a usage error, without the usage text."""

    exit_code = 2


def register_station_cli(app):
    """Register the station, PAO, area, MOU and administrative-area commands, and the MOU document import
    under `flask storage`."""
    from app.core.storage_cli import storage_cli
    from app.stations.mou_documents_cli import import_mou_documents_command

    for group in (pao_cli, stations_cli, areas_cli, mou_cli, adminareas_cli):
        app.cli.add_command(group)
    storage_cli.add_command(import_mou_documents_command)


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


@pao_cli.command("set-province")
@click.argument("code")
@click.argument("province_code")
@click.option("--name-th", help="Thai name of the province (default: from the imported tambon).")
@click.option("--name-en", help="English name of the province (default: from the imported tambon).")
def set_province_command(code, province_code, name_th, name_en):
    """Set the province a PAO serves (DOPA code): pins outside it must be confirmed and are flagged."""
    pao = _commit_or_fail(lambda: set_province(find_pao(code), province_code, name_th=name_th, name_en=name_en))
    click.echo(f"PAO {pao.code} serves province {pao.province_code} ({pao.province_th} / {pao.province_en})")


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


adminareas_cli = AppGroup("adminareas", help="Tambon and amphoe boundaries used to name the place of a report.")


@adminareas_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--level", type=click.Choice(["tambon", "amphoe"]), default="tambon", show_default=True)
@click.option("--province", help="Two-digit province code: import only that province (e.g. from the national file).")
def import_command(path, level, province):
    """Create or update administrative areas from a GeoJSON file (HDX COD-AB properties), e.g. the national
    tambon file (7,425 tambon) whole or one province of it."""
    try:
        written = import_admin_areas(path, level=level, province=province)
    except (AdminAreaImportError, OSError, ValueError, KeyError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{level}: {written} areas written")


@pao_cli.command("create-all")
def create_all_command():
    """Create one PAO per province of the imported tambon (Bangkok has none); set coordinators later."""
    result = _commit_or_fail(create_all_paos)
    for pao in result.created:
        click.echo(f"{pao.province_code}\t{pao.code}\t{pao.reference_prefix}\t{pao.name_th}")
    click.echo(f"{len(result.created)} PAOs created, {len(result.existing)} provinces already had one", err=True)
