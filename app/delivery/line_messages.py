"""What LINE shows: short Flex messages with a button to the report, and the bot's replies, in th or en.

Only the allow-listed payload data is used (reference, category, station, status, deadline): never the
narrative, residents' data or a place. The report link requires sign-in.
"""
from flask_babel import force_locale
from flask_babel import gettext as _

MAX_ALT_TEXT = 400
REPLY_PREFIX = "reply:"


def text(value):
    """Return a LINE text message."""
    return {"type": "text", "text": str(value)[:5000]}


def _line(value, **style):
    return {"type": "text", "text": str(value), "wrap": True, "size": "sm", **style}


def _facts(kind, data):
    facts = []
    if data.get("reference_number"):
        facts.append(_("Reference: %(ref)s", ref=data["reference_number"]))
    if data.get("category"):
        facts.append(_("Category: %(category)s", category=data["category"]))
    if data.get("station") and kind != "report_routed":
        facts.append(_("Station: %(station)s", station=data["station"]))
    if data.get("status_label"):
        facts.append(_("Status: %(status)s", status=data["status_label"]))
    if data.get("due_at_text"):
        facts.append(_("Due: %(when)s", when=data["due_at_text"]))
    if data.get("expires_on_text"):
        facts.append(_("Ends: %(when)s", when=data["expires_on_text"]))
    return facts


def outbox_flex(message):
    """Return the Flex message pushed for an outbox message, in the message's language."""
    payload = message.payload or {}
    data = payload.get("data") or {}
    subject = payload.get("subject") or ""
    with force_locale(message.language if message.language in ("th", "en") else "th"):
        buttons = []
        link = data.get("link") or ""
        if link.startswith(("https://", "http://")):
            label = _("Open the report") if data.get("report_id") else _("Open Ruamkan")
            buttons.append({"type": "button", "style": "primary", "height": "sm",
                            "action": {"type": "uri", "label": label[:40], "uri": link}})
        if message.kind == "question_asked" and data.get("question_id") and message.recipient_user_id:
            buttons.append({"type": "button", "style": "secondary", "height": "sm",
                            "action": {"type": "postback", "label": _("Reply")[:40],
                                       "data": f"{REPLY_PREFIX}{data['question_id']}",
                                       "displayText": _("Reply")}})
        body = [_line(subject, weight="bold", size="md")] + [_line(fact) for fact in _facts(message.kind, data)]
    bubble = {"type": "bubble", "size": "kilo", "body": {"type": "box", "layout": "vertical", "spacing": "sm",
                                                          "contents": body}}
    if buttons:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": buttons}
    return {"type": "flex", "altText": (subject or "Ruamkan")[:MAX_ALT_TEXT], "contents": bubble}


def choose_question(questions, lang):
    """Return a buttons template asking which open question a text answers (at most four, newest first)."""
    with force_locale(lang):
        actions = [{"type": "postback", "label": f"{q.report.reference_number}"[:20],
                    "data": f"{REPLY_PREFIX}{q.id}", "displayText": q.report.reference_number}
                   for q in questions[:4]]
        prompt = _("Which report does your answer belong to?")
    return {"type": "template", "altText": prompt,
            "template": {"type": "buttons", "text": prompt[:160], "actions": actions}}

