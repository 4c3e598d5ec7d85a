"""One filing, measured inside the server process: SQL statements per filing and server time (wall and CPU).

Sets up a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database of
--database-url, which is DROPPED and re-created, then dropped at the end), migrates it with
`flask db upgrade`, seeds the Songkhla demo (with the shared station areas when ../shared/data is
present), a council member, desk officers with e-mail addresses and stations with a desk e-mail (so
every filing writes outbox messages, as in production), and --reports earlier reports for the
duplicate check to look through. Then files --filings reports two ways, each after --warmup
unmeasured ones:
  form            POST /reports/new through Flask's test client with the member's session and CSRF
                  token: the whole request as gunicorn's worker runs it, minus the socket
  submit_report   the service alone, in a fresh session as in a request, with the member, PAO and categories
                  loaded first as the request loads them
                  (checks, reference number, routing, events, outbox, commit)
Every statement the app sends to the database is counted with SQLAlchemy's before_cursor_execute
event (BEGIN and COMMIT are not statements there). Prints statements per filing, and p50/p95 of
wall-clock time and of CPU time (time.process_time) per filing.

Run: python bench/filing.py [--database-url URL] [--filings 300] [--warmup 30] [--reports 500]
                            [--show-statements] [--no-areas]
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
import time  # noqa: E402
import uuid  # noqa: E402

from bench._server import drop_database, engine_name, migrate, scratch_database, stop_on_sigterm  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL of a scratch database (dropped and re-created); default: SQLite")
    parser.add_argument("--filings", type=int, default=300, help="measured filings per path")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured filings before each path")
    parser.add_argument("--reports", type=int, default=500, help="reports seeded before measuring")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-statements", action="store_true", help="print the statements of one filing")
    parser.add_argument("--no-areas", action="store_true", help="do not import the shared Songkhla areas")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="after measuring, profile 50 service filings and print the N costliest functions")
    args = parser.parse_args(argv)
    if args.database_url and not args.database_url.startswith("postgresql"):
        parser.error("--database-url must be a PostgreSQL URL; leave it out to use a SQLite file")
    return args


class StatementCounter:
    """Counts (and keeps the first line of) every statement sent on an engine."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.statements = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, _params, _context, _executemany):
        self.statements.append(" ".join(statement.split())[:110])

    def take(self):
        taken, self.statements = self.statements, []
        return taken


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered))) - 1))] if ordered else 0.0


def give_recipients(app):
    """Give desk officers and stations e-mail addresses, so each filing writes outbox messages."""
    from app.accounts.models import Role, User
    from app.extensions import db
    from app.stations.models import Station

    with app.app_context():
        for user in db.session.scalars(db.select(User).where(User.role == Role.DESK_OFFICER)):
            user.email = f"{user.username}@bench.invalid"
        for station in db.session.scalars(db.select(Station)):
            station.notify_email = f"desk.{station.code}@bench.invalid"
        db.session.commit()


def measure(run_one, counter, *, filings, warmup):
    """Run warmup + filings filings; return (statement counts, wall seconds, CPU seconds) of the measured ones.
    run_one may return its own (wall, CPU) seconds, when it times only a part of what it does."""
    counts, walls, cpus = [], [], []
    for n in range(warmup + filings):
        counter.take()
        wall, cpu = time.perf_counter(), time.process_time()
        timed = run_one()
        wall, cpu = timed or (time.perf_counter() - wall, time.process_time() - cpu)
        if n >= warmup:
            counts.append(len(counter.take()))
            walls.append(wall)
            cpus.append(cpu)
    return counts, walls, cpus


def print_figures(title, counts, walls, cpus):
    print(f"{title}: {len(counts)} filings, statements per filing {min(counts)}-{max(counts)} "
          f"(mean {sum(counts) / len(counts):.1f})")
    print(f"  wall ms p50 {percentile(walls, 50) * 1000:.2f}  p95 {percentile(walls, 95) * 1000:.2f}   "
          f"CPU ms p50 {percentile(cpus, 50) * 1000:.2f}  p95 {percentile(cpus, 95) * 1000:.2f}", flush=True)


def profile(run_one, top):
    """Print the `top` functions by own CPU time, then by cumulative CPU time, over 50 filings."""
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)  # CPU time: waits on the database are not the server's work
    profiler.enable()
    for _ in range(50):
        run_one()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        print(f"  profile of 50 service filings, by {order}:")
        pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats(order).print_stats(top)


