"""Background export at scale: N reports on PostgreSQL, one export job run as the worker runs it, timed.

Sets up a scratch PostgreSQL database (DROPPED and re-created from --database-url, dropped at the end),
migrates it, seeds the Songkhla demo, files --seed-reports reports through submit_report and copies
them in SQL up to --rows. Then a coordinator asks for the export of every month and the worker's
code (claim_export + run_export) writes it as gzip CSV to --storage-url (default: a temporary folder;
s3://bucket/prefix with --s3-endpoint for SeaweedFS or another S3 store). Prints rows, seconds,
rows/s, gzip size and the process's peak memory.

Run: python bench/export.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/ruamkan_bench_export
                            [--rows 2000000] [--storage-url s3://ruamkan/bench --s3-endpoint http://127.0.0.1:8333]
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench._seed import bench_app, seed_people, seed_reports  # noqa: E402
from bench._server import drop_database, migrate, scratch_database, stop_on_sigterm  # noqa: E402


def copy_reports(app, rows):
    """Copy the filed reports in SQL until there are `rows` (fresh references and keys, months spread)."""
    from app.extensions import db
    from app.reports.models import Report

    with app.app_context():
        have = db.session.scalar(db.select(db.func.count(Report.id)))
        columns = [c.name for c in Report.__table__.columns if c.name != "id"]
        fresh = {"reference_number": "r.reference_number || '-' || g", "idempotency_key": "'copy-' || g || '-' || r.id",
                 "created_at": "r.created_at - (g % 330) * interval '1 day'"}
        select = ", ".join(fresh.get(c, f"r.{c}") for c in columns)
        copies = max(0, -(-(rows - have) // have))
        db.session.execute(db.text(
            f"INSERT INTO reports ({', '.join(columns)}) SELECT {select} FROM reports r, "  # nosec B608: names from the model
            f"generate_series(1, :copies) g"), {"copies": copies})
        db.session.commit()
        return db.session.scalar(db.select(db.func.count(Report.id)))


def run(args, workdir):
    url = scratch_database(args.database_url, workdir, "export")
    try:
        migrate(url, workdir)
        app = bench_app(url, workdir)
        app.config.update(STORAGE_URL=args.storage_url or (Path(workdir) / "files").as_uri(),
                          S3_ENDPOINT_URL=args.s3_endpoint, EXPORT_MAX_ROWS=10 ** 8)
        seed_people(app, members=3, desks=3, coordinators=1)
        seed_reports(app, args.seed_reports, days=330)
        total = copy_reports(app, args.rows)
        from app.accounts.models import User
        from app.core.storage import get_storage
        from app.core.timeutil import to_bangkok, utcnow
        from app.extensions import db
        from app.oversight.export_jobs import claim_export, request_export, run_export

        with app.test_request_context():
            user = db.session.scalar(db.select(User).where(User.username == "bench.coordinator0"))
            today = to_bangkok(utcnow()).date()
            every = {"from": f"{today.year - 3}-{today.month:02d}", "to": f"{today:%Y-%m}"}  # capped at 36 months
            job = request_export(user, every, "th", today)
            db.session.commit()
            started = time.perf_counter()
            job = claim_export(utcnow())
            run_export(job, utcnow())
            seconds = time.perf_counter() - started
            db.session.refresh(job)
            stored = len(get_storage().read(job.storage_key)) if job.storage_key else 0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"reports in database: {total:,}")
        print(f"export: status {job.status}, {job.rows_done:,} rows in {seconds:.1f} s "
              f"({job.rows_done / seconds:,.0f} rows/s), gzip {stored / 1e6:.1f} MB, peak memory {peak_mb:.0f} MB")
        if job.status != "done":
            print(f"error: {job.error}")
            return 1
        return 0
    finally:
        if not args.keep:
            drop_database(url)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL of a scratch database (re-created)")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed-reports", type=int, default=300, help="reports filed through submit_report")
    parser.add_argument("--storage-url", default=None)
    parser.add_argument("--s3-endpoint", default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    with tempfile.TemporaryDirectory(prefix="ruamkan-export-") as workdir:
        return run(args, workdir)


if __name__ == "__main__":
    sys.exit(main())
