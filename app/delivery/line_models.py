"""LINE linking: one-time link codes, station groups, seen webhook events, open conversations, per-kind choices."""
from app.core.timeutil import utcnow
from app.extensions import db


class LineLinkCode(db.Model):
    """A one-time code that links a LINE user (user_id set) or a LINE group (station_id set).

    Sending it to the bot only claims it (claimed_id: the LINE user or group); the code's owner then confirms
    or refuses on the website, so someone who read the code off a screen cannot link their own LINE.
    """

    __tablename__ = "line_link_codes"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(16), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)  # whose code (for a group: the commander)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"))  # set: the code links a station group
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime)
    claimed_id = db.Column(db.String(64))  # the LINE user or group that sent the code
    claimed_name = db.Column(db.String(100))  # its LINE display name, when LINE gave it
    claimed_at = db.Column(db.DateTime)

    user = db.relationship("User")
    station = db.relationship("Station")


class LineGroup(db.Model):
    """A station's LINE group chat: new reports, deadline warnings and transfers for the station go there."""

    __tablename__ = "line_groups"

    id = db.Column(db.Integer, primary_key=True)
    group_id = db.Column(db.String(64), nullable=False, unique=True)
    station_id = db.Column(db.Integer, db.ForeignKey("stations.id"), nullable=False, unique=True)
    linked_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    linked_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    station = db.relationship("Station")
    linked_by = db.relationship("User")


class LineWebhookEvent(db.Model):
    """A webhook event already handled: LINE redelivers, and the unique id makes the second delivery a no-op."""

    __tablename__ = "line_webhook_events"

    webhook_event_id = db.Column(db.String(64), primary_key=True)
    event_type = db.Column(db.String(32), nullable=False)
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)


class LineConversation(db.Model):
    """What the bot waits for from one linked user: the answer to a question, or which question a text answers."""

    __tablename__ = "line_conversations"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), primary_key=True)
    # set: the next text answers this question event (no foreign key: the retention purge may delete events)
    question_id = db.Column(db.Integer)
    pending_text = db.Column(db.Text)  # set: a text waiting for the member to say which question it answers
    expires_at = db.Column(db.DateTime, nullable=False)


class NotifyPreference(db.Model):
    """A user's channel for one kind of message (email, line or none); kinds without a row use notify_channel."""

    __tablename__ = "notify_preferences"
    __table_args__ = (db.UniqueConstraint("user_id", "kind"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    kind = db.Column(db.String(40), nullable=False)
    channel = db.Column(db.String(8), nullable=False)
