"""Seeding for bench/desk_queue.py: synthetic reports over many stations, by COPY (PostgreSQL) or batches (SQLite).

Station sizes are skewed (a few big city stations, many small ones); older reports are mostly closed, as in a
system that has run for three years.
"""
from __future__ import annotations

import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 26, 3, 0)  # fixed, so runs compare; data spans the three years before it
SPAN_DAYS = 3 * 365
MEMBERS = 200
WORDS = ("ยาเสพติด", "แข่งรถ", "ลักทรัพย์", "ตลาด", "โรงเรียน", "ซอย", "กลางคืน", "มอเตอร์ไซค์", "drugs", "racing",
         "market", "school", "night", "motorbike", "theft", "gambling", "noise", "checkpoint", "temple", "bridge")
COLUMNS = ("pao_id", "reference_number", "tracking_secret", "category_id", "narrative", "answers", "lat", "lon",
           "priority", "status", "station_id", "assigned_to_id", "filed_by_id", "resident_anonymous",
           "idempotency_key", "supporter_count", "created_at", "updated_at", "ack_due_at", "act_due_at",
           "acknowledged_at", "closed_at", "version")
OPEN = ("new", "acknowledged", "in_progress", "needs_info", "action_taken", "reopened")
PRIORITIES = ("low", "normal", "normal", "normal", "high", "urgent")
FACTORS = {"urgent": 0.25, "high": 0.5, "normal": 1.0, "low": 1.5}


def make_app(url):
    """Return an app on the benchmark database with every table created."""
    from app import create_app
    from app.extensions import db
    from config import Config

    instance = Path(tempfile.gettempdir()) / "ruamkan_bench_instance"
    instance.mkdir(exist_ok=True)
    app = create_app(type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": str(instance),
                                                      "SQLALCHEMY_ECHO": False}))
    with app.app_context():
        db.create_all()
    return app


def create_pg_database(url):
    """Create the PostgreSQL database named in the URL (dropping an old one)."""
    import sqlalchemy as sa

    base, name = url.rsplit("/", 1)
    admin = sa.create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def seed_reference_data(stations):
    """Create the PAO, categories, stations, members and one desk officer per station; return ids."""
    from app.accounts.models import Role, User
    from app.categories.models import Category
    from app.categories.services import seed_categories
    from app.extensions import db
    from app.stations.models import Pao, Station

    seed_categories()
    rng = random.Random(7)
    station_rows = [Station(code=f"bench_{n:04d}", name_th=f"สภ.ทดสอบ {n}", name_en=f"Bench Station {n}",
                            lat=6.5 + rng.random() * 13, lon=98.5 + rng.random() * 6) for n in range(stations)]
    db.session.add_all(station_rows)
    db.session.flush()
    pao = Pao(code="bench", name_th="อบจ.ทดสอบ", name_en="Bench PAO", reference_prefix="BEN",
              coordinator_station_id=station_rows[0].id)
    db.session.add(pao)
    db.session.flush()
    members = [User(username=f"member{n}", display_name=f"Member {n}", role=Role.COUNCIL_MEMBER, pao_id=pao.id,
                    password_hash="x") for n in range(MEMBERS)]
    desks = [User(username=f"desk{s.id}", display_name=f"Desk {s.id}", role=Role.DESK_OFFICER, station_id=s.id,
                  password_hash="x") for s in station_rows]
    db.session.add_all(members + desks)
    db.session.flush()
    categories = [(c.id, c.sla_ack_hours, c.sla_act_hours) for c in
                  db.session.scalars(db.select(Category).where(Category.parent_id.isnot(None)))]
    db.session.commit()
    return {"pao": pao.id, "stations": [s.id for s in station_rows], "members": [u.id for u in members],
            "desks": {u.station_id: u.id for u in desks}, "categories": categories}


def station_index(rng, count):
    """A skewed pick: the first stations (city stations) get far more reports than the last."""
    return min(count - 1, int(count * rng.random() ** 1.6))


