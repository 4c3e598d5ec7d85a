"""Benchmark the oversight dashboard on PostgreSQL: fill synthetic reports, build rollups, time the data functions.

Run: python bench/dashboard.py [--url URL] [--reports 2000000] [--runs 30] [--seed 1] [--reuse | --measure-only]
     [--save FIGURES.json] [--beside FIGURES.json]
The database (ruamkan_bench_dash by default) is created when missing and emptied, unless --reuse (keep
the reports, rebuild the rollups) or --measure-only (keep everything, only time the calls).
Reports, routing decisions and timeline events go in with COPY; the timed calls are the ones the
dashboard view makes (app.oversight.dashboard.dashboard_data) and the hotspot map makes (the province view,
then a screen's bounds at each finer zoom). --save writes the figures as JSON; --beside prints a saved run's
p50/p95 next to each line (e.g. the 2 M figures beside a 10 M run), so growth with history is visible.
Prints figures; it is not a test.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/ruamkan_bench_dash"
TARGET_P95_MS = 300.0
TARGET_QUEUE_MS = 30.0
CHUNK = 50_000
MONTHS = 24
AMPHOE = [f"90{n:02d}" for n in range(1, 17)]
REPORT_COLUMNS = ("id", "pao_id", "reference_number", "tracking_secret", "category_id", "narrative", "answers",
                  "lat", "lon", "priority", "status", "station_id", "filed_by_id", "resident_anonymous",
                  "idempotency_key", "supporter_count", "created_at", "updated_at", "ack_due_at", "act_due_at",
                  "acknowledged_at", "closed_at", "version", "tambon_code", "amphoe_code")
DECISION_COLUMNS = ("id", "report_id", "station_id", "rule", "reason", "near_boundary", "explanation_th",
                    "explanation_en", "data_version", "decided_at")
EVENT_COLUMNS = ("report_id", "actor_id", "kind", "payload", "internal", "created_at")


def ensure_database(url):
    """Create the benchmark database when it does not exist yet."""
    import sqlalchemy as sa

    base, name = url.rsplit("/", 1)
    admin = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).scalar():
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def make_app(url):
    """Return an app bound to the benchmark database."""
    from app import create_app
    from config import Config

    config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                                             "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    return create_app(config)


def setup_world(db):
    """Create categories, Songkhla's stations, two PAOs with MOUs, members and desk officers; return ids."""
    from app.accounts.models import Role, User
    from app.categories.models import Category
    from app.categories.services import seed_categories
    from app.stations.models import Mou, Pao
    from app.stations.services import upsert_station
    from app.stations.songkhla import SONGKHLA_STATIONS

    seed_categories()
    stations = [upsert_station(code=c, name_th=th, name_en=en, lat=lat or 7.0, lon=lon or 100.5)[0]
                for c, th, en, lat, lon in SONGKHLA_STATIONS]
    paos = [Pao(code="songkhla", name_th="อบจ.สงขลา", name_en="Songkhla PAO", reference_prefix="SKA"),
            Pao(code="satun", name_th="อบจ.สตูล", name_en="Satun PAO", reference_prefix="STN")]
    db.session.add_all(paos)
    db.session.flush()
    for station in stations:
        db.session.add(Mou(pao=paos[0], station=station, signed_on=date(2020, 1, 1), effective_from=date(2020, 1, 1),
                           covers_all=True, category_codes=[]))
    members = []
    for n in range(240):
        user = User(username=f"member{n}", display_name=f"Member {n}", role=Role.COUNCIL_MEMBER,
                    pao=paos[0 if n < 200 else 1], password_hash="x")
        members.append(user)
    desks = [User(username=f"desk.{s.code}", display_name=f"Desk {s.code}", role=Role.DESK_OFFICER, station=s,
                  password_hash="x") for s in stations]
    db.session.add_all(members + desks)
    db.session.flush()
    leaves = db.session.scalars(db.select(Category).where(Category.parent_id.isnot(None))).all()
    return {"paos": [p.id for p in paos], "stations": [(s.id, s.lat, s.lon) for s in stations],
            "members": [(m.id, m.pao_id) for m in members],
            "desk": {s.id: d.id for s, d in zip(stations, desks, strict=True)},
            "categories": [(c.id, c.code, c.sla_ack_hours, c.sla_act_hours) for c in leaves]}


