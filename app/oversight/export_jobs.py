"""Reports CSV exports of any size, prepared by the worker in the background.

A request becomes an ExportJob row; a worker claims it (a conditional UPDATE: one worker per job, a dead
worker's lease runs out), streams the same rows as the direct download through gzip into a temporary
file, records progress on its own connection (the rows come from a server-side cursor the export's
session must keep open), and uploads the file to storage (app/core/storage.py). The page shows the
progress; a download link is signed and valid EXPORT_LINK_MINUTES; the file and the row are deleted
EXPORT_KEEP_HOURS after the export finished.
"""
import gzip
import logging
import secrets
import tempfile
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import User
from app.core.replica import replica_reads
from app.core.storage import get_storage
from app.core.timeutil import to_bangkok, utcnow
from app.extensions import db
from app.oversight.exports import report_count, report_rows
from app.oversight.periods import month_code
from app.oversight.scope import Filters, oversight_scope

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
LEASE = timedelta(minutes=30)  # a running export whose worker vanished is taken up again after this
PROGRESS_EVERY = 1000  # rows between progress updates
FILTER_ARGS = ("pao", "from", "to", "category", "station")


class ExportJob(db.Model):
    """One requested reports CSV: who asked, for what filters, how far the worker is, where the file is."""

    __tablename__ = "export_jobs"
    __table_args__ = (db.Index("ix_export_jobs_status", "status", "created_at"),)

    id = db.Column(db.Integer, primary_key=True)
    requested_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                                index=True)
    args = db.Column(db.JSON, nullable=False)  # the dashboard filters, months resolved when asked
    lang = db.Column(db.String(8), nullable=False)
    status = db.Column(db.String(16), nullable=False, default=QUEUED)
    rows_total = db.Column(db.Integer)
    rows_done = db.Column(db.Integer, nullable=False, default=0)
    storage_key = db.Column(db.String(128))
    size_bytes = db.Column(db.BigInteger)
    error = db.Column(db.String(200))
    claimed_until = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    finished_at = db.Column(db.DateTime)

    @property
    def percent(self):
        if self.status == DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))

    @property
    def file_name(self):
        return f"reports_{self.args.get('from', '')}_{self.args.get('to', '')}.csv.gz"


def request_export(user, args, lang, today):
    """Queue a reports export of these dashboard filters for the user; return the job (flushed).

    Raises PermissionError when the user sees no figures, LookupError for an unknown PAO code.
    """
    scope = oversight_scope(user, args.get("pao"))
    if scope is None:
        raise PermissionError
    filters = Filters.from_args(args, today)
    kept = {key: args.get(key) for key in FILTER_ARGS if args.get(key)}
    kept.update({"from": month_code(filters.first), "to": month_code(filters.last)})
    job = ExportJob(requested_by_id=user.id, args=kept, lang=lang, status=QUEUED)
    db.session.add(job)
    db.session.flush()
    return job


def exports_of(user, limit=20):
    """Return the user's exports, newest first."""
    return db.session.scalars(db.select(ExportJob).where(ExportJob.requested_by_id == user.id)
                              .order_by(ExportJob.id.desc()).limit(limit)).all()


def claim_export(now):
    """Claim the oldest queued export (or one whose worker's lease ran out) and commit; return it or None."""
    candidates = db.session.scalars(
        db.select(ExportJob.id).where(db.or_(ExportJob.status == QUEUED,
                                             db.and_(ExportJob.status == RUNNING, ExportJob.claimed_until < now)))
        .order_by(ExportJob.id).limit(5)).all()
    for job_id in candidates:
        won = db.session.execute(
            db.update(ExportJob).where(ExportJob.id == job_id, db.or_(
                ExportJob.status == QUEUED, db.and_(ExportJob.status == RUNNING, ExportJob.claimed_until < now)))
            .values(status=RUNNING, claimed_until=now + LEASE, rows_done=0)
            .execution_options(synchronize_session=False)).rowcount == 1
        db.session.commit()
        if won:
            return db.session.get(ExportJob, job_id)
    return None


