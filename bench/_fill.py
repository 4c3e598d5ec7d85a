"""Fill the dashboard bench's reports, routing decisions and timeline events inside PostgreSQL.

Every report is drawn by the server (INSERT … SELECT from generate_series, in chunks), with the same
distributions the bench used when it generated rows in Python and sent them by COPY: 90 % of reports
from the first PAO's 200 members, stations uniform, categories weighted (drugs 5, crime 3, others 2),
filing time uniform over the last MONTHS × 30 days, acknowledgement after a log-normal delay (median
about 3 h) for 95 % of those old enough, 3 % of those transferred, an outcome a log-normal delay later
(median about 30 h more) for 90 %, 4 % reopened, 70 % of the rest closed after 72 h, 2 % of the
unacknowledged rejected, 80 % in the station's first amphoe. The secondary indexes are dropped during
the fill and built once at the end, which is far cheaper than keeping them up to date row by row.
"""
import time
from datetime import timedelta

CHUNK = 1_000_000
AMPHOE = [f"90{n:02d}" for n in range(1, 17)]
TABLES = ("reports", "routing_decisions", "report_events")

# One row of draws per report: everything later statements derive from, kept so they agree.
DRAWS = """
CREATE TEMP TABLE seed_draws ON COMMIT DROP AS
SELECT g AS id, m.member_id, m.pao_id, s.station_id, s.lat, s.lon, s.desk_id, s.n AS station_n, c.category_id,
       CAST(:start AS timestamp) + random() * CAST(:span AS float8) * interval '1 second' AS created,
       c.ack_hours, c.act_hours,
       exp(1.2 + 1.1 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS ack_after,
       exp(3.4 + 1.0 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS act_more,
       random() AS u_ack, random() AS u_transfer, random() AS u_act, random() AS u_reopen, random() AS u_close,
       random() AS u_reject, random() AS u_amphoe, floor(random() * CAST(:stations AS int))::int AS transfer_n,
       random() * 0.16 - 0.08 AS dlat, random() * 0.16 - 0.08 AS dlon
FROM (SELECT g, CASE WHEN random() < 0.9 THEN floor(random() * 200) ELSE 200 + floor(random() * 40) END AS member_n,
             floor(random() * CAST(:stations AS int))::int AS station_n,
             random() * CAST(:weights AS float8) AS category_u
      FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS g) AS draw
JOIN seed_members AS m ON m.n = draw.member_n
JOIN seed_stations AS s ON s.n = draw.station_n
JOIN seed_categories AS c ON draw.category_u >= c.low AND draw.category_u < c.high
"""
# What happened to each report, decided from its draws as the Python generator decided it.
LIVES = """
CREATE TEMP TABLE seed_lives ON COMMIT DROP AS
SELECT d.*, acked AND d.u_transfer < 0.03 AS transferred,
       acked AND d.u_transfer >= 0.03 AND d.ack_after + d.act_more < age_h AND d.u_act < 0.9 AS acted,
       acked
FROM (SELECT *, extract(epoch FROM (CAST(:now AS timestamp) - created)) / 3600 AS age_h FROM seed_draws) AS d,
LATERAL (SELECT d.ack_after < d.age_h AND d.u_ack < 0.95 AS acked) AS a
"""
REPORTS = """
INSERT INTO reports (id, pao_id, reference_number, tracking_secret, category_id, narrative, answers, lat, lon,
                     priority, status, station_id, filed_by_id, resident_anonymous, idempotency_key,
                     supporter_count, created_at, updated_at, ack_due_at, act_due_at, acknowledged_at, closed_at,
                     version, tambon_code, amphoe_code)
SELECT id, pao_id, 'B' || lpad(id::text, 9, '0'), 's' || lpad(id::text, 15, '0'), category_id, 'synthetic',
       CAST('{}' AS json), l.lat + dlat, l.lon + dlon, 'normal',
       CASE WHEN closed THEN 'closed' WHEN acted THEN 'action_taken' WHEN transferred THEN 'new'
            WHEN acked THEN 'acknowledged' WHEN rejected THEN 'rejected' ELSE 'new' END,
       CASE WHEN transferred THEN t.station_id ELSE l.station_id END, member_id, false, 'k' || id, 0, created,
       CASE WHEN closed THEN outcome + interval '1 day' WHEN acted THEN outcome WHEN acked THEN ack_time
            ELSE created END,
       created + ack_hours * interval '1 hour', created + act_hours * interval '1 hour',
       CASE WHEN acked AND NOT transferred THEN ack_time END,
       CASE WHEN closed THEN outcome + interval '1 day' WHEN rejected THEN ack_time END, 1, NULL,
       (CAST(:amphoes AS text[]))[1 + (CASE WHEN transferred THEN t.n ELSE station_n END + (u_amphoe >= 0.8)::int) % 16]
FROM (SELECT *, created + ack_after * interval '1 hour' AS ack_time,
             created + (ack_after + act_more) * interval '1 hour' AS outcome,
             acted AND u_reopen < 0.04 AS reopened,
             acted AND u_reopen >= 0.04 AND age_h - ack_after - act_more > 72 AND u_close < 0.7 AS closed,
             NOT acked AND u_reject < 0.02 AS rejected
      FROM seed_lives) AS l
JOIN seed_stations AS t ON t.n = l.transfer_n
"""
DECISIONS = """
INSERT INTO routing_decisions (report_id, station_id, rule, reason, near_boundary, explanation_th, explanation_en,
                               data_version, decided_at)
SELECT id, station_id, 'area', 'initial', false, '-', '-', 1, created FROM seed_lives
UNION ALL
SELECT l.id, t.station_id, 'transfer', 'transfer', false, '-', '-', 1, created + ack_after * interval '1 hour'
FROM seed_lives AS l JOIN seed_stations AS t ON t.n = l.transfer_n WHERE transferred
"""
EVENTS = """
INSERT INTO report_events (report_id, actor_id, kind, payload, internal, created_at)
SELECT id, member_id, 'submitted', CAST('{}' AS json), false, created FROM seed_lives
UNION ALL SELECT id, NULL, 'routed', CAST('{}' AS json), false, created FROM seed_lives
UNION ALL SELECT id, desk_id, 'status_changed', CAST('{"transition": "acknowledge"}' AS json), false,
                 created + ack_after * interval '1 hour' FROM seed_lives WHERE acked
UNION ALL SELECT id, desk_id, 'rerouted', CAST('{"transition": "transfer"}' AS json), false,
                 created + ack_after * interval '1 hour' FROM seed_lives WHERE transferred
UNION ALL SELECT id, desk_id, 'outcome', CAST('{"outcome": "warning"}' AS json), false,
                 created + (ack_after + act_more) * interval '1 hour' FROM seed_lives WHERE acted
UNION ALL SELECT id, member_id, 'reopen_requested', CAST('{}' AS json), false,
                 created + (ack_after + act_more) * interval '1 hour' + interval '2 days'
          FROM seed_lives WHERE acted AND u_reopen < 0.04
UNION ALL SELECT id, member_id, 'outcome_confirmed', CAST('{}' AS json), false,
                 created + (ack_after + act_more) * interval '1 hour' + interval '1 day'
          FROM seed_lives WHERE acted AND u_reopen >= 0.04 AND age_h - ack_after - act_more > 72 AND u_close < 0.7
"""