class Generator:
    """Synthetic reports with plausible timings: most acknowledged within hours, acted within days."""

    def __init__(self, world, rnd, now):
        self.world, self.rnd, self.now = world, rnd, now
        self.start = now - timedelta(days=30 * MONTHS)
        self.span = (now - self.start).total_seconds()
        self.decision_id = 0
        self.amphoe_of = {sid: (AMPHOE[n % 16], AMPHOE[(n + 1) % 16]) for n, (sid, _a, _b) in
                          enumerate(world["stations"])}
        self.weights = [5 if code.startswith("drugs") else 3 if code.startswith("crime") else 2
                        for _id, code, _a, _b in world["categories"]]

    def report(self, report_id):
        """Return (report row, decision rows, event rows) of one synthetic report."""
        rnd, world = self.rnd, self.world
        member_id, pao_id = world["members"][rnd.randrange(200) if rnd.random() < 0.9 else rnd.randrange(200, 240)]
        station_id, lat, lon = rnd.choice(world["stations"])
        category_id, code, ack_h, act_h = rnd.choices(world["categories"], self.weights)[0]
        created = self.start + timedelta(seconds=rnd.random() * self.span)
        ack_due, act_due = created + timedelta(hours=ack_h), created + timedelta(hours=act_h)
        desk = world["desk"][station_id]
        events = [(report_id, member_id, "submitted", "{}", False, created),
                  (report_id, None, "routed", "{}", False, created)]
        self.decision_id += 1
        decisions = [(self.decision_id, report_id, station_id, "area", "initial", False, "-", "-", 1, created)]
        status, acknowledged, closed, updated = "new", None, None, created
        age_h = (self.now - created).total_seconds() / 3600
        ack_after = rnd.lognormvariate(1.2, 1.1)  # median about 3 h
        if ack_after < age_h and rnd.random() < 0.95:
            acknowledged = updated = created + timedelta(hours=ack_after)
            status = "acknowledged"
            events.append((report_id, desk, "status_changed", '{"transition": "acknowledge"}', False, acknowledged))
            if rnd.random() < 0.03:  # transferred to a neighbouring station after acknowledging
                station_id = rnd.choice(world["stations"])[0]
                self.decision_id += 1
                decisions.append((self.decision_id, report_id, station_id, "transfer", "transfer", False, "-", "-",
                                  1, acknowledged))
                events.append((report_id, desk, "rerouted", '{"transition": "transfer"}', False, acknowledged))
                acknowledged, status = None, "new"
            act_after = ack_after + rnd.lognormvariate(3.4, 1.0)  # median about 30 h more
            if acknowledged and act_after < age_h and rnd.random() < 0.9:
                outcome = created + timedelta(hours=act_after)
                status, updated = "action_taken", outcome
                events.append((report_id, desk, "outcome", '{"outcome": "warning"}', False, outcome))
                if rnd.random() < 0.04:
                    events.append((report_id, member_id, "reopen_requested", "{}", False, outcome + timedelta(days=2)))
                elif age_h - act_after > 72 and rnd.random() < 0.7:
                    closed = updated = outcome + timedelta(days=1)
                    status = "closed"
                    events.append((report_id, member_id, "outcome_confirmed", "{}", False, closed))
        elif rnd.random() < 0.02:
            status, closed = "rejected", created + timedelta(hours=ack_after)
        amphoe = self.amphoe_of[station_id][0 if rnd.random() < 0.8 else 1]
        row = (report_id, pao_id, f"B{report_id:09d}", f"s{report_id:015d}", category_id, "synthetic", "{}",
               lat + rnd.uniform(-0.08, 0.08), lon + rnd.uniform(-0.08, 0.08), "normal", status, station_id,
               member_id, False, f"k{report_id}", 0, created, updated, ack_due, act_due, acknowledged, closed, 1,
               None, amphoe)
        return row, decisions, events


def fill(db, count, seed):
    """Insert `count` synthetic reports with their decisions and events by COPY; return seconds taken."""
    from app.core.timeutil import utcnow

    world = setup_world(db)
    db.session.commit()
    generator = Generator(world, random.Random(seed), utcnow().replace(microsecond=0))
    started = time.perf_counter()
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        # The generated rows are consistent by construction: skip the per-row foreign key triggers.
        cur.execute("SET session_replication_role = replica")
        for first in range(1, count + 1, CHUNK):
            rows, decisions, events = [], [], []
            for report_id in range(first, min(first + CHUNK, count + 1)):
                row, more_decisions, more_events = generator.report(report_id)
                rows.append(row)
                decisions += more_decisions
                events += more_events
            for table, columns, data in (("reports", REPORT_COLUMNS, rows),
                                         ("routing_decisions", DECISION_COLUMNS, decisions),
                                         ("report_events", EVENT_COLUMNS, events)):
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for item in data:
                        copy.write_row(item)
            raw.commit()
            print(f"  {min(first + CHUNK - 1, count):,} reports", end="\r", flush=True)
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("SELECT setval('reports_id_seq', (SELECT max(id) FROM reports))")
        cur.execute("SELECT setval('routing_decisions_id_seq', (SELECT max(id) FROM routing_decisions))")
        raw.commit()
        raw.driver_connection.autocommit = True  # VACUUM refuses to run in a transaction
        cur.execute("VACUUM ANALYZE")
        raw.driver_connection.autocommit = False
    finally:
        raw.close()
    return time.perf_counter() - started


