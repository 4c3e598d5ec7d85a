"""Reference numbers {PAO prefix}-{BE year}-{6 digits}, gap-free per PAO and Buddhist Era year."""
import re
import secrets

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite

from app.core.timeutil import be_year, to_bangkok
from app.extensions import db
from app.reports.models import ReferenceCounter

# No 0/O, 1/I/L: the secret is read aloud and typed from paper.
_SECRET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SECRET_LENGTH = 8


def reference_year(created_at):
    """Return the Buddhist Era year of a stored UTC time, on the Asia/Bangkok calendar."""
    return be_year(to_bangkok(created_at).year)


def next_reference_value(pao_id, year_be):
    """Increment and return the PAO's counter for the year, in the caller's transaction.

    One upsert statement: the row lock it takes is held until commit, so concurrent submits
    queue behind each other, and a rolled-back submit rolls its number back too (no gap).
    """
    dialect = db.session.get_bind().dialect.name
    statement = _UPSERTS[dialect] if dialect in _UPSERTS else _upsert(dialect)
    return db.session.execute(statement, {"pao_id": pao_id, "year_be": year_be}).scalar_one()


_UPSERTS = {}


def _upsert(dialect):
    # Built once per dialect: building it cost as much as running it.
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        raise RuntimeError(f"reference numbers need PostgreSQL or SQLite, not {dialect}")
    table = ReferenceCounter.__table__
    statement = _UPSERTS[dialect] = (
        insert(table)
        .values(pao_id=bindparam("pao_id"), year_be=bindparam("year_be"), last_value=1)
        .on_conflict_do_update(index_elements=[table.c.pao_id, table.c.year_be],
                               set_={"last_value": table.c.last_value + 1})
        .returning(table.c.last_value)
    )
    return statement


def format_reference(prefix, year_be, value):
    """Return the reference text, e.g. SKA-2569-000123."""
    return f"{prefix}-{year_be}-{value:06d}"


def issue_reference(pao, created_at):
    """Return the next reference number of a PAO for the year of created_at."""
    year_be = reference_year(created_at)
    return format_reference(pao.reference_prefix, year_be, next_reference_value(pao.id, year_be))


def new_tracking_secret():
    """Return a short random secret the resident types with the reference number."""
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def normalise_secret(text):
    """Return a typed secret in canonical form (upper case, no spaces or dashes)."""
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())[:32]
