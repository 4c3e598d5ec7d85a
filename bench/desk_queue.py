"""Benchmark the station queue: first page, a page 50 deep by keyset cursors, a filtered search.

Fills PostgreSQL (a database it creates) with synthetic reports over 1,500 stations using COPY, and
SQLite with executemany batches, then times app.triage.queries.queue_page, the function the view
calls, p50/p95 over --runs runs each. Station sizes are skewed (a few big city stations, many small
ones); older reports are mostly closed, as in a system that has run for three years.

Run: python bench/desk_queue.py [--database-url URL] [--reports 2000000] [--sqlite-reports 300000]
                           [--stations 1500] [--runs 50] [--reuse] [--skip-sqlite] [--skip-postgres]
Prints figures; it is not a test.
"""
from __future__ import annotations

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys
import tempfile  # noqa: E402
import time  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench._queue_seed import (  # noqa: E402
    NOW,
    create_pg_database,
    existing_ids,
    fill_postgres,
    fill_sqlite,
    make_app,
)

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/ruamkan_bench_queue"
DEFAULT_SQLITE = str(Path(tempfile.gettempdir()) / "ruamkan_bench_queue.sqlite")
TARGET_FIRST_PAGE_P95_MS = 30.0
def timed(func, runs):
    """Return (p50, p95, max) in milliseconds of `runs` calls, after two warm-up calls."""
    from app.extensions import db

    for _ in range(2):
        func()
        db.session.rollback()
        db.session.expunge_all()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
        db.session.expunge_all()  # each request starts with an empty identity map
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)], samples[-1]


def _page(user_id, filters, cursor=None):
    """Load one queue page of a desk officer (inside the app context)."""
    from app.accounts.models import User
    from app.extensions import db
    from app.triage.queries import queue_page

    return queue_page(db.session.get(User, user_id), filters, cursor=cursor, now=NOW)


def _counts(user_id):
    """Count a desk officer's queue per status."""
    from app.accounts.models import User
    from app.extensions import db
    from app.triage.queries import status_counts

    return status_counts(db.session.get(User, user_id))


def measure(app, ids, label, runs):
    """Time the queue of the biggest and of a median station: first page, page 50, a filtered search."""
    from app.accounts.models import User
    from app.extensions import db
    from app.reports.models import Report
    from app.triage.queries import QueueFilters, queue_page

    with app.app_context():
        sizes = dict(db.session.execute(db.select(Report.station_id, db.func.count())
                                        .group_by(Report.station_id)).all())
        ranked = sorted(sizes, key=sizes.get, reverse=True)
        picks = {"biggest": ranked[0], "median": ranked[len(ranked) // 2]}
        print(f"\n{label}: {sum(sizes.values()):,} reports over {len(sizes):,} stations; "
              f"biggest {sizes[ranked[0]]:,}, median {sizes[picks['median']]:,}")
        results = {}
        for kind, station_id in picks.items():
            user = db.session.get(User, ids["desks"][station_id])
            user_id = user.id
            every = QueueFilters(status="all")
            search = QueueFilters(status="all", priority="high", q="โรงเรียน")

            cursor, depth = None, 0
            while depth < 49:  # follow the cursors to the start of page 50
                page = queue_page(db.session.get(User, user_id), every, cursor=cursor, now=NOW)
                if not page.next_cursor:
                    break
                cursor, depth = page.next_cursor, depth + 1
            open_rows = len(queue_page(db.session.get(User, user_id), QueueFilters(), now=NOW, size=100_000).rows)
            # partial binds this station's values now, not when the loop has moved on
            cases = {
                "first page (open)": partial(_page, user_id, QueueFilters()),
                f"page {depth + 1} by cursor (all)": partial(_page, user_id, every, cursor),
                "search (high, word)": partial(_page, user_id, search),
                "counts per status": partial(_counts, user_id),
            }
            print(f"  {kind} station ({sizes[station_id]:,} reports, {open_rows:,} open):")
            for name, func in cases.items():
                p50, p95, worst = timed(func, runs)
                results[(kind, name)] = p95
                print(f"    {name:28} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   max {worst:7.2f} ms")
        return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--reports", type=int, default=2_000_000)
    parser.add_argument("--sqlite-path", default=DEFAULT_SQLITE)
    parser.add_argument("--sqlite-reports", type=int, default=300_000)
    parser.add_argument("--stations", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="Time the databases as they are; do not fill them.")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args(argv)

    if not args.skip_postgres:
        if not args.reuse:
            create_pg_database(args.database_url)
        app = make_app(args.database_url)
        app.config["BENCH_STATIONS"] = args.stations
        ids = existing_ids(app) if args.reuse else fill_postgres(app, args.reports)
        results = measure(app, ids, "PostgreSQL", args.runs)
        worst = max(results[(kind, "first page (open)")] for kind in ("biggest", "median"))
        verdict = "meets" if worst <= TARGET_FIRST_PAGE_P95_MS else "MISSES"
        print(f"  first page p95 {worst:.2f} ms {verdict} the target of {TARGET_FIRST_PAGE_P95_MS:.0f} ms")
    if not args.skip_sqlite:
        path = Path(args.sqlite_path)
        if not args.reuse and path.exists():
            path.unlink()
        app = make_app(f"sqlite:///{path}")
        app.config["BENCH_STATIONS"] = args.stations
        ids = existing_ids(app) if args.reuse else fill_sqlite(app, args.sqlite_reports)
        measure(app, ids, "SQLite", args.runs)


if __name__ == "__main__":
    main()
