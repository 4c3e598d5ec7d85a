"""Periodic job of oversight: keep the monthly rollups up to date (app/jobs.py registers it for the worker)."""
from app.oversight.rollup import RollupBusy, refresh_rollups

# Figures on the dashboard (overdue counts included) lag the reports by at most this much.
ROLLUP_EVERY_SECONDS = 60  # a refresh moves only the changed reports (app.oversight.delta)


def refresh_rollups_job(now):
    """Rebuild the rollups of months whose reports changed, or passed a deadline, since the last run."""
    try:
        return refresh_rollups(now=now, wait=False)
    except RollupBusy:  # a rebuild from the command line is running; the next run catches up
        return 0
