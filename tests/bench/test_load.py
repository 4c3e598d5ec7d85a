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


PEAK = ("--peak", "--clients", 4, "--duration", 3, "--rate-scale", 0.05, "--reports", 20, "--workers", 1,
        "--no-areas")
PEAK_KINDS = ("member: form page", "member: file report", "member: receipt", "desk: queue", "desk: report page",
              "coordinator: dashboard")


def assert_peak_figures(code, out):
    assert code == 0, out
    assert "2 gunicorn servers x 1 workers sharing one database" in out, out
    assert re.search(r"x13 in one hour = 149,500 filings = 41\.5 filings/s", out), out
    for kind in PEAK_KINDS:
        assert re.search(rf"^  {re.escape(kind)} +[1-9]\d* +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +0$", out, re.M), out
    assert re.search(r"^filings \d+ = [\d.]+/s of 2\.1/s scheduled; schedule lag p95", out, re.M), out
    assert re.search(r"^server CPU: [\d.]+ s in 2 gunicorn workers = [\d.]+ ms per filing", out, re.M), out
    assert "errors: 0" in out and re.search(r"peak: \d+ requests .* errors 0,", out), out


def test_peak_runs_against_two_servers_and_reports_each_endpoint_on_sqlite(run_bench):
    assert_peak_figures(*run_bench("load", *PEAK))


def test_peak_runs_against_two_servers_and_reports_each_endpoint_on_postgres(run_bench, scratch_postgres_url):
    assert_peak_figures(*run_bench("load", *PEAK, "--database-url", scratch_postgres_url))
