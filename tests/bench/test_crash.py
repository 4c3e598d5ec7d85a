"""bench/crash.py: no acknowledged report is lost or doubled across SIGKILLs, and the check itself can fail."""
import re

import pytest

COUNTS = re.compile(r"sent (\d+)  acknowledged (\d+)  attempts (\d+)  retries (\d+)  kills (\d+)  gave up (\d+)  "
                    r"rejected (\d+)")
DATABASE = re.compile(r"database: reports (\d+)  found (\d+)  lost (\d+)  doubled (\d+)  never sent (\d+)  "
                      r"mismatched (\d+)")
TINY = ("--clients", 4, "--submissions", 24, "--kills", 2, "--workers", 2)


def figures(out):
    """Return the script's counts as two dicts, failing with its output when they are missing."""
    counts, database = COUNTS.search(out), DATABASE.search(out)
    assert counts and database, out
    names = ("sent", "acknowledged", "attempts", "retries", "kills", "gave_up", "rejected")
    db_names = ("reports", "found", "lost", "doubled", "never_sent", "mismatched")
    return (dict(zip(names, map(int, counts.groups()), strict=True)),
            dict(zip(db_names, map(int, database.groups()), strict=True)))


def assert_survived(code, out):
    assert code == 0, out
    counts, database = figures(out)
    assert counts["sent"] == counts["acknowledged"] == 24
    assert counts["kills"] == 2 and counts["retries"] > 0  # the kills really cut requests off
    assert counts["attempts"] == counts["sent"] + counts["retries"]
    assert counts["gave_up"] == counts["rejected"] == 0
    assert database == {"reports": 24, "found": 24, "lost": 0, "doubled": 0, "never_sent": 0, "mismatched": 0}
    assert "OK: every acknowledged submission is stored exactly once" in out


def test_crash_keeps_every_report_once_on_sqlite(run_bench):
    assert_survived(*run_bench("crash", *TINY))


def test_crash_keeps_every_report_once_on_postgres(run_bench, scratch_postgres_url):
    assert_survived(*run_bench("crash", *TINY, "--database-url", scratch_postgres_url))


@pytest.mark.parametrize("fault, problem", [("lose", "LOST"), ("double", "DOUBLED")])
def test_crash_check_fails_on_a_lost_or_doubled_report(run_bench, fault, problem):
    code, out = run_bench("crash", "--clients", 2, "--submissions", 6, "--kills", 0, "--workers", 2,
                          "--fault", fault)
    assert code == 1, out
    _counts, database = figures(out)
    assert database["lost" if fault == "lose" else "doubled"] == 1
    assert re.search(rf"^  {problem} ", out, re.M), out
    assert f"FAIL: 1 {'lost' if fault == 'lose' else 'doubled'}" in out


def test_crash_refuses_a_non_postgres_url(run_bench):
    code, out = run_bench("crash", "--database-url", "mysql://nobody@localhost/x")
    assert code == 2 and "must be a PostgreSQL URL" in out