def refresh_schema(db):
    """On --reuse: recreate the oversight tables and add any reports index the current models declare."""
    from app.oversight.models import (
        AmphoeRollup,
        HotspotCell,
        HotspotRollup,
        MemberRollup,
        RollupCheckpoint,
        RollupEntry,
        StatsRollup,
    )
    from app.reports.models import Report

    for model in (StatsRollup, AmphoeRollup, HotspotRollup, HotspotCell, MemberRollup, RollupEntry, RollupCheckpoint):
        model.__table__.drop(db.engine, checkfirst=True)
        model.__table__.create(db.engine)
    for index in Report.__table__.indexes:
        index.create(db.engine, checkfirst=True)


def timed(func, runs):
    """Return (p50, p95) in ms of `runs` calls after one warm-up call."""
    func()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]


FIGURES = {}  # name: (p50, p95) of this run, for --save
BESIDE = {}  # name: (p50, p95) of a saved run, for --beside


def report_line(name, p50, p95, target=None):
    verdict = "" if target is None else f"  [target p95 <= {target:g} ms: {'met' if p95 <= target else 'MISSED'}]"
    before = BESIDE.get(name)
    beside = f"   (saved run: p50 {before[0]:7.1f}, p95 {before[1]:7.1f})" if before else ""
    print(f"{name:<52} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms{verdict}{beside}")
    FIGURES[name] = (round(p50, 1), round(p95, 1))
    return target is None or p95 <= target


