"""Temporary lockout after repeated failed sign-ins (R23), per account and per client address.

``LOCKOUT_ACCOUNT_FAILURES`` failures for one username within ``LOCKOUT_ACCOUNT_MINUTES``
(counted since its last successful sign-in and since its last lockout) lock that username
for ``LOCKOUT_ACCOUNT_MINUTES``; ``LOCKOUT_ADDRESS_FAILURES`` failures from one client
address within ``LOCKOUT_ADDRESS_MINUTES`` lock that address (a success does not reset it,
or one valid account would let an attacker guess the others). While locked, a sign-in is
refused before the password is checked and is not counted. Everything is read from and
written to the ``login_attempt`` table, so every worker and instance applies the same lock.
The daily housekeeping job (app.jobs.housekeeping) deletes the attempts no count reads any
more (``prune_attempts``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, has_request_context, request
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from app.core.clock import now_utc
from app.security.models import LoginAttempt

ACCOUNT = "account"
ADDRESS = "address"
_DEFAULTS = {
    "LOCKOUT_ACCOUNT_FAILURES": 5,
    "LOCKOUT_ACCOUNT_MINUTES": 15,
    "LOCKOUT_ADDRESS_FAILURES": 20,
    "LOCKOUT_ADDRESS_MINUTES": 15,
}


@dataclass(frozen=True)
class Lock:
    """A lockout in force: of an ``account`` or an ``address``, until when (UTC)."""

    scope: str
    until: dt.datetime


def _setting(name: str) -> int:
    return int(current_app.config.get(name, _DEFAULTS[name]))


def normalize_username(username: str | None) -> str:
    """The username as the lockout counts it: trimmed, lower-case, at most 256 characters."""
    return (username or "").strip().lower()[:256]


def client_address() -> str:
    """The client's address (behind a proxy: set PROXY_FIX_X_FOR so it is the real one)."""
    if has_request_context() and request.remote_addr:
        return request.remote_addr[:64]
    return "local"


def current_lock(
    session: Session, username: str, address: str, now: dt.datetime | None = None
) -> Lock | None:
    """R23: the lockout in force for ``username`` or ``address``, the later one if both."""
    now = now or now_utc()
    account_until = session.scalar(
        select(func.max(LoginAttempt.account_locked_until)).where(
            LoginAttempt.username == normalize_username(username)
        )
    )
    address_until = session.scalar(
        select(func.max(LoginAttempt.address_locked_until)).where(LoginAttempt.address == address)
    )
    locks = [
        Lock(scope, until)
        for scope, until in ((ACCOUNT, account_until), (ADDRESS, address_until))
        if until is not None and until > now
    ]
    return max(locks, key=lambda lock: lock.until) if locks else None


def record_attempt(
    session: Session, username: str, address: str, succeeded: bool, now: dt.datetime | None = None
) -> Lock | None:
    """R23: store one sign-in attempt; return the lockout a failure starts, if any.

    The attempt is committed at once (a refused sign-in rolls nothing else back).
    """
    now = now or now_utc()
    attempt = LoginAttempt(
        at=now, username=normalize_username(username), address=address, succeeded=succeeded
    )
    session.add(attempt)
    session.flush()
    lock = None
    if not succeeded:
        lock = _lock_if_reached(session, attempt, now)
    session.commit()
    return lock


def _lock_if_reached(session: Session, attempt: LoginAttempt, now: dt.datetime) -> Lock | None:
    account_minutes = _setting("LOCKOUT_ACCOUNT_MINUTES")
    address_minutes = _setting("LOCKOUT_ADDRESS_MINUTES")
    by_username = LoginAttempt.username == attempt.username
    by_address = LoginAttempt.address == attempt.address
    account_since = max(
        [
            now - dt.timedelta(minutes=account_minutes),
            *_latest(session, LoginAttempt.at, by_username, LoginAttempt.succeeded.is_(True)),
            *_latest(session, LoginAttempt.account_locked_until, by_username),
        ]
    )
    address_since = max(
        [
            now - dt.timedelta(minutes=address_minutes),
            *_latest(session, LoginAttempt.address_locked_until, by_address),
        ]
    )
    lock = None
    if _failures(session, by_username, account_since) >= _setting("LOCKOUT_ACCOUNT_FAILURES"):
        attempt.account_locked_until = now + dt.timedelta(minutes=account_minutes)
        lock = Lock(ACCOUNT, attempt.account_locked_until)
    if _failures(session, by_address, address_since) >= _setting("LOCKOUT_ADDRESS_FAILURES"):
        attempt.address_locked_until = now + dt.timedelta(minutes=address_minutes)
        if lock is None or attempt.address_locked_until > lock.until:
            lock = Lock(ADDRESS, attempt.address_locked_until)
    return lock


def _latest(session: Session, column, *conditions) -> list[dt.datetime]:
    value = session.scalar(select(func.max(column)).where(*conditions))
    return [] if value is None else [value]


def _failures(session: Session, condition, since: dt.datetime) -> int:
    return session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(condition, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since)
    )


def prune_attempts(session: Session, now: dt.datetime | None = None) -> int:
    """R23: delete the attempts older than the longer of the two lockout windows whose
    locks have ended — no count or lock reads them any more; return how many. The caller
    commits."""
    now = now or now_utc()
    window = max(_setting("LOCKOUT_ACCOUNT_MINUTES"), _setting("LOCKOUT_ADDRESS_MINUTES"))
    result = session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.at < now - dt.timedelta(minutes=window),
            or_(
                LoginAttempt.account_locked_until.is_(None),
                LoginAttempt.account_locked_until <= now,
            ),
            or_(
                LoginAttempt.address_locked_until.is_(None),
                LoginAttempt.address_locked_until <= now,
            ),
        )
    )
    return result.rowcount
