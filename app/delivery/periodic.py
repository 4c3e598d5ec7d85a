"""A tiny registry of periodic jobs the worker runs; the database decides which worker runs each one."""
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from app.delivery.models import PeriodicJobRun
from app.extensions import db

log = logging.getLogger(__name__)

# After a failed run, try again this soon rather than waiting a whole period.
RETRY_FAILED_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    func: Callable  # func(now) -> anything; it writes with flush, the worker commits


_JOBS = {}


def register_periodic(name, every_seconds, func):
    """Register (or replace) a job the worker runs every `every_seconds`; func(now) must be idempotent."""
    _JOBS[name] = PeriodicJob(name, timedelta(seconds=every_seconds), func)
    return func


def registered_jobs():
    """Return the registered jobs, by name."""
    return dict(_JOBS)


def run_due_jobs(now):
    """Run every job that is due and that no other worker has just started; return their names."""
    ran = []
    for job in list(_JOBS.values()):
        if not _claim(job, now):
            continue
        try:
            job.func(now)
            _finish(job.name, last_finished_at=now, last_error=None)
            ran.append(job.name)
        except Exception as error:  # one broken job must not stop deliveries or the other jobs
            db.session.rollback()
            log.exception("periodic job %s failed", job.name)
            _finish(job.name, last_finished_at=now, last_error=f"{type(error).__name__}: {error}",
                    next_run_at=now + min(job.every, RETRY_FAILED_AFTER))
    return ran


def _claim(job, now):
    """Atomically move the job's next run one period on, only if it was due; True when this worker won."""
    if db.session.get(PeriodicJobRun, job.name) is None:
        try:
            db.session.add(PeriodicJobRun(name=job.name))
            db.session.commit()
        except IntegrityError:  # another worker created the row first
            db.session.rollback()
    result = db.session.execute(
        db.update(PeriodicJobRun)
        .where(PeriodicJobRun.name == job.name,
               db.or_(PeriodicJobRun.next_run_at.is_(None), PeriodicJobRun.next_run_at <= now))
        .values(last_started_at=now, next_run_at=now + job.every).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _finish(name, **values):
    db.session.execute(db.update(PeriodicJobRun).where(PeriodicJobRun.name == name).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()
