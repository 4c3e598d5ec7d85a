"""`flask areas publish`: a PAO's jurisdiction version from the tambon → station mapping CSV of
`flask areas import --map` (or its draft as it is), with the dry run of the open reports that would move;
`flask areas parts`: parts of tambon given to other stations, from GeoJSON into the draft."""
import os
from datetime import date

import click

from app.extensions import db
from app.reports.jurisdiction_publish import preview_moves, publish_version
from app.stations.cli import BadInput, areas_cli
from app.stations.import_files import ImportFailed
from app.stations.jurisdiction import JurisdictionError, bangkok_today, draft_from_mapping, get_draft, unassigned
from app.stations.jurisdiction_parts import MAX_FILE_BYTES, import_parts, part_overlaps
from app.stations.services import StationDataError, find_pao


@areas_cli.command("publish")
@click.argument("pao_code")
@click.option("--map", "mapping", type=click.Path(exists=True, dir_okay=False),
              help="CSV with columns tambon_code,station_code (as for areas import --map); "
                   "without it the PAO's draft (editor, areas parts) is published as it is.")
@click.option("--from", "effective", help="Day the version takes effect, YYYY-MM-DD (default: today, Bangkok).")
@click.option("--note", default="", help="Why the jurisdiction changes.")
@click.option("--dry-run", is_flag=True, help="Only list the open reports that would move; write nothing.")
def publish_areas_command(pao_code, mapping, effective, note, dry_run):
    """Publish a jurisdiction version of a PAO: its tambon assigned to stations by a mapping CSV, or its draft."""
    try:
        day = date.fromisoformat(effective) if effective else bangkok_today()
    except ValueError:
        raise BadInput(f"--from {effective!r} is not a date (YYYY-MM-DD)") from None
    try:
        pao = find_pao(pao_code)
        draft, warnings = draft_from_mapping(pao, mapping) if mapping else (get_draft(pao), [])
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        missing = unassigned(draft)
        if missing:
            click.echo(f"warning: {len(missing)} tambon have no station: "
                       + ", ".join(t.code for t in missing[:10]), err=True)
        moves = preview_moves(draft, day)
        for report, decision in moves:
            now_with = report.station.code if report.station else "coordinator"
            click.echo(f"would move {report.reference_number}: {now_with} -> {decision.station_code or 'coordinator'}")
        if dry_run:
            db.session.rollback()
            click.echo(f"dry run: {len(moves)} open report(s) would move; nothing written")
            return
        version = publish_version(draft, day, actor=None, note=note)
    except ImportFailed as error:
        db.session.rollback()
        raise BadInput("nothing was written:\n  " + "\n  ".join(error.messages)) from error
    except (JurisdictionError, StationDataError) as error:
        db.session.rollback()
        raise BadInput(str(error)) from error
    db.session.commit()
    moved = "on its day" if version.moved_reports is None else version.moved_reports
    click.echo(f"version {version.number} of {pao.code} published, in force from {day}; "
               f"open reports moved: {moved}")


@areas_cli.command("parts")
@click.argument("pao_code")
@click.argument("geojson", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Drop the draft's parts first.")
def import_parts_command(pao_code, geojson, replace):
    """Add parts of tambon given to other stations to a PAO's draft, from GeoJSON features with a 'station'
    code (and optionally a 'tambon' code); publish them with `flask areas publish PAO`."""
    try:
        pao = find_pao(pao_code)
        draft = get_draft(pao)
        if replace:
            draft.parts.clear()
        with open(geojson, "rb") as handle:
            made = import_parts(draft, handle.read(MAX_FILE_BYTES + 1), os.path.basename(geojson))
    except (JurisdictionError, StationDataError) as error:
        db.session.rollback()
        raise BadInput("nothing was written:\n  " + "\n  ".join(getattr(error, "lines_en", [str(error)]))) from error
    for a, b in part_overlaps(draft):
        click.echo(f"warning: parts in tambon {a.tambon_code} and {b.tambon_code} ({a.station.code}, "
                   f"{b.station.code}) overlap", err=True)
    db.session.commit()
    click.echo(f"{len(made)} part(s) added to the draft of {pao.code}; it has {len(draft.parts)} part(s)")
