"""The LINE webhook: check the signature, handle each event once, answer through the reply API.

Events: follow (greet), unfollow (unlink), join / leave (a station group), message text (a link code, or a
council member's answer to a police question) and postback (Reply on a question). Each event is handled
in its own transaction together with a row keyed by its webhookEventId, so a redelivered event is skipped.
"""
import base64
import hashlib
import hmac
import logging
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.core.timeutil import utcnow
from app.delivery.channels import line as line_api
from app.delivery.line_links import (
    LinkError,
    claim_code,
    find_code_in,
    linked_user,
    unlink_group,
    unlink_line_user,
)
from app.delivery.line_messages import REPLY_PREFIX, choose_question, text
from app.delivery.line_models import LineConversation, LineWebhookEvent
from app.extensions import db
from app.reports.models import OPEN_STATUSES, Report, ReportEvent
from app.reports.services import ReportActionError, answer_question
from app.reports.timeline import open_questions

log = logging.getLogger(__name__)

CONVERSATION_MINUTES = 60


def valid_signature(secret, body, signature):
    """Return True when X-Line-Signature is the base64 HMAC-SHA256 of the raw body under the channel secret."""
    if not secret or not signature:
        return False
    expected = base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")
    return hmac.compare_digest(expected, signature.strip())


def handle_webhook(document, *, now=None):
    """Handle every event of a webhook body once; return the replies owed, as (reply token, messages).

    The caller sends them once LINE has its 200 (send_replies), so a slow reply API never holds the webhook."""
    owed = []
    for event in (document or {}).get("events") or []:
        if not isinstance(event, dict):
            continue
        try:
            replies = _handle_once(event, now or utcnow())
        except Exception:  # one broken event must not lose the others; LINE may redeliver it
            db.session.rollback()
            log.exception("LINE event %s could not be handled", event.get("webhookEventId"))
            continue
        if replies:
            owed.append((event.get("replyToken"), replies))
    return owed


def send_replies(owed):
    """Answer handled events through the reply API (each token is good once, for about a minute)."""
    for token, messages in owed:
        line_api.reply(token, messages)


def _handle_once(event, now):
    event_id = str(event.get("webhookEventId") or "")[:64]
    if event_id:
        if db.session.get(LineWebhookEvent, event_id) is not None:
            return None
        db.session.add(LineWebhookEvent(webhook_event_id=event_id, event_type=str(event.get("type"))[:32],
                                        received_at=now))
        try:
            db.session.flush()
        except IntegrityError:  # another worker took the same delivery a moment ago
            db.session.rollback()
            return None
    replies = HANDLERS.get(event.get("type"), _ignore)(event, event.get("source") or {}, now)
    db.session.commit()
    return replies or []


def _ignore(event, source, now):
    return []


def _language(user=None, line_user_id=None):
    if user is not None:
        return user.preferred_language if user.preferred_language in ("th", "en") else "th"
    if line_user_id:
        language = (line_api.profile(line_user_id).get("language") or "").lower()
        return "en" if language.startswith("en") else "th"
    return "th"


def on_follow(event, source, now):
    """Greet a new friend: say how to link, or that the account is already linked."""
    user = linked_user(source.get("userId"))
    with force_locale(_language(user, source.get("userId"))):
        if user is not None:
            return [text(_("Your LINE is linked to Ruamkan. Messages about your reports will come here."))]
        return [text(_("Welcome to Ruamkan. To get messages here, open Settings → Notifications in Ruamkan "
                       "and send the code shown there."))]


def on_unfollow(event, source, now):
    """The user blocked or unfollowed the bot: unlink every account it reached."""
    unlink_line_user(source.get("userId") or "")
    return []


def on_join(event, source, now):
    """The bot joined a group: ask a station commander for the station link code."""
    with force_locale("th"):
        return [text(_("Hello. A station commander can link this group to the station by sending the "
                       "station link code from Ruamkan (Settings → Notifications) here."))]


def on_leave(event, source, now):
    """The bot was removed from a group: forget the group."""
    unlink_group(source.get("groupId") or source.get("roomId") or "")
    return []


