"""The dashboard benchmark imports cleanly and, on PostgreSQL, runs end to end on a small fill."""
import os
import uuid

import sqlalchemy as sa

from tests.benchutil import load_bench
from tests.conftest import requires_postgres


def test_bench_import_has_no_side_effects(capsys):
    bench = load_bench("dashboard")
    assert callable(bench.main)
    assert capsys.readouterr().out == ""


def test_bench_refuses_sqlite(capsys):
    assert load_bench("dashboard").main(["--url", "sqlite://", "--reports", "10"]) == 2


@requires_postgres()
def test_bench_runs_on_a_small_fill(capsys):
    base = os.environ["TEST_DATABASE_URL"].rsplit("/", 1)[0]
    name = f"ruamkan_bench_test_{uuid.uuid4().hex[:8]}"
    try:
        assert load_bench("dashboard").main(["--url", f"{base}/{name}", "--reports", "3000", "--runs", "3"]) == 0
        out = capsys.readouterr().out
        for figure in ("seeding (server-side", "rollups built (set-based)", "PAO-wide year", "station + drugs",
                       "incremental refresh", "size with indexes", "load average",
                       "hotspot_cells, PAO-wide year, province zoom", "zoom 3, a screen", "member's own (rollups)",
                       "triage queue first page",
                       "hotspot_cells, PAO-wide year (direct"):
            assert figure in out
    finally:
        admin = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
