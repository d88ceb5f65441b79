"""Users belong to exactly one agency (R10, R11); sign-in attempts for the lockout and the
rate limits' counts (R23)."""

from __future__ import annotations

import datetime as dt
import secrets

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.core.types import UTCDateTime


def new_session_stamp() -> str:
    """A fresh random stamp: sessions signed in under another stamp are over (R23)."""
    return secrets.token_hex(16)


class AppUser(User):
    """A FAB user with an agency; the agency decides the user's data scope.

    ``session_stamp`` changes whenever the password changes or the account is deactivated;
    a session or API token carries the stamp it was signed in under and is refused once
    the account's stamp differs (app.security.sessions), on every worker and instance.
    """

    __tablename__ = "ab_user"
    __table_args__ = {"extend_existing": True}
    __audited__ = True
    # Login bookkeeping is logged as login events, not as edits of the account.
    __audit_exclude__ = (
        "last_login",
        "login_count",
        "fail_login_count",
        "changed_on",
        "session_stamp",
    )

    agency_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("agency.id", use_alter=True, name="fk_ab_user_agency_id"), index=True
    )
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, nullable=True)
    session_stamp: Mapped[str | None] = mapped_column(String(32), default=new_session_stamp)

    agency: Mapped[Agency | None] = relationship(Agency, foreign_keys=[agency_id])

    def get_id(self) -> str:
        """Flask-Login's session identity: the id and the session stamp, "12:3f9a…"."""
        return f"{self.id}:{self.session_stamp or ''}"


class LoginAttempt(Model):
    """One sign-in attempt (form or API), kept to lock out password guessing (R23).

    A failure that reaches the configured count sets ``account_locked_until`` or
    ``address_locked_until``: until then sign-ins for that username, or from that client
    address, are refused without checking the password. Stored in the database so that
    every worker and instance sees the same counts.
    """

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    username: Mapped[str] = mapped_column(String(256), nullable=False)
    address: Mapped[str] = mapped_column(String(64), nullable=False)
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    account_locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    address_locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def __str__(self) -> str:
        return f"{self.username} @ {self.address}"


class RateLimitCounter(Model):
    """One count of Flask-Limiter's (a caller's calls to a limited route in the current
    window), kept in the database so that every worker and instance counts together
    (app.security.rate_limits). Not audited: written by Core statements, never by users."""

    __tablename__ = "rate_limit_counter"

    counter_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, nullable=False)
    # seconds since the epoch, as Flask-Limiter counts time
    expires_at: Mapped[float] = mapped_column(Float, nullable=False)
