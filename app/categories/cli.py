"""`flask categories ...` commands."""
import click
from flask.cli import AppGroup

from app.categories.models import Category
from app.categories.services import seed_categories
from app.extensions import db

categories_cli = AppGroup("categories", help="Manage report categories.")


@categories_cli.command("seed")
def seed_categories_command():
    """Create the standard category tree where missing (safe to run again)."""
    created = seed_categories()
    db.session.commit()
    total = db.session.scalar(db.select(db.func.count(Category.id)))
    click.echo(f"categories: {created} created, {total} in total")
