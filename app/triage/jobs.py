"""Periodic job of triage: escalate missed SLA deadlines (app/jobs.py registers it for the worker)."""
from app.triage.sla import run_sla_check

# Often enough that a 1-hour acknowledge-by escalates within minutes of being missed.
EVERY_SECONDS = 600


def check_sla(now):
    """Escalate missed deadlines; running it again adds nothing."""
    return run_sla_check(now)
