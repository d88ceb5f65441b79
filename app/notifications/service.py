"""Sending and reading notifications (issue 3: forwarded petitions; issue 5 extends it).

Texts are stored as written, in the province's language (the default locale), like a
letter: pass lazy strings (``lazy_gettext("…", name=…)``) and ``notify_user``/
``notify_agency`` render them in that language whatever the language of the request
that caused them. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.core.clock import now_utc
from app.notifications.models import Notification, NotificationRead

Text = str | LazyString
# How many notifications the list shows.
LIST_LIMIT = 100


@dataclass(frozen=True)
class NotificationItem:
    """One notification as a user sees it: the message and whether they have read it."""

    notification: Notification
    read_at: dt.datetime | None

    @property
    def unread(self) -> bool:
        """True until the user has read it."""
        return self.read_at is None


def _in_province_language(text: Any) -> str | None:
    """``text`` (a lazy string) rendered in the default locale."""
    if text is None:
        return None
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "vi")):
        return str(text)


def _create(session: Session, dedup_key: str | None, **values: Any) -> Notification | None:
    """Insert one notification unless ``dedup_key`` was used before (race-safe)."""
    values["title"] = _in_province_language(values["title"])
    values["body"] = _in_province_language(values["body"])
    if dedup_key is not None:
        taken = session.scalar(select(Notification.id).where(Notification.dedup_key == dedup_key))
        if taken is not None:
            return None
    notification = Notification(dedup_key=dedup_key, **values)
    try:
        with session.begin_nested():
            session.add(notification)
    except IntegrityError:
        return None
    return notification


def notify_user(
    session: Session,
    user_id: int,
    title: Text,
    *,
    body: Text | None = None,
    link: str | None = None,
    kind: str = "general",
    dedup_key: str | None = None,
) -> Notification | None:
    """Notify one user; None when ``dedup_key`` was already used (nothing is sent twice)."""
    return _create(
        session,
        dedup_key,
        recipient_user_id=user_id,
        title=title,
        body=body,
        link=link,
        kind=kind,
    )


def notify_agency(
    session: Session,
    agency_id: int,
    title: Text,
    *,
    body: Text | None = None,
    link: str | None = None,
    kind: str = "general",
    dedup_key: str | None = None,
) -> Notification | None:
    """Notify every user of an agency (each reads it for themselves); None when
    ``dedup_key`` was already used."""
    return _create(
        session,
        dedup_key,
        recipient_agency_id=agency_id,
        title=title,
        body=body,
        link=link,
        kind=kind,
    )


def addressed_to(user: Any) -> ColumnElement[bool]:
    """SQL: notifications addressed to ``user`` or to the user's agency."""
    condition = Notification.recipient_user_id == user.id
    agency_id = getattr(user, "agency_id", None)
    if agency_id is not None:
        condition = or_(condition, Notification.recipient_agency_id == agency_id)
    return condition


def _read_by(user: Any) -> ColumnElement[bool]:
    return exists().where(
        NotificationRead.notification_id == Notification.id, NotificationRead.user_id == user.id
    )


def unread_count(session: Session, user: Any) -> int:
    """How many notifications addressed to ``user`` (or their agency) they have not read."""
    query = select(func.count(Notification.id)).where(addressed_to(user), ~_read_by(user))
    return session.scalar(query) or 0


def notifications_for(
    session: Session, user: Any, *, limit: int = LIST_LIMIT
) -> list[NotificationItem]:
    """The user's notifications, newest first, each with the time the user read it."""
    rows = session.execute(
        select(Notification, NotificationRead.read_at)
        .outerjoin(
            NotificationRead,
            and_(
                NotificationRead.notification_id == Notification.id,
                NotificationRead.user_id == user.id,
            ),
        )
        .where(addressed_to(user))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return [NotificationItem(notification, read_at) for notification, read_at in rows]


def find_for(session: Session, user: Any, notification_id: int) -> Notification | None:
    """The notification ``notification_id`` if it is addressed to ``user``, else None."""
    return session.scalar(
        select(Notification).where(Notification.id == notification_id, addressed_to(user))
    )


def mark_read(session: Session, user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the given notifications (all of the user's when None) read by ``user``; only
    notifications addressed to them count. Returns how many became read."""
    query = select(Notification.id).where(addressed_to(user), ~_read_by(user))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(set(notification_ids)))
    unread = list(session.scalars(query))
    now = now_utc()
    session.add_all(
        NotificationRead(notification_id=i, user_id=user.id, read_at=now) for i in unread
    )
    session.flush()
    return len(unread)
