"""`flask sealing new-key | rotate | check`: rotate the key that seals residents' personal data."""
import sys

import click
from cryptography.fernet import Fernet
from flask.cli import with_appcontext

from app.extensions import db
from app.security.rotation import rotate_sealed_data

sealing_cli = click.Group("sealing", help="Rotate the sealing key (see OPERATIONS.md).")


def _print(count, verb):
    for bucket, label in (("rotated", verb), ("current", "already under the first key"),
                          ("unreadable", "UNREADABLE with every configured key")):
        for kind, n in sorted(getattr(count, bucket).items()):
            click.echo(f"  {kind:40} {n:8}  {label}")
    click.echo(f"total: {count.total('rotated')} {verb}, {count.total('current')} current, "
               f"{count.total('unreadable')} unreadable")


@sealing_cli.command("new-key")
def new_key_command():
    """Print a fresh Fernet key to put first in SEALING_KEY."""
    click.echo(Fernet.generate_key().decode("ascii"))


@sealing_cli.command("rotate")
@click.option("--dry-run", is_flag=True, help="Count what would be re-sealed; change nothing.")
@with_appcontext
def rotate_command(dry_run):
    """Re-seal every token and photo original under the first key in SEALING_KEY."""
    count = rotate_sealed_data(dry_run=dry_run)
    db.session.commit()
    _print(count, "would be re-sealed" if dry_run else "re-sealed")
    if count.total("unreadable"):
        sys.exit(1)


@sealing_cli.command("check")
@with_appcontext
def check_command():
    """Count tokens still sealed under an older key; exit 1 when any remain or cannot be read."""
    count = rotate_sealed_data(dry_run=True)
    _print(count, "still under an older key")
    if count.total("rotated") or count.total("unreadable"):
        sys.exit(1)
