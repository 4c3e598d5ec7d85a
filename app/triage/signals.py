"""Triage announces missed deadlines; delivery tells the people (app/delivery/notify.py connects).

deadline_missed: sender the report; deadline ("ack" or "act"), due_at, level ("commander" or
"coordinator") and now. Sent once per deadline and level, inside the escalation's transaction.
"""
from blinker import Namespace

_signals = Namespace()

deadline_missed = _signals.signal("deadline-missed")