def main(argv=None):
    args = parse_args(argv)
    stop_on_sigterm()
    workdir = Path(tempfile.mkdtemp(prefix="ruamkan_filing_"))
    url = scratch_database(args.database_url, workdir, "filing")
    try:
        from bench._http import csrf_token
        from bench._seed import PASSWORD, bench_app, random_narrative, random_place, seed_people, seed_reports

        migrate(url, workdir)
        app = bench_app(url, workdir)
        seeded = seed_people(app, members=2, desks=6, coordinators=1, areas=not args.no_areas)
        seed_reports(app, args.reports, seed=args.seed)
        give_recipients(app)
        rng = random.Random(args.seed)
        with app.app_context():
            from app.extensions import db
            counter = StatementCounter(db.engine)
        print(f"filing bench on {engine_name(url)}: {args.reports} reports seeded, {args.filings} measured filings "
              f"per path after {args.warmup} warm-up ones", flush=True)

        client = app.test_client()
        login = client.get("/accounts/login").get_data(as_text=True)
        client.post("/accounts/login", data={"csrf_token": csrf_token(login), "username": seeded.members[0],
                                             "password": PASSWORD})
        page = client.get("/reports/new")
        if page.status_code != 200:
            raise SystemExit(f"the member cannot open the form: HTTP {page.status_code}")
        csrf = csrf_token(page.get_data(as_text=True))

        def file_through_form():
            lat, lon = random_place(rng)
            answer = client.post("/reports/new", data={
                "csrf_token": csrf, "category_id": rng.choice(list(seeded.category_ids.values())),
                "narrative": random_narrative(rng), "lat": lat, "lon": lon, "address_text": "ใกล้ตลาด",
                "priority": "", "resident_anonymous": "y", "idempotency_key": str(uuid.uuid4()),
                "confirm_place": "y", "confirm_personal_data": "y", "confirm_new": "y"})
            if answer.status_code != 302 or "/receipt" not in answer.location:
                raise SystemExit(f"filing through the form failed: HTTP {answer.status_code}\n"
                                 f"{answer.get_data(as_text=True)[:2000]}")

        figures = measure(file_through_form, counter, filings=args.filings, warmup=args.warmup)
        print_figures("form (POST /reports/new, the whole request)", *figures)
        if args.profile:
            profile(file_through_form, args.profile)
        if args.show_statements:
            file_through_form()
            print("  statements of one filing through the form:")
            for statement in counter.take():
                print(f"    {statement}")

        from sqlalchemy.orm import joinedload

        from app.accounts.models import User
        from app.categories.models import Category
        from app.reports.forms import leaf_categories
        from app.reports.intake import ReportDraft
        from app.reports.services import submit_report

        with app.app_context():
            member_id = db.session.scalar(db.select(User.id).where(User.username == seeded.members[1]))
        category_ids = list(seeded.category_ids.values())

        def file_through_service():
            # As in a request: a fresh session, so nothing cached from earlier filings makes it look cheaper, with
            # what the request loads before the service runs: the member with the PAO (Flask-Login's session
            # read) and the categories with their parents (the form's choices).
            with app.app_context():
                member = db.session.get(User, member_id, options=[joinedload(User.pao)])
                leaf_categories()
                category = db.session.get(Category, rng.choice(category_ids))
                lat, lon = random_place(rng)
                draft = ReportDraft(category=category, narrative=random_narrative(rng), lat=lat, lon=lon,
                                    idempotency_key=str(uuid.uuid4()), confirmed_place=True,
                                    confirmed_personal_data=True, confirmed_new=True, resident_anonymous=True)
                counter.take()
                wall, cpu = time.perf_counter(), time.process_time()
                _report, created = submit_report(member, draft)
                timed = time.perf_counter() - wall, time.process_time() - cpu
                if not created:
                    raise SystemExit("submit_report did not create a report")
            return timed

        figures = measure(file_through_service, counter, filings=args.filings, warmup=args.warmup)
        print_figures("submit_report (the service alone)", *figures)
        if args.profile:
            profile(file_through_service, args.profile)
        return 0
    finally:
        if args.database_url:
            drop_database(url)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
