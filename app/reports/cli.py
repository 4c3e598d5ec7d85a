"""`flask retention purge [--dry-run]` and `flask retention reindex-phones`."""
import click
from flask.cli import AppGroup, with_appcontext

from app.extensions import db
from app.reports.retention import BATCH, PurgeCount, ReindexCount, count_expired, purge_expired, reindex_phone_batch

retention_cli = AppGroup("retention", help="Retention of residents' personal data (PDPA).")


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what is due; change nothing.")
@with_appcontext
def purge_command(dry_run):
    """Remove residents' contacts and photo originals of reports ended longer ago than the policy allows."""
    from flask import current_app


    config = current_app.config
    click.echo(f"policy: contacts {config['RETENTION_CONTACT_DAYS']} days, photo originals "
               f"{config['RETENTION_PHOTO_ORIGINAL_DAYS']} days after a report is closed or rejected")
    if dry_run:
        click.echo(f"would purge: {count_expired()}")
        return
    total = PurgeCount()
    while True:
        done = purge_expired(batch=BATCH)
        db.session.commit()  # each batch is kept even if a later one fails
        total += done
        if done.reports < BATCH:
            break
    click.echo(f"purged: {total}")


@retention_cli.command("reindex-phones")
@with_appcontext
def reindex_phones_command():
    """Compute the blind index of every sealed resident phone (after an upgrade or a key rotation)."""

    total, last_id = ReindexCount(), 0
    while last_id is not None:
        last_id, count = reindex_phone_batch(last_id)
        db.session.commit()
        total.checked += count.checked
        total.updated += count.updated
        total.unreadable += count.unreadable
    click.echo(f"phones: checked {total.checked}, updated {total.updated}, unreadable {total.unreadable}")


def register_retention_cli(app):
    """Register `flask retention`."""
    app.cli.add_command(retention_cli)
