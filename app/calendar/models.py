"""Calendar overrides entered by administrators and the versioned time-limit rule table."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.calendar.results import Unit
from app.core.mixins import TimestampMixin


class CalendarOverride(TimestampMixin, Model):
    """A day whose status differs from the holidays package: an extra day off or a make-up
    working Saturday (làm bù)."""

    __tablename__ = "calendar_override"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True, nullable=False)
    is_working_day: Mapped[bool] = mapped_column(Boolean, nullable=False)
    reason: Mapped[str] = mapped_column(String(255), nullable=False)
    legal_ref: Mapped[str | None] = mapped_column(String(255))


class TimeLimitRule(TimestampMixin, Model):
    """One legal time limit, valid for events in [valid_from, valid_to].

    ``code`` names the limit (e.g. ``petition.processing``; the list is in
    ``app.calendar.rules``); ``unit`` is a ``Unit`` value. A new law is entered as a new
    row with a later ``valid_from``, never by editing code.
    """

    __tablename__ = "time_limit_rule"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    counts_from: Mapped[str] = mapped_column(String(255), nullable=False)
    length: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False, default=Unit.WORKING_DAYS.value)
    roll_forward: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    legal_ref: Mapped[str] = mapped_column(String(255), nullable=False)
    valid_from: Mapped[dt.date] = mapped_column(Date, nullable=False)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"{self.name} ({self.length} {self.unit})"