def report_rows(ids, count, seed=1):
    """Yield synthetic report rows in COLUMNS order."""
    rng = random.Random(seed)
    stations, members, desks = ids["stations"], ids["members"], ids["desks"]
    for n in range(count):
        age = timedelta(seconds=rng.random() * SPAN_DAYS * 86400)
        created = NOW - age
        category_id, ack_h, act_h = rng.choice(ids["categories"])
        priority = rng.choice(PRIORITIES)
        factor = FACTORS[priority]
        ack_due = created + timedelta(hours=ack_h * factor)
        act_due = created + timedelta(hours=act_h * factor)
        roll = rng.random()
        if age > timedelta(days=60):
            status = "closed" if roll < 0.92 else "rejected" if roll < 0.97 else rng.choice(OPEN)
        else:
            status = rng.choice(OPEN) if roll < 0.75 else "closed" if roll < 0.95 else "rejected"
        station_id = stations[station_index(rng, len(stations))]
        acknowledged = created + timedelta(hours=ack_h * factor * rng.random() * 1.5) \
            if status not in ("new", "reopened") else None
        closed = created + timedelta(days=rng.random() * 30) if status in ("closed", "rejected") else None
        assigned = desks[station_id] if status in ("in_progress", "action_taken") and rng.random() < 0.7 else None
        narrative = " ".join(rng.choice(WORDS) for _ in range(12 + rng.randrange(12)))
        yield (ids["pao"], f"BEN-{2569 - int(age.days / 365):04d}-{n + 1:08d}", f"s{n:07d}", category_id, narrative,
               "{}", 6.5 + rng.random() * 13, 98.5 + rng.random() * 6, priority, status, station_id, assigned,
               members[n % len(members)], True, f"bench-{n}", 0, created, created, ack_due, act_due, acknowledged,
               closed, 1)


def fill_postgres(app, count):
    """COPY `count` reports into PostgreSQL; return the ids of the reference data."""
    from app.extensions import db

    with app.app_context():
        ids = seed_reference_data(app.config["BENCH_STATIONS"])
        started = time.perf_counter()
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY reports ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for n, row in enumerate(report_rows(ids, count), start=1):
                        copy.write_row(row)
                        if n % 500_000 == 0:
                            print(f"  copied {n:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
            raw.commit()
            # What autovacuum does to a settled table: statistics, and the visibility map index-only scans need.
            raw.driver_connection.autocommit = True
            with raw.cursor() as cursor:
                for _attempt in range(10):  # another session's open snapshot can keep pages from all-visible
                    cursor.execute("VACUUM ANALYZE reports")
                    cursor.execute("SELECT relallvisible::float / greatest(relpages, 1) FROM pg_class "
                                   "WHERE relname = 'reports'")
                    if cursor.fetchone()[0] > 0.95:
                        break
                    time.sleep(5)
        finally:
            raw.close()
        print(f"PostgreSQL: {count:,} reports copied, vacuumed and analysed in {time.perf_counter() - started:.0f} s")
    return ids


def fill_sqlite(app, count, batch=20_000):
    """Insert `count` reports into SQLite with executemany in batches; return the reference ids."""
    from app.extensions import db

    with app.app_context():
        ids = seed_reference_data(app.config["BENCH_STATIONS"])
        started = time.perf_counter()
        # the column names are this module's own constant, never input
        sql = f"INSERT INTO reports ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"  # nosec B608
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            rows = []
            for row in report_rows(ids, count):
                rows.append(tuple(v.isoformat(" ") if isinstance(v, datetime) else v for v in row))
                if len(rows) == batch:
                    cursor.executemany(sql, rows)
                    rows = []
            if rows:
                cursor.executemany(sql, rows)
            raw.commit()
            cursor.execute("ANALYZE")
            raw.commit()
        finally:
            raw.close()
        print(f"SQLite: {count:,} reports inserted in {time.perf_counter() - started:.0f} s")
    return ids


def existing_ids(app):
    """Return the reference ids of an already filled database (--reuse)."""
    from app.accounts.models import Role, User
    from app.extensions import db
    from app.stations.models import Station

    with app.app_context():
        stations = list(db.session.scalars(db.select(Station.id).order_by(Station.id)))
        desks = dict(db.session.execute(db.select(User.station_id, User.id)
                                        .where(User.role == Role.DESK_OFFICER)).all())
    return {"stations": stations, "desks": desks}
