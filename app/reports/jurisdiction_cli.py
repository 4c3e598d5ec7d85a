"""`flask areas publish`: a PAO's jurisdiction version from the tambon → station mapping CSV of
`flask areas import --map`, with the dry run of the open reports that would move."""
from datetime import date

import click

from app.extensions import db
from app.reports.jurisdiction_publish import preview_moves, publish_version
from app.stations.cli import BadInput, areas_cli
from app.stations.import_files import ImportFailed
from app.stations.jurisdiction import JurisdictionError, bangkok_today, draft_from_mapping, unassigned
from app.stations.services import StationDataError, find_pao


@areas_cli.command("publish")
@click.argument("pao_code")
@click.option("--map", "mapping", required=True, type=click.Path(exists=True, dir_okay=False),
              help="CSV with columns tambon_code,station_code (as for areas import --map).")
@click.option("--from", "effective", help="Day the version takes effect, YYYY-MM-DD (default: today, Bangkok).")
@click.option("--note", default="", help="Why the jurisdiction changes.")
@click.option("--dry-run", is_flag=True, help="Only list the open reports that would move; write nothing.")
def publish_areas_command(pao_code, mapping, effective, note, dry_run):
    """Publish a jurisdiction version of a PAO: its tambon assigned to stations by a mapping CSV."""
    try:
        day = date.fromisoformat(effective) if effective else bangkok_today()
    except ValueError:
        raise BadInput(f"--from {effective!r} is not a date (YYYY-MM-DD)") from None
    try:
        pao = find_pao(pao_code)
        draft, warnings = draft_from_mapping(pao, mapping)
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