def on_message(event, source, now):
    """A text: a link code (person or group), or a linked member's answer."""
    message = event.get("message") or {}
    if message.get("type") != "text":
        return []
    body = (message.get("text") or "").strip()
    group_id = source.get("groupId") or source.get("roomId")
    code = find_code_in(body) if len(body) <= 12 else None
    if group_id:
        return _claim_group(group_id, code, now) if code else []
    line_user_id = source.get("userId")
    user = linked_user(line_user_id)
    if code:
        try:
            name = line_api.profile(line_user_id).get("displayName")
            row = claim_code(line_user_id, code, for_station=False, name=name, now=now)
        except LinkError:
            if user is None:
                with force_locale(_language(None, line_user_id)):
                    return [text(_("This code is unknown or has expired. Open Settings → Notifications in "
                                   "Ruamkan for a new one."))]
        else:
            with force_locale(_language(row.user)):
                return [text(_("Almost done: open Ruamkan, Settings → Notifications, and confirm this LINE "
                               "account there within 10 minutes. If you did not ask for this, do nothing."))]
    if user is None:
        with force_locale(_language(None, line_user_id)):
            return [text(_("To get Ruamkan messages here, send the code shown in Settings → Notifications."))]
    return _answer_text(user, body, now)


def _claim_group(group_id, code, now):
    with force_locale("th"):
        try:
            row = claim_code(group_id, code, for_station=True, now=now)
        except LinkError:
            return [text(_("This station link code is unknown or has expired."))]
        return [text(_("Almost done: the commander confirms this group for %(station)s in Ruamkan, Settings → "
                       "Notifications, within 10 minutes.", station=row.station.name("th")))]


def on_postback(event, source, now):
    """Reply on a question: the member's next text answers it (or a text already sent does, now)."""
    data = str((event.get("postback") or {}).get("data") or "")
    user = linked_user(source.get("userId"))
    if user is None or not data.startswith(REPLY_PREFIX):
        return []
    question = _own_open_question(user, data[len(REPLY_PREFIX):])
    conversation = _conversation(user, now)
    with force_locale(_language(user)):
        if question is None:
            return [text(_("This question was already answered or the report is closed."))]
        if conversation is not None and conversation.pending_text:
            pending = conversation.pending_text
            db.session.delete(conversation)
            return _answer(user, question, pending)
        _remember(user, now, question_id=question.id)
        return [text(_("Write your answer to the question on %(ref)s and send it here.",
                       ref=question.report.reference_number))]


def _answer_text(user, body, now):
    conversation = _conversation(user, now)
    with force_locale(_language(user)):
        if conversation is not None and conversation.question_id:
            question = _own_open_question(user, conversation.question_id)
            db.session.delete(conversation)
            if question is not None:
                return _answer(user, question, body)
        questions = member_open_questions(user)
        if not questions:
            return [text(_("There is no open question from the police for you. Open Ruamkan to see your "
                           "reports."))]
        if len(questions) == 1:
            return _answer(user, questions[0], body)
        _remember(user, now, pending_text=body)
        return [choose_question(questions, _language(user))]


def _answer(user, question, body):
    report = question.report
    try:
        answer_question(report, user, question, body)
    except ReportActionError:
        return [text(_("The answer could not be added to %(ref)s. Please answer in Ruamkan.",
                       ref=report.reference_number))]
    log.info("question %s on report %s answered from LINE by %s", question.id, report.id, user.username)
    return [text(_("Thank you. Your answer was added to %(ref)s and the station was told.",
                   ref=report.reference_number))]


def member_open_questions(user):
    """Return the unanswered police questions on open reports the user filed, newest first."""
    reports = db.session.scalars(db.select(Report).where(
        Report.filed_by_id == user.id, Report.status.in_(OPEN_STATUSES),
        Report.id.in_(db.select(ReportEvent.report_id).where(ReportEvent.kind == "question")))).all()
    questions = [q for report in reports for q in open_questions(report)]
    return sorted(questions, key=lambda q: q.id, reverse=True)


def _own_open_question(user, question_id):
    try:
        question_id = int(question_id)
    except (TypeError, ValueError):
        return None
    return next((q for q in member_open_questions(user) if q.id == question_id), None)


def _conversation(user, now):
    conversation = db.session.get(LineConversation, user.id)
    if conversation is not None and conversation.expires_at <= now:
        db.session.delete(conversation)
        db.session.flush()
        return None
    return conversation


def _remember(user, now, *, question_id=None, pending_text=None):
    conversation = db.session.get(LineConversation, user.id) or LineConversation(user_id=user.id)
    conversation.question_id, conversation.pending_text = question_id, pending_text
    conversation.expires_at = now + timedelta(minutes=CONVERSATION_MINUTES)
    db.session.add(conversation)
    db.session.flush()


HANDLERS = {"follow": on_follow, "unfollow": on_unfollow, "join": on_join, "leave": on_leave,
            "message": on_message, "postback": on_postback}
