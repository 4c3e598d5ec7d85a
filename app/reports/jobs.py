"""Periodic jobs of reports: purge personal data past its retention time, and photos of forms never sent."""
from flask import current_app

from app.reports.retention import purge_expired
from app.reports.staging import purge_stale_staged

# Hourly is plenty for periods counted in days; each run takes one batch, so a backlog drains gradually.
EVERY_SECONDS = 3600


def purge_expired_job(now):
    """Remove contacts and photo originals whose retention time has passed; a second run removes nothing."""
    return purge_expired(now=now)


def purge_staged_photos_job(now):
    """Delete photos kept for intake forms that were never sent (STAGED_PHOTO_HOURS)."""
    return purge_stale_staged(now=now, hours=current_app.config["STAGED_PHOTO_HOURS"])
