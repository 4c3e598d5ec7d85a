"""`flask storage migrate --to URL` (copy every file to another store, verified) and `flask storage check`."""
import hashlib

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.core.storage import expected_keys, get_storage, storage_from_url

storage_cli = AppGroup("storage", help="File storage: photos, sealed originals, exports, signed MOU documents.")


def _digest(data):
    return hashlib.sha256(data).hexdigest()


def migrate_files(source, target, echo=lambda line: None):
    """Copy every file from source to target and read each back to compare; return (copied, skipped, failed)."""
    copied = skipped = failed = 0
    for key in source.keys():
        data = source.read(key)
        if target.exists(key) and _digest(target.read(key)) == _digest(data):
            skipped += 1
            continue
        target.save(key, data)
        if _digest(target.read(key)) == _digest(data):
            copied += 1
        else:
            failed += 1
            echo(f"MISMATCH {key}")
    return copied, skipped, failed


def check_files(storage, expected):
    """Return (keys rows expect but storage lacks, keys stored that no row expects), each sorted."""
    stored = set(storage.keys())
    missing = sorted(key for key in expected if key not in stored)
    orphans = sorted(key for key in stored if key not in expected)
    return missing, orphans


@storage_cli.command("migrate")
@click.option("--to", "target_url", required=True, help="Where to copy: s3://bucket/prefix or file:///path.")
@with_appcontext
def migrate_command(target_url):
    """Copy every stored file to another store and verify each copy (then set STORAGE_URL to it)."""
    source, target = get_storage(), storage_from_url(target_url, current_app.config)
    click.echo(f"copying {source.url} -> {target.url}")
    copied, skipped, failed = migrate_files(source, target, click.echo)
    click.echo(f"copied {copied}, already there {skipped}, failed {failed}")
    if failed:
        raise SystemExit(1)
    click.echo(f"verified. Now set STORAGE_URL={target_url} on every server and worker, and restart them.")


@storage_cli.command("check")
@click.option("--list", "show", is_flag=True, help="Print every key found wrong.")
@with_appcontext
def check_command(show):
    """Find rows whose files are missing and files no row refers to (exit 1 when rows lack files)."""
    storage = get_storage()
    expected = expected_keys(current_app)
    missing, orphans = check_files(storage, expected)
    click.echo(f"{storage.url}: {len(expected)} files expected, {len(missing)} missing, {len(orphans)} without a row")
    if show:
        for key in missing:
            click.echo(f"missing ({expected[key]}): {key}")
        for key in orphans:
            click.echo(f"no row: {key}")
    if missing:
        raise SystemExit(1)
