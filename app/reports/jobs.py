"""Periodic job of reports: purge personal data past its retention time (app/jobs.py registers it)."""
from app.reports.retention import purge_expired

# Hourly is plenty for periods counted in days; each run takes one batch, so a backlog drains gradually.
EVERY_SECONDS = 3600


def purge_expired_job(now):
    """Remove contacts and photo originals whose retention time has passed; a second run removes nothing."""
    return purge_expired(now=now)
