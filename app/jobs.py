"""Every periodic job the worker runs, registered in one place when the app is created.

The registry and the worker that runs it are delivery's (app/delivery/periodic.py); the jobs belong to
the packages whose work they do. A job must be idempotent: the database decides which worker runs it.
"""
from app.delivery.jobs import DAY, check_expiring_mous
from app.delivery.line_links import prune_line_records
from app.delivery.periodic import register_periodic
from app.oversight.export_jobs import purge_exports, run_export_jobs
from app.oversight.jobs import ROLLUP_EVERY_SECONDS, refresh_rollups_job
from app.reports.jobs import EVERY_SECONDS as RETENTION_EVERY_SECONDS
from app.reports.jobs import purge_expired_job, purge_staged_photos_job
from app.reports.jurisdiction_publish import JOB_EVERY_SECONDS as JURISDICTION_EVERY_SECONDS
from app.reports.jurisdiction_publish import versions_taking_effect_job
from app.triage.jobs import EVERY_SECONDS as SLA_EVERY_SECONDS
from app.triage.jobs import check_sla

JOBS = (
    ("sla_check", SLA_EVERY_SECONDS, check_sla),
    ("oversight_rollup", ROLLUP_EVERY_SECONDS, refresh_rollups_job),
    ("mou_expiring", DAY, check_expiring_mous),
    ("retention_purge", RETENTION_EVERY_SECONDS, purge_expired_job),
    ("staged_photos_purge", RETENTION_EVERY_SECONDS, purge_staged_photos_job),
    ("line_prune", DAY, prune_line_records),
    ("exports_run", 5, run_export_jobs),  # background CSV exports (app/oversight/export_jobs.py)
    ("exports_purge", 3600, purge_exports),
    ("jurisdiction_takes_effect", JURISDICTION_EVERY_SECONDS, versions_taking_effect_job),
)


def register_jobs():
    """Register every periodic job with the worker's registry."""
    for name, every_seconds, func in JOBS:
        register_periodic(name, every_seconds, func)