def _world_tables(conn, world):
    """Load the stations, members and weighted categories of setup_world into temporary lookup tables."""
    conn.exec_driver_sql("CREATE TEMP TABLE seed_members (n int PRIMARY KEY, member_id int, pao_id int)")
    conn.exec_driver_sql("CREATE TEMP TABLE seed_stations (n int PRIMARY KEY, station_id int, lat float8, "
                         "lon float8, desk_id int)")
    conn.exec_driver_sql("CREATE TEMP TABLE seed_categories (low float8, high float8, category_id int, "
                         "ack_hours float8, act_hours float8)")
    cur = conn.connection.driver_connection.cursor()
    cur.executemany("INSERT INTO seed_members VALUES (%s, %s, %s)",
                    [(n, member_id, pao_id) for n, (member_id, pao_id) in enumerate(world["members"])])
    cur.executemany("INSERT INTO seed_stations VALUES (%s, %s, %s, %s, %s)",
                    [(n, sid, lat, lon, world["desk"][sid]) for n, (sid, lat, lon) in enumerate(world["stations"])])
    low, rows = 0.0, []
    for category_id, code, ack_h, act_h in world["categories"]:
        weight = 5 if code.startswith("drugs") else 3 if code.startswith("crime") else 2
        rows.append((low, low + weight, category_id, ack_h, act_h))
        low += weight
    cur.executemany("INSERT INTO seed_categories VALUES (%s, %s, %s, %s, %s)", rows)
    return low


def fill(db, world, count, seed, now, months):
    """Insert `count` reports with their decisions and events; print and return (seconds drawing rows,
    seconds building indexes)."""
    import sqlalchemy as sa

    indexes = [index for name in TABLES for index in db.metadata.tables[name].indexes]
    started = time.perf_counter()
    with db.engine.connect() as conn:
        for index in indexes:
            index.drop(conn)
        weights = _world_tables(conn, world)
        conn.exec_driver_sql("SET session_replication_role = replica")  # consistent by construction: no FK checks
        conn.exec_driver_sql("SELECT setseed(%s)", (seed / 1000 % 1,))
        conn.commit()
        span = timedelta(days=30 * months)
        for first in range(1, count + 1, CHUNK):
            values = {"first": first, "last": min(first + CHUNK - 1, count), "start": now - span,
                      "span": span.total_seconds(), "stations": len(world["stations"]), "weights": weights,
                      "now": now, "amphoes": AMPHOE}
            for statement in (DRAWS, LIVES, REPORTS, DECISIONS, EVENTS):
                conn.execute(sa.text(statement), values)
            conn.commit()
            print(f"  {values['last']:,} reports", end="\r", flush=True)
        conn.exec_driver_sql("SET session_replication_role = DEFAULT")
        for table in TABLES:
            # table names come from TABLES above, never from input
            conn.exec_driver_sql(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")  # nosec B608
        conn.commit()
        drawn = time.perf_counter() - started
        for index in indexes:
            index.create(conn)
        conn.commit()
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return drawn, time.perf_counter() - started - drawn
