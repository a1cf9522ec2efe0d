"""Sending email over SMTP (questionnaire links and reminders).

One connection per batch, STARTTLS when ``MAIL_USE_TLS``, a login when ``MAIL_USERNAME`` is
set. Message bodies carry personal links, so nothing here logs a body, a subject or a link:
only counts and the kind of failure.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

log = logging.getLogger(__name__)
TIMEOUT = 30  # seconds to wait for the SMTP server


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


def configured() -> bool:
    """True when a server and a sender address are set."""
    config = current_app.config
    return bool(config.get("MAIL_SERVER")) and bool(config.get("MAIL_FROM"))


def _email(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    email.set_content(message.body)
    return email


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=TIMEOUT)
    try:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except Exception:
        smtp.close()
        raise
    return smtp


def send_batch(messages: list[Message]) -> list[bool]:
    """Send ``messages`` over one connection; answers, per message, whether it was accepted.

    A server that cannot be reached (or refuses the login) fails the whole batch; a refused
    recipient fails only that message.
    """
    if not messages:
        return []
    sender = current_app.config["MAIL_FROM"]
    try:
        smtp = _connect()
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail: could not connect to the SMTP server (%s)", type(exc).__name__)
        return [False] * len(messages)
    results = []
    try:
        for message in messages:
            try:
                smtp.send_message(_email(message, sender))
                results.append(True)
            except smtplib.SMTPRecipientsRefused:
                results.append(False)
            except (OSError, smtplib.SMTPException) as exc:
                log.warning("mail: sending stopped (%s)", type(exc).__name__)
                results.extend([False] * (len(messages) - len(results)))
                break
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    log.info("mail: %d sent, %d failed", results.count(True), results.count(False))
    return results
