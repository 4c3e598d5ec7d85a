"""Linking LINE: one-time codes for a person or a station group, linking and unlinking, per-kind channels."""
import logging
import re
import secrets
from datetime import timedelta

from app.accounts.models import User
from app.core.timeutil import utcnow
from app.delivery.line_models import LineConversation, LineGroup, LineLinkCode, LineWebhookEvent, NotifyPreference
from app.delivery.messages import KINDS
from app.delivery.services import NOTIFY_CHOICES, DeliverySetupError
from app.extensions import db
from app.security.access import Role

log = logging.getLogger(__name__)

CODE_MINUTES = 10
WEBHOOK_EVENT_DAYS = 7
# No 0/O, 1/I/L: a code is read off a screen and may be typed by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_PATTERN = re.compile(r"\b([A-Z2-9]{4})[-\s]?([A-Z2-9]{4})\b")


class LinkError(ValueError):
    """A code that links nothing: unknown, used, expired, or of the wrong kind."""


def prune_line_records(now):
    """Delete what LINE linking no longer needs: used or expired codes, ended conversations, old event ids.

    Event ids are kept a week: LINE redelivers for a much shorter time.
    """
    removed = db.session.execute(db.delete(LineLinkCode).where(
        LineLinkCode.expires_at < now - timedelta(days=1))).rowcount
    removed += db.session.execute(db.delete(LineConversation).where(LineConversation.expires_at < now)).rowcount
    removed += db.session.execute(db.delete(LineWebhookEvent).where(
        LineWebhookEvent.received_at < now - timedelta(days=WEBHOOK_EVENT_DAYS))).rowcount
    db.session.commit()
    return removed


def format_code(code):
    """Return a code as people read it: ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}"


def find_code_in(text):
    """Return the normalised code in a text someone sent, or None."""
    match = CODE_PATTERN.search((text or "").upper())
    return match.group(1) + match.group(2) if match else None


def issue_link_code(user, *, station=None, now=None):
    """Return a valid unused code of the user (for a station group when `station`), making one when needed."""
    now = now or utcnow()
    if station is not None and (user.role != Role.STATION_COMMANDER or user.station_id != station.id):
        raise DeliverySetupError("only a commander of the station can link its LINE group")
    existing = db.session.scalar(db.select(LineLinkCode).where(
        LineLinkCode.user_id == user.id, LineLinkCode.used_at.is_(None), LineLinkCode.expires_at > now,
        LineLinkCode.claimed_id.is_(None),
        LineLinkCode.station_id.is_(None) if station is None else LineLinkCode.station_id == station.id)
        .order_by(LineLinkCode.expires_at.desc()).limit(1))
    if existing is not None:
        return existing
    code = LineLinkCode(code="".join(secrets.choice(ALPHABET) for _ in range(8)), user_id=user.id,
                        station_id=station.id if station else None, created_at=now,
                        expires_at=now + timedelta(minutes=CODE_MINUTES))
    db.session.add(code)
    db.session.flush()
    return code


def claim_code(claimed_id, code_text, *, for_station, name=None, now=None):
    """Record that a LINE user (or, for_station, a group) sent this code; the owner confirms it on the website.

    A code is claimed once: another LINE account sending the same code later is refused. Claiming gives the
    owner CODE_MINUTES from now to confirm. Return the code row.
    """
    now = now or utcnow()
    row = _usable(db.session.scalar(db.select(LineLinkCode).where(LineLinkCode.code == code_text)), now)
    if row is None or (row.station_id is not None) != for_station or \
            (row.claimed_id is not None and row.claimed_id != claimed_id):
        raise LinkError("the code is unknown, used, expired or claimed by another LINE account")
    row.claimed_id, row.claimed_name, row.claimed_at = claimed_id, (name or "")[:100] or None, now
    row.expires_at = max(row.expires_at, now + timedelta(minutes=CODE_MINUTES))
    db.session.flush()
    return row


def pending_claims(user, now=None):
    """Return the user's codes that a LINE account or group sent and that wait for the user's answer."""
    now = now or utcnow()
    return db.session.scalars(db.select(LineLinkCode).where(
        LineLinkCode.user_id == user.id, LineLinkCode.claimed_id.isnot(None), LineLinkCode.used_at.is_(None),
        LineLinkCode.expires_at > now).order_by(LineLinkCode.claimed_at)).all()


def answer_claim(user, code_id, confirm, *, now=None):
    """The code's owner confirms (link) or refuses (forget) a claim; return the linked user or group, or None."""
    now = now or utcnow()
    row = _usable(db.session.get(LineLinkCode, code_id), now)
    if row is None or row.user_id != user.id or row.claimed_id is None:
        raise LinkError("no such claim waits for this user")
    row.used_at = now
    if not confirm:
        log.info("LINE link refused by user %s", user.username)
        db.session.flush()
        return None
    return _link_group(row.claimed_id, row, now) if row.station_id else _link_user(row.claimed_id, row.user)


