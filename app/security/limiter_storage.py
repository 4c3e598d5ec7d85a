"""Rate-limit counters in the application's own database, for deployments without Redis.

Flask-Limiter's `memory://` storage counts per process: with two gunicorn workers a limit of 10 lets
up to 20 through, and with two servers more. `RATELIMIT_STORAGE_URI=database://` keeps the counters
in one table of the database every worker and server already shares; one upsert per counted request
makes the count exact. Redis (`redis://`) does the same job faster and is the recommended choice for
several servers; this storage needs no extra service.

It implements the `limits` library's Storage interface for the fixed-window strategy (Flask-Limiter's
default); it registers itself under the `database` scheme when this module is imported.
"""
import random
import time
from urllib.parse import quote, unquote

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db

# One counted request in this many also deletes counters whose window has passed, so the table stays small.
PURGE_ONE_IN = 200


class RateLimitCounter(db.Model):
    """One fixed-window counter: how many hits under this key until expires_at (seconds since the epoch)."""

    __tablename__ = "rate_limit_counters"

    key = db.Column(db.String(255), primary_key=True)
    count = db.Column(db.Integer, nullable=False)
    expires_at = db.Column(db.Float, nullable=False, index=True)


def storage_uri(database_url):
    """Return the storage URI naming this database: `database://` followed by the quoted database URL."""
    return "database://" + quote(database_url, safe="")


_TABLE = RateLimitCounter.__table__
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class DatabaseStorage(Storage):
    """Fixed-window counters in the `rate_limit_counters` table of the database at `url`."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        url = unquote((uri or "").removeprefix("database://"))
        if not url:
            raise ValueError("database:// rate-limit storage needs the database URL: see storage_uri()")
        # Its own small pool: counting must not join (or wait for) the request's open transaction.
        self._engine = sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4) \
            if not url.startswith("sqlite") else sa.create_engine(url)
        name = self._engine.dialect.name
        if name not in _INSERTS:
            raise ValueError(f"database:// rate-limit storage supports PostgreSQL and SQLite, not {name}")
        self._insert = _INSERTS[name]

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    def incr(self, key, expiry, amount=1):
        """Add amount to the key's counter, starting a new window when the last one has passed."""
        now = time.time()
        stale = _TABLE.c.expires_at <= now
        statement = self._insert(_TABLE).values(key=key, count=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(index_elements=[_TABLE.c.key], set_={
            "count": sa.case((stale, amount), else_=_TABLE.c.count + amount),
            "expires_at": sa.case((stale, now + expiry), else_=_TABLE.c.expires_at),
        }).returning(_TABLE.c.count)
        with self._engine.begin() as conn:
            count = conn.execute(statement).scalar_one()
            if random.randrange(PURGE_ONE_IN) == 0:  # nosec B311: housekeeping, not security
                conn.execute(sa.delete(_TABLE).where(_TABLE.c.expires_at <= now))
        return count

    def get(self, key):
        """Return the key's count in its current window (0 when none)."""
        with self._engine.connect() as conn:
            count = conn.execute(sa.select(_TABLE.c.count).where(_TABLE.c.key == key,
                                                                 _TABLE.c.expires_at > time.time())).scalar()
        return count or 0

    def get_expiry(self, key):
        """Return when the key's window ends (now when there is none)."""
        now = time.time()
        with self._engine.connect() as conn:
            expires = conn.execute(sa.select(_TABLE.c.expires_at).where(_TABLE.c.key == key,
                                                                        _TABLE.c.expires_at > now)).scalar()
        return expires or now

    def check(self):
        """Return True when the database answers."""
        try:
            with self._engine.connect() as conn:
                conn.execute(sa.select(1))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def reset(self):
        """Delete every counter; return how many there were."""
        with self._engine.begin() as conn:
            return conn.execute(sa.delete(_TABLE)).rowcount

    def clear(self, key):
        """Delete one key's counter."""
        with self._engine.begin() as conn:
            conn.execute(sa.delete(_TABLE).where(_TABLE.c.key == key))
