"""Invitations: one-time links (72 h, single use) with which a person sets their own password.

The admin (or `flask users invite`) makes the link and hands it over; only a hash of its token is
stored, so a database copy cannot be used to accept an invitation. Accepting creates the account
through create_user (same password policy); staff roles then enrol two-factor before they are in.
"""
import csv
import hashlib
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from app.accounts.models import Invitation
from app.accounts.services import AccountError, create_user
from app.core.timeutil import utcnow
from app.extensions import db
from app.security.access import PAO_ROLES, POLICE_ROLES, Role
from app.stations.models import Pao, Station

log = logging.getLogger(__name__)

DEFAULT_HOURS = 72
CSV_COLUMNS = ("name", "role", "pao", "station", "email", "phone")


class InvitationError(AccountError):
    """An invitation that cannot be made or accepted; .reason is 'unknown', 'used' or 'expired' on accept."""

    def __init__(self, message, reason=None):
        super().__init__(message)
        self.reason = reason


@dataclass
class IssuedInvitation:
    """A new invitation and its token: the only moment the token exists in clear."""

    invitation: Invitation
    token: str


def _hash(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


def _hours():
    return int(current_app.config.get("INVITATION_HOURS", DEFAULT_HOURS))


def create_invitation(actor, *, role, display_name, pao=None, station=None, email=None, phone=None):
    """Make a one-time invitation for one person; police roles need a station, PAO roles a PAO."""
    try:
        role = Role(role)
    except ValueError as error:
        raise InvitationError(f"unknown role {role!r}") from error
    display_name = (display_name or "").strip()
    if not display_name:
        raise InvitationError("a name is required")
    if role in POLICE_ROLES and station is None:
        raise InvitationError(f"role {role.value} needs a station")
    if role in PAO_ROLES and pao is None:
        raise InvitationError(f"role {role.value} needs a PAO")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(token_hash=_hash(token), role=role, pao=pao, station=station,
                            display_name=display_name[:120], email=(email or "").strip()[:254] or None,
                            phone=(phone or "").strip()[:32] or None,
                            created_by_id=actor.id if actor else None, created_at=now,
                            expires_at=now + timedelta(hours=_hours()))
    db.session.add(invitation)
    db.session.flush()
    log.info("invitation %d made for a %s by %s", invitation.id, role.value, actor.username if actor else "cli")
    return IssuedInvitation(invitation, token)


def find_open_invitation(token):
    """Return the invitation of this token if it can still be accepted, else raise InvitationError."""
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None:
        raise InvitationError("unknown invitation", "unknown")
    state = invitation.state(utcnow())
    if state != "open":
        raise InvitationError(f"invitation {state}", state)
    return invitation


def accept_invitation(token, *, username, password):
    """Create the invited person's account with their own username and password; the link is then spent."""
    invitation = find_open_invitation(token)
    # one conditional UPDATE: two tabs accepting the same link at once cannot both create an account
    claimed = db.session.execute(
        db.update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount == 1
    if not claimed:
        raise InvitationError("invitation used", "used")
    user = create_user(username=username, role=invitation.role, password=password,
                       display_name=invitation.display_name, pao=invitation.pao, station=invitation.station,
                       email=invitation.email)
    user.phone = invitation.phone
    invitation.user_id = user.id
    db.session.expire(invitation, ["used_at"])
    log.info("invitation %d accepted: %s", invitation.id, user.username)
    return user


def recent_invitations(limit=100):
    """Return the latest invitations, newest first."""
    return db.session.scalars(db.select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc())
                              .limit(limit)).all()


def _lookup(model, code, what, line):
    code = (code or "").strip()
    if not code:
        return None
    found = db.session.scalar(db.select(model).where(model.code == code))
    if found is None:
        raise InvitationError(f"line {line}: unknown {what} code {code!r}")
    return found


def invite_from_csv(actor, text, *, default_role=None, default_pao=None):
    """Make one invitation per CSV row (columns name, role, pao, station, email, phone); all or none.

    Returns the issued invitations in file order. A bad row raises InvitationError naming its line.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        raise InvitationError("the CSV needs a header line with at least a 'name' column")
    issued = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        pao = _lookup(Pao, row.get("pao"), "PAO", line) or default_pao
        station = _lookup(Station, row.get("station"), "station", line)
        try:
            issued.append(create_invitation(actor, role=row.get("role") or default_role, display_name=row.get("name"),
                                            pao=pao, station=station, email=row.get("email"),
                                            phone=row.get("phone")))
        except InvitationError as error:
            raise InvitationError(f"line {line}: {error}") from error
    if not issued:
        raise InvitationError("the CSV has no rows")
    return issued
