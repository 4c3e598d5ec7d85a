"""Crash test: SIGKILL gunicorn (master and workers) while members file reports; none may be lost or doubled.

Sets up a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database of
--database-url, which is DROPPED and re-created, then dropped at the end), migrates it with
`flask db upgrade`, seeds the demo PAO and one council member per client, and serves the app with
gunicorn (rate limits off). Client threads file reports, half through the JSON API (Bearer token,
Idempotency-Key header) and half through the HTML form (signed-in session, CSRF token, hidden
idempotency_key), each with its own key and a unique marker in the narrative. A killer thread
SIGKILLs the whole process group at random moments and restarts it; clients resend every
submission that was not acknowledged (network error, 5xx, timeout) with the SAME key until it is.
Then the database is checked directly: every acknowledged submission is stored exactly once (by
key and by marker), as the report the client was told about, and nothing is stored that was never sent.

Run: python bench/crash.py [--database-url URL] [--clients 6] [--submissions 300] [--kills 5] [--seed 1]
                           [--workers 3] [--paths api,form] [--fault lose|double] [--keep]
Prints counts; exits 1 when anything is lost, doubled or unknown (--fault makes sure the check can fail).
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from bench._crash_check import inject_fault, verify  # noqa: E402
from bench._crash_clients import Killer, Tally, plan_submissions, run_client  # noqa: E402
from bench._server import (  # noqa: E402
    Gunicorn,
    drop_database,
    engine_name,
    free_port,
    migrate,
    scratch_database,
    server_env,
    stop_on_sigterm,
)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL of a scratch database (dropped and re-created); default: SQLite")
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--submissions", type=int, default=300, help="in all, shared among the clients")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--paths", default="api,form", help="api, form or both (clients alternate)")
    parser.add_argument("--give-up", type=float, default=60.0,
                        help="seconds without any acknowledgement before the clients give up")
    parser.add_argument("--fault", choices=("lose", "double"), default=None,
                        help="delete one acknowledged report, or store a copy under a new key, before the check")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary folder")
    args = parser.parse_args(argv)
    args.paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    if not args.paths or set(args.paths) - {"api", "form"}:
        parser.error("--paths takes api, form or api,form")
    if args.database_url and not args.database_url.startswith("postgresql"):
        parser.error("--database-url must be a PostgreSQL URL; leave it out to use a SQLite file")
    if args.clients < 1 or args.submissions < 1 or args.kills < 0:
        parser.error("--clients and --submissions must be at least 1, --kills at least 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    stop_on_sigterm()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="ruamkan_crash_"))
    url = scratch_database(args.database_url, workdir, "crash")
    server = None
    try:
        migrate(url, workdir)
        from bench._seed import bench_app, seed_people
        seeded = seed_people(bench_app(url, workdir), members=args.clients, desks=0, coordinators=0, tokens=True)
        server = Gunicorn("wsgi:app", env=server_env(url, workdir), workers=args.workers, port=free_port(),
                          log_path=workdir / "gunicorn.log")
        server.start(ready_path="/accounts/login")
        plans = plan_submissions(args, seeded, rng)
        tally = Tally(total=sum(len(p.submissions) for p in plans))
        print(f"crash test on {engine_name(url)}: {args.workers} gunicorn workers, {args.clients} clients "
              f"({', '.join(f'{sum(p.path == path for p in plans)} {path}' for path in args.paths)}), "
              f"{tally.total} submissions, {args.kills} kills planned, seed {args.seed}", flush=True)
        started = time.monotonic()
        killer = Killer(server, tally, kills=args.kills, rng=random.Random(rng.random()))
        threads = [threading.Thread(target=run_client, args=(plan, server.port, tally, args.give_up), daemon=True)
                   for plan in plans]
        killer.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        tally.finish()
        killer.join()
        elapsed = time.monotonic() - started
        server.stop()
        if killer.error:
            print(f"the server could not be restarted: {killer.error}")
            return 1
        if args.fault:
            print(f"fault injected: {inject_fault(url, tally, args.fault, rng)}")
        result = verify(url, tally)
        print(f"sent {tally.sent}  acknowledged {tally.acknowledged}  attempts {tally.attempts}  "
              f"retries {tally.attempts - tally.sent}  kills {killer.kills}  gave up {len(tally.gave_up)}  "
              f"rejected {len(tally.rejected)}  in {elapsed:.1f} s")
        print(f"retried submissions already stored by an attempt whose answer was lost: {result.replayed}")
        print(f"restarts: {killer.kills}, mean {killer.mean_restart():.2f} s until the server answered again; "
              f"failed attempts by cause: {tally.causes_text()}")
        print(f"database: reports {result.reports}  found {result.found}  lost {len(result.lost)}  "
              f"doubled {len(result.doubled)}  never sent {len(result.unknown)}  mismatched {len(result.mismatched)}")
        for line in result.problems() + tally.problems():
            print(f"  {line}")
        if result.ok and tally.ok:
            print("OK: every acknowledged submission is stored exactly once, and nothing else is stored")
            return 0
        print("FAIL: " + "; ".join(result.summary() + tally.summary()))
        return 1
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            if args.database_url:
                drop_database(url)
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {url} and {workdir}")


if __name__ == "__main__":
    sys.exit(main())