def _set_progress(job_id, **values):
    """Write progress on a connection of its own, so the export's cursor stays open."""
    with db.engine.begin() as connection:
        connection.execute(db.update(ExportJob).where(ExportJob.id == job_id).values(**values))


def run_export(job, now):
    """Write the job's CSV through gzip to storage; mark it done (or failed, with the reason)."""
    try:
        user = db.session.get(User, job.requested_by_id)
        scope = oversight_scope(user, job.args.get("pao")) if user and user.is_active else None
        if scope is None:
            raise PermissionError("the requester no longer sees these figures")
        filters = Filters.from_args(job.args, to_bangkok(now).date())
        with replica_reads():
            total = report_count(scope, filters)
        if total > current_app.config["EXPORT_MAX_ROWS"]:
            raise ValueError(f"{total} reports exceed EXPORT_MAX_ROWS")
        _set_progress(job.id, rows_total=total)
        key = f"exports/{job.id}-{secrets.token_hex(8)}.csv.gz"
        with tempfile.TemporaryFile() as spool, replica_reads():
            rows = _write_gzip(spool, job, scope, filters, now)
            size = spool.tell()
            spool.seek(0)
            get_storage().save_file(key, spool)
        db.session.rollback()  # end the export's read transaction before the final write
        _set_progress(job.id, status=DONE, storage_key=key, size_bytes=size, rows_done=rows, finished_at=utcnow(),
                      claimed_until=None)
    except Exception as error:  # recorded for the requester; the worker goes on
        db.session.rollback()
        log.exception("export %s failed", job.id)
        _set_progress(job.id, status=FAILED, error=f"{type(error).__name__}: {error}"[:200], finished_at=utcnow(),
                      claimed_until=None)


def _write_gzip(spool, job, scope, filters, now):
    rows = -1  # the first line is the header
    # SQLite lets no one commit while the export's read is open: progress then shows only at the end.
    live_progress = db.session.get_bind().dialect.name != "sqlite"
    with gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=6) as out, force_locale(job.lang):
        for line in report_rows(scope, filters, lang=job.lang, now=now):
            out.write(line.encode("utf-8"))
            rows += 1
            if rows and rows % PROGRESS_EVERY == 0 and live_progress:
                _set_progress(job.id, rows_done=rows)
    return rows


def run_export_jobs(now):
    """Periodic job: run queued exports one after another for up to a minute; return how many ran."""
    ran, started = 0, utcnow()
    while utcnow() - started < timedelta(minutes=1):
        job = claim_export(now)
        if job is None:
            break
        run_export(job, now)
        ran += 1
    return ran


def purge_exports(now):
    """Periodic job: delete exports (file and row) finished more than EXPORT_KEEP_HOURS ago; return how many."""
    cutoff = now - timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"])
    old = db.session.scalars(db.select(ExportJob).where(ExportJob.finished_at < cutoff).limit(500)).all()
    storage = get_storage()
    for job in old:
        if job.storage_key:
            storage.delete(job.storage_key)  # StorageUnavailable: the row stays, the next run tries again
        db.session.delete(job)
    db.session.flush()
    return len(old)


def export_keys():
    """Yield the storage keys export rows expect (`flask storage check`)."""
    yield from db.session.scalars(db.select(ExportJob.storage_key).where(ExportJob.storage_key.is_not(None)))


def _signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="ruamkan-export-link")


def link_token(job):
    """Return the token of a download link for this export, valid EXPORT_LINK_MINUTES from now."""
    return _signer().dumps(job.id)


def check_link(job, token):
    """Return None when the token is a valid, unexpired link to this job, else 'expired' or 'invalid'."""
    try:
        job_id = _signer().loads(token or "", max_age=current_app.config["EXPORT_LINK_MINUTES"] * 60)
    except SignatureExpired:
        return "expired"
    except BadSignature:
        return "invalid"
    return None if job_id == job.id else "invalid"
