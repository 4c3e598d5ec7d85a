"""Periodic job of triage: escalate missed SLA deadlines (the delivery worker runs it)."""
from app.delivery.periodic import periodic
from app.triage.sla import run_sla_check

# Often enough that a 1-hour acknowledge-by escalates within minutes of being missed.
EVERY_SECONDS = 600


@periodic("sla_check", every_seconds=EVERY_SECONDS)
def check_sla(now):
    """Escalate missed deadlines; running it again adds nothing."""
    return run_sla_check(now)
