"""Periodic job owned by oversight: keep the monthly rollups up to date (the delivery worker runs it)."""
from app.delivery.periodic import periodic
from app.oversight.rollup import RollupBusy, refresh_rollups

# Figures on the dashboard (overdue counts included) lag the reports by at most this much.
ROLLUP_EVERY_SECONDS = 600


@periodic("oversight_rollup", every_seconds=ROLLUP_EVERY_SECONDS)
def refresh_rollups_job(now):
    """Rebuild the rollups of months whose reports changed, or passed a deadline, since the last run."""
    try:
        return refresh_rollups(now=now, wait=False)
    except RollupBusy:  # a rebuild from the command line is running; the next run catches up
        return 0
