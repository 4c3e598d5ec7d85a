"""E-mail through an SMTP relay, UTF-8 Thai, with a Message-ID receivers can dedupe on."""
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from flask import current_app

from app.delivery.channels import DeliveryError, NotConfigured, PermanentFailure


def message_id(idempotency_key, sender):
    """Return the Message-ID for an outbox message: the same on every attempt."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "ruamkan.invalid"
    return f"<{idempotency_key}@{domain}>"


def recipient_address(message):
    """Return the e-mail address of the message's user or station, or None."""
    if message.recipient_user is not None:
        return message.recipient_user.email
    if message.recipient_station is not None:
        return message.recipient_station.notify_email
    return None


def build(message, to_address, sender):
    """Return the EmailMessage for an outbox message."""
    payload = message.payload or {}
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to_address
    mail["Subject"] = payload.get("subject", "")
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id(message.idempotency_key, sender)
    mail["Content-Language"] = message.language
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(payload.get("text", ""), charset="utf-8")
    return mail


def send(message):
    """Send the message through the configured SMTP relay."""
    config = current_app.config
    host = config.get("SMTP_HOST")
    if not host:
        raise NotConfigured("e-mail is not configured: set SMTP_HOST")
    to_address = recipient_address(message)
    if not to_address:
        raise PermanentFailure("the recipient has no e-mail address")
    sender = config.get("MAIL_FROM", "Ruamkan <no-reply@ruamkan.invalid>")
    mail = build(message, to_address, sender)
    try:
        with smtplib.SMTP(host, int(config.get("SMTP_PORT", 25)),
                          timeout=float(config.get("SMTP_TIMEOUT", 10))) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(mail)
    except smtplib.SMTPAuthenticationError as error:
        # Our credentials, not this message, are wrong: retry so fixing the setting is enough.
        raise DeliveryError(f"SMTP login failed: {error.smtp_code} {error.smtp_error!r}") from None
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise _by_code(min(codes), f"recipient refused: {error.recipients}") from None
    except smtplib.SMTPResponseException as error:
        raise _by_code(error.smtp_code, f"SMTP {error.smtp_code}: {error.smtp_error!r}") from None
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"SMTP {host}: {error}") from None


def _by_code(code, text):
    # 5xx replies are final (bad address, rejected content); 4xx are "try again later".
    return PermanentFailure(text) if 500 <= code < 600 else DeliveryError(text)
