"""DATABASE_REPLICA_URL: read-only oversight pages read a real PostgreSQL streaming replica (a primary and its
hot standby started here with initdb and pg_basebackup -R), and the primary when the replica does not answer."""
import os
import shutil
import socket
import subprocess  # nosec B404: starts PostgreSQL's own tools with fixed arguments
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.core.replica import replica_engine, replica_reads
from app.extensions import db
from app.reports.models import Report
from config import TestConfig
from tests.conftest import require_service, requires_postgres

PG_BIN = Path("/usr/lib/postgresql/15/bin")
MAY = datetime(2026, 5, 10, 3, 0)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _app(tmp_path, primary, replica):
    config = type("ReplicaTestConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": primary, "DATABASE_REPLICA_URL": replica, "INSTANCE_DIR": str(tmp_path)})
    return create_app(config)


def test_a_replica_that_does_not_answer_leaves_reads_on_the_primary(tmp_path):
    app = _app(tmp_path, f"sqlite:///{tmp_path / 'primary.db'}",
               f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/nothing")
    with app.app_context():
        db.create_all()
        assert replica_engine() is None
        with replica_reads() as on_replica:
            assert on_replica is False
            assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 0
        assert app.extensions["ruamkan_replica"]["down_until"] > time.monotonic()  # not tried on every request
        db.session.remove()


def test_without_a_replica_url_there_is_no_replica(app, db):
    assert replica_engine() is None


class Cluster:
    """A PostgreSQL server in a folder of its own, run as the postgres OS user."""

    def __init__(self, data, port):
        self.data, self.port = Path(data), port

    @property
    def url(self):
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/ruamkan"

    def start(self):
        _as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.data / "log", "-w", "-o",
                     f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data}", "start")

    def stop(self):
        _as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)

    def sql(self, statement, database="ruamkan"):
        done = _as_postgres(PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d",
                            database, "-Atc", statement)
        return done.stdout.strip()


def _as_postgres(*command, check=True):
    command = [str(part) for part in command]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)  # nosec B603


@pytest.fixture()
def replicated():
    """A primary with a database `ruamkan` and its streaming replica (pg_basebackup -R), both on loopback."""
    if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None:
        require_service(f"PostgreSQL's server tools in {PG_BIN} and runuser")
    root = Path(tempfile.mkdtemp(prefix="ruamkan-replica-"))
    shutil.chown(root, "postgres")
    primary, replica = Cluster(root / "primary", _free_port()), Cluster(root / "replica", _free_port())
    try:
        _as_postgres(PG_BIN / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust")
        primary.start()
        primary.sql("CREATE DATABASE ruamkan", database="postgres")
        _as_postgres(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres", "-D",
                     replica.data, "-R", "-X", "stream", "-c", "fast")
        replica.start()
        assert replica.sql("SELECT pg_is_in_recovery()") == "t"
        yield primary, replica
    except subprocess.CalledProcessError as error:
        pytest.fail(f"{error.cmd}: {error.stderr}")
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(root, ignore_errors=True)


def _caught_up(primary, replica):
    target = primary.sql("SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + 30
    while replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") != "t":
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)


def _csv_rows(client):
    response = client.get("/oversight/export/reports.csv?from=2026-05&to=2026-05")
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(response.get_data(as_text=True).strip().splitlines()) - 1  # less the header


@requires_postgres()
def test_oversight_reads_the_replica_and_the_primary_once_it_is_gone(tmp_path, replicated):
    from app.categories.models import Category
    from app.categories.services import seed_categories
    from tests.accounts.helpers import sign_in
    from tests.factories import make_mou, make_pao, make_station, make_user
    from tests.oversight.helpers import filed

    primary, replica = replicated
    app = _app(tmp_path, primary.url, replica.url)
    with app.app_context():
        db.create_all()
        seed_categories()
        station = make_station(code="west", name_th="สภ.ตะวันตก", name_en="West", lat=7.2, lon=100.55)
        pao = make_pao(code="songkhla", prefix="SKA")
        make_mou(pao=pao, station=station)
        member = make_user(pao=pao, username="member")
        theft = db.session.scalar(sa.select(Category).where(Category.code == "crime.theft"))
        for _ in range(2):
            filed(member=member, station=station, category=theft, created_at=MAY)
        db.session.commit()
        client = app.test_client()
        sign_in(client, member)
        _caught_up(primary, replica)
        assert _csv_rows(client) == 2

        # Replay paused, a report filed on the primary is not on the replica yet: the page shows the replica's 2.
        replica.sql("SELECT pg_wal_replay_pause()")
        filed(member=member, station=station, category=theft, created_at=MAY)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 3  # other pages read the primary
        assert _csv_rows(client) == 2
        with replica_reads():
            assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 2
            filed(member=member, station=station, category=theft, created_at=MAY)  # writes go to the primary
            db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 4

        replica.sql("SELECT pg_wal_replay_resume()")
        _caught_up(primary, replica)
        assert _csv_rows(client) == 4

        # The replica goes away: the page answers from the primary, without an error.
        filed(member=member, station=station, category=theft, created_at=MAY)
        db.session.commit()
        replica.stop()
        assert _csv_rows(client) == 5
        db.session.remove()
        db.drop_all()
        for engine in db.engines.values():
            engine.dispose()
