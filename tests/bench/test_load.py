"""bench/load.py runs its four phases at a tiny size and prints its figures (no timing is asserted)."""
import re

TINY = ("--clients", 3, "--duration", 1, "--reports", 20, "--workers", 2, "--no-areas")


def assert_figures(code, out):
    assert code == 0, out
    for phase in ("mix (1 members, 1 desk officers, 1 coordinators)", "filing (3 members", "floor (3 clients",
                  "minimal (3 clients"):
        assert phase in out, out
    for kind in ("member: file report", "desk: queue", "coordinator: dashboard", "file report", "floor: healthz",
                 "minimal: ok"):
        assert re.search(rf"^  {re.escape(kind)} +\d+ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +0$", out, re.M), out
    assert re.search(r"ratio \d+\.\d%", out) and "errors in all phases: 0" in out
    assert re.search(r"Ruamkan's floor \(/healthz\) [\d.]+/s = \d+\.\d% of minimal; filing is \d+\.\d% of the floor",
                     out), out


def test_load_runs_and_prints_figures_on_sqlite(run_bench):
    assert_figures(*run_bench("load", *TINY))


def test_load_runs_and_prints_figures_on_postgres(run_bench, scratch_postgres_url):
    assert_figures(*run_bench("load", *TINY, "--database-url", scratch_postgres_url))
