"""E-mail copies of notifications, when an SMTP server is configured (``MAIL_SERVER``).

A domain that notifies an agency calls ``queue_agency_email``: the message is addressed
to the active users of that agency who have an e-mail address, held on the database
session, and sent with smtplib only after the transaction commits (a rollback drops it,
so nobody is told about something that was not saved). Without ``MAIL_SERVER`` nothing
is queued. A failing server is logged, never raised: the in-app notification stands.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.security.models import AppUser

_QUEUE = "notifications.email_queue"
_TIMEOUT_SECONDS = 10
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    """One message: recipients, subject and plain-text body."""

    recipients: tuple[str, ...]
    subject: str
    body: str


def mail_configured() -> bool:
    """True when an SMTP server is configured."""
    return bool(current_app.config.get("MAIL_SERVER"))


def absolute_link(link: str | None) -> str | None:
    """A path of the application as a full address (``MAIL_LINK_BASE_URL``, else the
    address of the current request)."""
    if not link:
        return None
    base = current_app.config.get("MAIL_LINK_BASE_URL") or (
        request.url_root if has_request_context() else ""
    )
    return base.rstrip("/") + link if base else link


def agency_addresses(session: Session, agency_id: int) -> tuple[str, ...]:
    """E-mail addresses of the active users of an agency."""
    return tuple(
        session.scalars(
            select(AppUser.email)
            .where(
                AppUser.agency_id == agency_id,
                AppUser.active.is_(True),
                AppUser.email.is_not(None),
                AppUser.email != "",
            )
            .order_by(AppUser.email)
        )
    )


def queue_agency_email(
    session: Session, agency_id: int, subject: str, body: str, link: str | None = None
) -> None:
    """Send ``subject`` and ``body`` (and the link's address) to the agency's users after
    the session's transaction commits; nothing when SMTP is not configured."""
    if not mail_configured():
        return
    recipients = agency_addresses(session, agency_id)
    if not recipients:
        return
    address = absolute_link(link)
    text = f"{body}\n\n{address}" if address else body
    session.info.setdefault(_QUEUE, []).append(Email(recipients, subject, text))


def send_email(message: Email, config: Any) -> None:
    """Send one message through the configured SMTP server."""
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = ", ".join(message.recipients)
    email["Subject"] = message.subject
    email.set_content(message.body)
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=_TIMEOUT_SECONDS) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


@event.listens_for(Session, "after_commit")
def _send_queued(session: Session) -> None:
    queued = session.info.pop(_QUEUE, [])
    if not queued:
        return
    config = current_app.config
    for message in queued:
        try:
            send_email(message, config)
        except (OSError, smtplib.SMTPException) as error:
            _log.warning("e-mail “%s” not sent: %s", message.subject, error)


@event.listens_for(Session, "after_soft_rollback")
def _drop_queued(session: Session, previous_transaction: Any) -> None:
    # the whole transaction, not a savepoint (a notification's dedup check uses one)
    if previous_transaction.parent is None:
        session.info.pop(_QUEUE, None)