def _usable(row, now):
    if row is None or row.used_at is not None or row.expires_at <= now or row.user is None or not row.user.is_active:
        return None
    return row


def _link_user(line_user_id, user):
    # one LINE account reaches one Ruamkan account: whoever had it before loses it
    for other in db.session.scalars(db.select(User).where(User.line_user_id == line_user_id, User.id != user.id)):
        unlink_user(other)
    user.line_user_id = line_user_id
    if user.notify_channel == "email":
        user.notify_channel = "line"  # linking is asking for LINE; each kind can still go by e-mail
    db.session.flush()
    log.info("LINE linked to user %s", user.username)
    return user


def unlink_user(user):
    """Remove the user's LINE link; messages go by e-mail again."""
    user.line_user_id = None
    if user.notify_channel == "line":
        user.notify_channel = "email"
    db.session.execute(db.delete(LineConversation).where(LineConversation.user_id == user.id))
    db.session.flush()
    log.info("LINE unlinked from user %s", user.username)
    return user


def unlink_line_user(line_user_id):
    """Unlink every account linked to a LINE user id (the user blocked or unfollowed the bot); return how many."""
    users = db.session.scalars(db.select(User).where(User.line_user_id == line_user_id)).all()
    for user in users:
        unlink_user(user)
    return len(users)


def linked_user(line_user_id):
    """Return the active account linked to a LINE user id, or None."""
    if not line_user_id:
        return None
    return db.session.scalar(db.select(User).where(User.line_user_id == line_user_id, User.active.is_(True)))


def _link_group(group_id, row, now):
    if row.user.role != Role.STATION_COMMANDER or row.user.station_id != row.station_id:
        raise LinkError("the code's owner no longer commands the station")
    db.session.execute(db.delete(LineGroup).where(
        db.or_(LineGroup.group_id == group_id, LineGroup.station_id == row.station_id)))
    group = LineGroup(group_id=group_id, station_id=row.station_id, linked_by_id=row.user_id, linked_at=now)
    db.session.add(group)
    db.session.flush()
    log.info("LINE group linked to station %s by %s", row.station.code, row.user.username)
    return group


def station_group(station):
    """Return the station's LINE group, or None."""
    if station is None:
        return None
    return db.session.scalar(db.select(LineGroup).where(LineGroup.station_id == station.id))


def unlink_group(group_id):
    """Forget a LINE group (the bot left it or a commander unlinked it); return True when one was linked."""
    result = db.session.execute(db.delete(LineGroup).where(LineGroup.group_id == group_id))
    db.session.flush()
    return result.rowcount > 0


def kind_channels(user):
    """Return {kind: channel} for every kind: the user's choice for it, or their default channel."""
    chosen = dict(db.session.execute(db.select(NotifyPreference.kind, NotifyPreference.channel)
                                     .where(NotifyPreference.user_id == user.id)).all())
    return {kind: chosen.get(kind, user.notify_channel or "email") for kind in KINDS}


def set_kind_channels(user, choices):
    """Save the user's channel per kind of message ({kind: 'email'|'line'|'none'})."""
    unknown = [kind for kind, channel in choices.items() if kind not in KINDS or channel not in NOTIFY_CHOICES]
    if unknown:
        raise DeliverySetupError(f"unknown kind or channel: {', '.join(sorted(unknown))}")
    existing = {p.kind: p for p in db.session.scalars(
        db.select(NotifyPreference).where(NotifyPreference.user_id == user.id))}
    for kind, channel in choices.items():
        if kind in existing:
            existing[kind].channel = channel
        else:
            db.session.add(NotifyPreference(user_id=user.id, kind=kind, channel=channel))
    db.session.flush()
    return kind_channels(user)
