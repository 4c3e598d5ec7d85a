"""`flask storage import-mou-documents`: bring signed MOUs from their old folder into the shared file store."""
import click
from flask.cli import with_appcontext

from app.core.storage import get_storage
from app.stations.mou_documents import import_legacy_documents, legacy_document_folder


@click.command("import-mou-documents")
@click.option("--from", "folder", type=click.Path(file_okay=False),
              help="The old folder (default: MOU_DOCUMENT_DIR, else instance/mou_documents).")
@with_appcontext
def import_mou_documents_command(folder):
    """Copy the signed MOU documents from the folder they lived in before STORAGE_URL into the file store,
    verifying each copy (run once after upgrading, on one server; running it again copies nothing)."""
    folder = folder or legacy_document_folder()
    click.echo(f"copying MOU documents {folder} -> {get_storage().url}")
    copied, stored, absent, failed = import_legacy_documents(folder, click.echo)
    click.echo(f"copied {copied}, already there {stored}, in neither {absent}, failed {failed}")
    if absent or failed:
        raise SystemExit(1)
    click.echo(f"verified. {folder} is no longer read: keep it with the old backups, then remove it.")
