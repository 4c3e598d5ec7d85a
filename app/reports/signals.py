"""What happens to reports that other packages may want to hear about; the sender is the report.

Reports sit below delivery, so they announce and delivery listens (app/delivery/notify.py connects at
app creation). Receivers run at once, inside the sender's transaction: an outbox row written by one
commits or rolls back with the change that caused it.
"""
from blinker import Namespace

_signals = Namespace()

report_routed = _signals.signal("report-routed")  # the report arrived at a station (filed, transferred, forwarded)
question_asked = _signals.signal("question-asked")  # police asked the council member a question
question_answered = _signals.signal("question-answered")  # the council member answered (web, API or LINE)
resident_wrote = _signals.signal("resident-wrote")  # the resident added information or answered (tracking page)
outcome_recorded = _signals.signal("outcome-recorded")  # police recorded what they did
