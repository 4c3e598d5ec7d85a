"""`flask adminareas import FILE --level tambon`."""
import click
from flask.cli import with_appcontext

from app.extensions import db


@click.group("adminareas")
def adminareas_cli():
    """Tambon and amphoe boundaries used to name the place of a report."""


@adminareas_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--level", type=click.Choice(["tambon", "amphoe"]), default="tambon", show_default=True)
@with_appcontext
def import_command(path, level):
    """Create or update administrative areas from a GeoJSON file (HDX COD-AB properties)."""
    from app.reports.adminareas import AdminAreaImportError, import_admin_areas

    try:
        written = import_admin_areas(path, level=level)
    except (AdminAreaImportError, OSError, ValueError, KeyError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{level}: {written} areas written")
