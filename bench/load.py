"""Load test: council members, desk officers and coordinators at once against gunicorn, then a yardstick.

Sets up a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database of
--database-url, which is DROPPED and re-created, then dropped at the end), migrates it with
`flask db upgrade` and seeds it with the app's services: the Songkhla demo (with station areas when
../shared/data is present), council members, desk officers and coordinators (the last two enrolled
in two-factor sign-in with known TOTP secrets), and --reports reports filed through submit_report
over four months, half of them acknowledged. Then gunicorn serves the app (rate limits off) and
three phases run for --duration seconds each with --clients concurrent clients (stdlib http.client,
one connection per request, no think time):
  mix      members open the intake form, file a report through it (session + CSRF, the path the
           phone's browser uses) and read the receipt; desk officers load their queue, open a report
           and acknowledge it when still new; coordinators load the dashboard
  filing   every client is a member filing reports through the form, back to back
  floor    every client asks Ruamkan's cheapest endpoint, GET /healthz (all of the app's middleware
           and one SELECT 1): the most any endpoint of this app can reach on this machine
  minimal  every client asks a minimal Flask app (bench/_minimal.py) under the same gunicorn for 'ok'
Prints req/s and p50/p95/p99 per request kind, errors, filing / minimal throughput (target >= 30%),
and floor / minimal and filing / floor for context.

With --peak it runs the national peak instead (bench/_peak.py states the assumption): two gunicorn servers
on different ports share the database (and Redis for the rate limits, when it answers at --redis-url);
members, desk officers and coordinators, spread over both servers, are driven open-loop at the rate of
13x the national daily ceiling compressed into an hour (times --rate-scale) for --duration seconds.
Prints p50/p95/p99, count and errors per endpoint, whether the machine kept the rate, the targets
(filing p95 <= 150 ms, queue and dashboard p95 <= 100 ms) and the workers' CPU time per filing.

Run: python bench/load.py [--database-url URL] [--workers 4] [--clients 8] [--duration 20]
                          [--reports 2000] [--seed 1] [--no-areas] [--keep]
     python bench/load.py --peak [--database-url URL] [--workers 3] [--clients 40] [--duration 60]
                          [--rate-scale 1] [--per-member-day 5] [--redis-url redis://127.0.0.1:6379/14]
Exits 1 when any request failed (HTTP 5xx or unexpected 4xx, network error); 409 conflicts are counted apart.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench._peak import PER_MEMBER_DAY  # noqa: E402
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

TARGET_RATIO = 0.30


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL of a scratch database (dropped and re-created); default: SQLite")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (both apps; each server with --peak)")
    parser.add_argument("--clients", type=int, default=None,
                        help="concurrent clients in every phase (default 8); with --peak the members signed in "
                             "(default 40), with half as many desk officers and a quarter as many coordinators")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase")
    parser.add_argument("--reports", type=int, default=2000, help="reports seeded before the phases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-areas", action="store_true", help="do not import the shared Songkhla areas")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary folder")
    parser.add_argument("--peak", action="store_true", help="run the national peak against two servers")
    parser.add_argument("--per-member-day", type=float, default=PER_MEMBER_DAY,
                        help="assumed daily ceiling of reports per council member (--peak)")
    parser.add_argument("--rate-scale", type=float, default=1.0, help="fraction of the peak rate to drive (--peak)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14",
                        help="Redis for the rate limits of both servers (--peak); limits off when it does not answer")
    args = parser.parse_args(argv)
    if args.clients is None:
        args.clients = 40 if args.peak else 8
    if args.database_url and not args.database_url.startswith("postgresql"):
        parser.error("--database-url must be a PostgreSQL URL; leave it out to use a SQLite file")
    if args.clients < 3:
        parser.error("--clients must be at least 3 (a member, a desk officer and a coordinator)")
    return args


def mix_people(clients):
    """Return (role, username) for the mixed phase: a sixth coordinators, a third desks, the rest members."""
    coordinators = max(1, round(clients / 6))
    desks = max(1, round(clients / 3))
    members = clients - coordinators - desks
    return ([("member", f"bench.member{n}") for n in range(members)]
            + [("desk", f"bench.desk{n}") for n in range(desks)]
            + [("coordinator", f"bench.coordinator{n}") for n in range(coordinators)])


def print_phase(title, recorder, elapsed):
    print(f"\n{title}: {recorder.requests} requests in {elapsed:.1f} s = {recorder.requests / elapsed:.1f} req/s, "
          f"errors {recorder.error_count}, conflicts (409) {recorder.conflicts}")
    for line in recorder.report(elapsed):
        print(line)


def main(argv=None):
    args = parse_args(argv)
    stop_on_sigterm()
    if args.peak:
        from bench._peak_run import run_national_peak

        return run_national_peak(args)
    workdir = Path(tempfile.mkdtemp(prefix="ruamkan_load_"))
    url = scratch_database(args.database_url, workdir, "load")
    servers = []
    try:
        from bench._load_clients import run_phase
        from bench._seed import bench_app, seed_people, seed_reports

        started = time.monotonic()
        migrate(url, workdir)
        app = bench_app(url, workdir)
        seeded = seed_people(app, members=max(args.clients, 10), desks=args.clients, coordinators=args.clients,
                             areas=not args.no_areas)
        seed_reports(app, args.reports, seed=args.seed)
        print(f"load test on {engine_name(url)}: {args.workers} gunicorn workers, {args.clients} clients, "
              f"{args.duration:.0f} s per phase; seeded {args.reports} reports, {len(seeded.members)} members, "
              f"{len(seeded.desks)} desk officers, {len(seeded.coordinators)} coordinators "
              f"({len(seeded.totp)} with two-factor) in {time.monotonic() - started:.0f} s", flush=True)
        env = server_env(url, workdir)
        ruamkan = Gunicorn("wsgi:app", env=env, workers=args.workers, port=free_port(),
                           log_path=workdir / "gunicorn.log")
        servers.append(ruamkan)
        ruamkan.start(ready_path="/accounts/login")

        people = mix_people(args.clients)
        counts = {role: sum(r == role for r, _u in people) for role in ("member", "desk", "coordinator")}
        mix, mix_s = run_phase(ruamkan.port, people, duration=args.duration, seeded=seeded, seed=args.seed)
        print_phase(f"mix ({counts['member']} members, {counts['desk']} desk officers, "
                    f"{counts['coordinator']} coordinators)", mix, mix_s)
        filers = [("filer", f"bench.member{n}") for n in range(args.clients)]
        filing, filing_s = run_phase(ruamkan.port, filers, duration=args.duration, seeded=seeded, seed=args.seed + 1)
        print_phase(f"filing ({args.clients} members filing through the form)", filing, filing_s)
        floor, floor_s = run_phase(ruamkan.port, [("floor", "-")] * args.clients, duration=args.duration,
                                   seeded=seeded, seed=args.seed)
        print_phase(f"floor ({args.clients} clients, GET /healthz: Ruamkan's middleware and one SELECT 1)",
                    floor, floor_s)
        ruamkan.stop()

        minimal_server = Gunicorn("bench._minimal:app", env=env, workers=args.workers, port=free_port(),
                                  log_path=workdir / "minimal.log")
        servers.append(minimal_server)
        minimal_server.start()
        yardstick = [("minimal", "-")] * args.clients
        minimal, minimal_s = run_phase(minimal_server.port, yardstick, duration=args.duration, seeded=seeded,
                                       seed=args.seed)
        print_phase(f"minimal ({args.clients} clients, bench/_minimal.py under the same gunicorn)", minimal, minimal_s)
        minimal_server.stop()

        filing_rate = len(filing.samples.get("file report", [])) / filing_s
        minimal_rate = len(minimal.samples.get("minimal: ok", [])) / minimal_s
        floor_rate = len(floor.samples.get("floor: healthz", [])) / floor_s
        ratio = filing_rate / minimal_rate if minimal_rate else 0.0
        print(f"\nfiling throughput {filing_rate:.1f}/s, minimal {minimal_rate:.1f}/s: ratio {ratio:.1%} "
              f"({'meets' if ratio >= TARGET_RATIO else 'MISSES'} the target of {TARGET_RATIO:.0%})")
        print(f"Ruamkan's floor (/healthz) {floor_rate:.1f}/s = {floor_rate / minimal_rate if minimal_rate else 0:.1%} "
              f"of minimal; filing is {filing_rate / floor_rate if floor_rate else 0:.1%} of the floor")
        errors = mix.error_count + filing.error_count + floor.error_count + minimal.error_count
        print(f"errors in all phases: {errors}")
        if errors:
            print(f"server log: {ruamkan.log_tail(15)}" if args.keep else "(run with --keep to keep the server log)")
        return 1 if errors else 0
    finally:
        for server in servers:
            server.stop()
        if not args.keep:
            if args.database_url:
                drop_database(url)
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {url} and {workdir}")


if __name__ == "__main__":
    sys.exit(main())
