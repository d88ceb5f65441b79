"""Notifications (thông báo) and who has read them.

A notification is addressed to one user or to one agency (every user of that agency sees
it). Read state is per user: ``NotificationRead`` rows, so one clerk reading an agency's
notification leaves it unread for their colleagues. ``dedup_key`` is unique: a job or a
service that notifies about the same event twice creates one notification only.
"""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.clock import now_utc
from app.core.types import UTCDateTime


class Notification(Model):
    """A message shown to a user, or to every user of an agency."""

    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint(
            "(recipient_user_id IS NULL) <> (recipient_agency_id IS NULL)",
            name="ck_notification_one_recipient",
        ),
        Index("ix_notification_user_created", "recipient_user_id", "created_at"),
        Index("ix_notification_agency_created", "recipient_agency_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    recipient_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    # What the notification is about, e.g. "petition.transfer_in" (filters, icons).
    kind: Mapped[str] = mapped_column(String(50), nullable=False, default="general")
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    body: Mapped[str | None] = mapped_column(Text)
    # A path inside the application, e.g. "/petitions/12".
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False, default=now_utc)
    # One notification per event: a second notify with the same key does nothing.
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    def __repr__(self) -> str:
        return self.title


class NotificationRead(Model):
    """A user has read a notification (at ``read_at``)."""

    __tablename__ = "notification_read"
    __table_args__ = (UniqueConstraint("notification_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), nullable=False, index=True)
    read_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False, default=now_utc)
