"""Run a bench script as a subprocess, as an operator would, and a scratch PostgreSQL database for it."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture()
def run_bench():
    """Return a function that runs bench/<name>.py with arguments and returns (exit code, output)."""
    def run(name, *args, timeout=240):
        done = subprocess.run([sys.executable, str(BENCH / f"{name}.py"), *map(str, args)], capture_output=True,
                              text=True, timeout=timeout)
        return done.returncode, done.stdout + done.stderr
    return run


@pytest.fixture()
def scratch_postgres_url():
    """The URL of a database beside TEST_DATABASE_URL's that the script creates and drops; dropped here too."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: set TEST_DATABASE_URL to a PostgreSQL database")
    base = url.rsplit("/", 1)[0]
    name = f"ruamkan_bench_{uuid.uuid4().hex[:8]}"
    yield f"{base}/{name}"
    admin = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()