def main(argv=None) -> int:
    """Fill the database (unless --reuse), build the rollups and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="PostgreSQL URL of the benchmark's own database")
    parser.add_argument("--reports", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the reports of a previous run; rebuild only the oversight tables and rollups")
    parser.add_argument("--measure-only", action="store_true", help="keep reports and rollups; only time the calls")
    parser.add_argument("--save", help="write the figures of this run to this JSON file")
    parser.add_argument("--beside", help="print the figures of a saved run (--save) beside this run's")
    args = parser.parse_args(argv)
    if args.beside:
        BESIDE.update({name: tuple(v) for name, v in json.loads(Path(args.beside).read_text())["views"].items()})
    if not args.url.startswith("postgresql"):
        print("the benchmark needs PostgreSQL (COPY); pass --url postgresql+psycopg://…", file=sys.stderr)
        return 2
    ensure_database(args.url)
    app = make_app(args.url)
    from app.accounts.models import User
    from app.categories.models import Category
    from app.core.timeutil import to_bangkok, utcnow
    from app.extensions import db
    from app.oversight import grid
    from app.oversight.dashboard import dashboard_data
    from app.oversight.hotspots import hotspot_cells
    from app.oversight.periods import add_months, month_of
    from app.oversight.rollup import refresh_rollups
    from app.oversight.scope import Filters, Scope
    from app.reports.models import Report
    from app.stations.models import Pao, Station
    from app.triage.queries import queue_page

    with app.app_context():
        if not (args.reuse or args.measure_only):
            db.drop_all()
            db.create_all()
            print(f"filling {args.reports:,} reports into {args.url.rsplit('@', 1)[-1]} …")
            print(f"fill (COPY, with indexes, then VACUUM ANALYZE): {fill(db, args.reports, args.seed):.1f} s")
        elif not args.measure_only:
            refresh_schema(db)
        if not args.measure_only:
            started = time.perf_counter()
            months = refresh_rollups(rebuild_all=True)
            db.session.commit()
            print(f"rollups built: {months} (PAO, month) pairs in {time.perf_counter() - started:.1f} s")
        counts = {name: db.session.scalar(db.select(db.func.count()).select_from(db.metadata.tables[name]))
                  for name in ("reports", "report_events", "routing_decisions", "stats_rollups", "hotspot_rollups",
                               "hotspot_cells", "member_rollups", "rollup_entries")}
        print("rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
        db.session.execute(db.text("ANALYZE stats_rollups"))
        for table in ("hotspot_rollups", "hotspot_cells", "member_rollups", "rollup_entries"):
            db.session.execute(db.text(f"ANALYZE {table}"))
        pao = db.session.scalar(db.select(Pao).where(Pao.code == "songkhla"))
        last = month_of(to_bangkok(utcnow()).date())
        year = Filters(add_months(last, -11), last)
        busiest = db.session.scalar(db.select(Station).where(Station.id == db.select(Report.station_id).where(
            Report.pao_id == pao.id).group_by(Report.station_id).order_by(db.func.count().desc()).limit(1)
            .scalar_subquery()))
        drugs = db.session.scalar(db.select(Category).where(Category.code == "drugs"))
        filtered = Filters(year.first, year.last, category=drugs, station=busiest)
        member_id = db.session.scalar(db.select(Report.filed_by_id).where(Report.pao_id == pao.id).limit(1))
        in_year = db.session.scalar(db.select(db.func.count()).select_from(Report).where(
            Report.pao_id == pao.id, *year.clauses()))
        print(f"PAO-wide year view: {in_year:,} reports of {pao.code} in {year.first:%Y-%m}..{year.last:%Y-%m}; "
              f"filtered view: station {busiest.code}, category drugs")
        scope = Scope(pao=pao)
        data = dashboard_data(scope, year)
        print(f"  year view: {data.total.reports:,} reports, {data.total.overdue:,} open overdue, ack median "
              f"{(data.total.ack_median or 0) / 3600:.1f} h, act median {(data.total.act_median or 0) / 3600:.1f} h")
        ok = report_line("dashboard_data, PAO-wide year (rollups)", *timed(lambda: dashboard_data(scope, year),
                                                                            args.runs), TARGET_P95_MS)
        ok &= report_line("dashboard_data, station + drugs, year", *timed(lambda: dashboard_data(scope, filtered),
                                                                          args.runs), TARGET_P95_MS)
        member = Scope(pao=pao, member_id=member_id)
        ok &= report_line("dashboard_data, one member's own (rollups)", *timed(lambda: dashboard_data(member, year),
                                                                           args.runs), TARGET_P95_MS)
        report_line("dashboard_data, one member's own (direct, before)", *timed(
            lambda: dashboard_data(member, year, source="direct"), max(5, args.runs // 3)))
        ok &= report_line("hotspot_cells, PAO-wide year, province zoom", *timed(
            lambda: hotspot_cells(scope, year, min_count=5, zoom=grid.PROVINCE), args.runs), TARGET_P95_MS)
        # What the map asks after a pan or zoom: a phone-to-desktop screen of squares around the busiest station.
        for zoom, half in ((2, 0.35), (3, 0.12)):
            box = (busiest.lat - half, busiest.lon - half * 1.6, busiest.lat + half, busiest.lon + half * 1.6)
            ok &= report_line(f"hotspot_cells, year, zoom {zoom}, a screen's bounds", *timed(
                lambda z=zoom, b=box: hotspot_cells(scope, year, min_count=5, zoom=z, bounds=b), args.runs),
                TARGET_P95_MS)
        ok &= report_line("hotspot_cells, year, one station, province zoom", *timed(
            lambda: hotspot_cells(scope, Filters(year.first, year.last, station=busiest), min_count=5,
                                  zoom=grid.PROVINCE), args.runs), TARGET_P95_MS)
        ok &= report_line("hotspot_cells, member's own, province zoom", *timed(
            lambda: hotspot_cells(member, year, min_count=5, zoom=grid.PROVINCE), args.runs), TARGET_P95_MS)
        desk = db.session.scalar(db.select(User.id).where(User.username == f"desk.{busiest.code}"))

        def first_page():  # what the busiest station's desk loads, as a fresh request would
            queue_page(db.session.get(User, desk), now=utcnow())
            db.session.expunge_all()

        ok &= report_line("triage queue first page, busiest station", *timed(first_page, args.runs), TARGET_QUEUE_MS)
        report_line("hotspot_cells, PAO-wide year (direct, before rollups)", *timed(
            lambda: hotspot_cells(scope, year, min_count=5, source="direct"), max(5, args.runs // 3)))
        # What the worker's job meets every minute: recent reports changed, recent deadlines passed.
        samples = []
        for offset in range(3):
            ids = db.select(Report.id).where(Report.pao_id == pao.id).order_by(Report.created_at.desc()).offset(
                offset * 200).limit(200)
            db.session.execute(db.update(Report).where(Report.id.in_(ids)).values(updated_at=utcnow()))
            db.session.commit()
            started = time.perf_counter()
            rebuilt = refresh_rollups()
            db.session.commit()
            samples.append((time.perf_counter() - started) * 1000)
            print(f"incremental refresh after 200 reports changed: {rebuilt} (PAO, month) pair(s) in "
                  f"{samples[-1]:.0f} ms")
        report_line("incremental refresh, 200 changed reports", statistics.median(samples), max(samples))
        if args.save:
            Path(args.save).write_text(json.dumps({"reports": counts["reports"], "views": FIGURES}, indent=1))
        print(json.dumps({"reports": counts["reports"], "target_met": ok}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
