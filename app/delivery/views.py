"""Admin page of messages that could not be delivered, with retry buttons."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.delivery import bp
from app.delivery.models import OutboxMessage, OutboxStatus
from app.delivery.services import retry_dead_messages, retry_message
from app.extensions import db
from app.security.access import role_required

KIND_LABELS = {
    "report_routed": _l("Report routed to a station"),
    "question_asked": _l("Question to the council member"),
    "question_answered": _l("Answer from the council member"),
    "resident_wrote": _l("The resident wrote (anonymous)"),
    "outcome_recorded": _l("Outcome recorded"),
    "overdue_escalation": _l("Overdue report escalation"),
    "mou_expiring": _l("MOU ending soon"),
}
CHANNEL_LABELS = {"email": _l("E-mail"), "webhook": _l("Webhook"), "line": _l("LINE")}
PAGE_SIZE = 200


def failing_messages():
    """Return (dead or repeatedly failing messages, newest failure first, at most PAGE_SIZE; their total)."""
    failing = db.or_(OutboxMessage.status == OutboxStatus.DEAD, db.and_(
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.attempts >= int(current_app.config.get("OUTBOX_FAILING_ATTEMPTS", 3))))
    total = db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(failing))
    rows = db.session.scalars(
        db.select(OutboxMessage).where(failing)
        .options(selectinload(OutboxMessage.recipient_user), selectinload(OutboxMessage.recipient_station),
                 selectinload(OutboxMessage.report))
        .order_by(OutboxMessage.last_attempt_at.desc().nulls_last(), OutboxMessage.id.desc())
        .limit(PAGE_SIZE)).all()
    return rows, total


@bp.get("/failures")
@role_required("admin")
def failures():
    """List dead and repeatedly failing notifications with their last error."""
    rows, total = failing_messages()
    dead = db.session.scalar(db.select(db.func.count(OutboxMessage.id))
                             .where(OutboxMessage.status == OutboxStatus.DEAD))
    return render_template("delivery/failures.html", rows=rows, total=total, dead=dead,
                           kind_labels=KIND_LABELS, channel_labels=CHANNEL_LABELS)


@bp.post("/failures/<int:message_id>/retry")
@role_required("admin")
def retry(message_id):
    """Queue one message again."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status == OutboxStatus.SENT:
        abort(404)
    retry_message(message, actor=current_user)
    db.session.commit()
    flash(_("The message will be sent again shortly."), "success")
    return redirect(url_for("delivery.failures"))


@bp.post("/failures/retry-dead")
@role_required("admin")
def retry_dead():
    """Queue every dead message again."""
    count = retry_dead_messages(actor=current_user)
    db.session.commit()
    flash(_("%(count)d messages will be sent again shortly.", count=count), "success")
    return redirect(url_for("delivery.failures"))
