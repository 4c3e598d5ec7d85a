"""Heavy read-only oversight pages and exports read from a PostgreSQL streaming replica, when one is set.

DATABASE_REPLICA_URL names the replica (a hot standby of the primary, e.g. made with `pg_basebackup -R`).
Unset, everything reads the primary. A page marked @reads_from_replica (or code inside `with replica_reads():`)
sends its plain SELECTs to the replica; writes, flushes and SELECT ... FOR UPDATE stay on the primary
(app/extensions.py). A replica that does not answer is skipped for RETRY_SECONDS and the primary answers
instead, so a lost replica slows reports down but never breaks them. The replica lags the primary by its
replication delay: only pages where a figure a few seconds old is fine may use it.

The replica's engine is the app's own, not a Flask-SQLAlchemy bind: a bind would be created, dropped and
checked by db.create_all()/drop_all(), which must never touch a standby.
"""
import functools
import logging
import time
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app, g, request
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)
RETRY_SECONDS = 30


def init_replica(app):
    """Make the replica's engine when DATABASE_REPLICA_URL is set."""
    url = app.config.get("DATABASE_REPLICA_URL")
    if url:
        timeout = app.config["DATABASE_REPLICA_TIMEOUT"]
        engine = sa.create_engine(url, pool_pre_ping=True,
                                  connect_args={"connect_timeout": timeout} if url.startswith("postgresql") else {})
        app.extensions["ruamkan_replica"] = {"engine": engine, "down_until": 0.0}


def replica_engine():
    """Return the replica's engine when one is configured and answers, else None (then the primary reads).
    A failed try is not repeated for RETRY_SECONDS."""
    state = current_app.extensions.get("ruamkan_replica")
    if state is None or time.monotonic() < state["down_until"]:
        return None
    try:
        with state["engine"].connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except DBAPIError as error:
        state["down_until"] = time.monotonic() + RETRY_SECONDS
        log.warning("read replica unavailable, reading the primary for %d s: %s", RETRY_SECONDS, error)
        return None
    return state["engine"]


@contextmanager
def replica_reads():
    """Within the block, plain SELECTs go to the replica when it answers (else to the primary); yield whether
    they do."""
    before = g.get("read_replica")
    g.read_replica = replica_engine()
    try:
        yield g.read_replica is not None
    finally:
        g.read_replica = before


def reads_from_replica(view):
    """Mark a read-only view: its SELECTs go to the replica for the whole request, a streamed CSV's too (the
    choice rides on the request, which a streamed body keeps after the view returned)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request.read_replica = replica_engine()
        return view(*args, **kwargs)
    return wrapper
