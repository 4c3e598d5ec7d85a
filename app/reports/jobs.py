"""Periodic job of reports: purge personal data past its retention time (the delivery worker runs it)."""
from app.delivery.periodic import register_periodic
from app.reports.retention import purge_expired

# Hourly is plenty for periods counted in days; each run takes one batch, so a backlog drains gradually.
EVERY_SECONDS = 3600


def purge_expired_job(now):
    """Remove contacts and photo originals whose retention time has passed; a second run removes nothing."""
    return purge_expired(now=now)


def register_retention_job():
    """Have the worker run the purge hourly; called by every create_app, not left to a first import."""
    register_periodic("retention_purge", EVERY_SECONDS, purge_expired_job)
