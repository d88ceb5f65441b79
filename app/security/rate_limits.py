"""Flask-Limiter's counts in the application's database (R23; issue 7, "More than one
server").

``RATELIMIT_STORAGE_URI = "database://"`` (the default) makes every gunicorn worker and
every instance on the same database count one caller's sign-ins and API calls together,
with no state in process memory and no other service to run. Each limited request makes
one atomic upsert on ``rate_limit_counter`` on a connection of its own (committed at once,
outside the request's transaction): the count restarts when its window has expired.
Flask-Limiter's default strategy, the fixed window, needs no more than this. The daily
housekeeping job deletes expired counts (``prune_counters``). ``memory://`` or
``redis://`` still work for a single process or a site that runs Redis.
"""

from __future__ import annotations

import time
from typing import Any

from limits.storage import Storage
from sqlalchemy import case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.extensions import db
from app.security.models import RateLimitCounter

COUNTERS = RateLimitCounter.__table__


class DatabaseStorage(Storage):
    """A ``limits`` storage on the application's database (``database://``)."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        """Made by Flask-Limiter while the application is built (in its app context):
        the storage keeps that application's engine."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.engine = db.engine

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """R23: count ``amount`` more calls for ``key``; a count whose window has expired
        starts again with a window of ``expiry`` seconds. The count after it."""
        now = time.time()
        postgres = self.engine.dialect.name == "postgresql"
        insert = postgresql.insert if postgres else sqlite.insert
        expired = COUNTERS.c.expires_at <= now
        statement = (
            insert(COUNTERS)
            .values(counter_key=key, hits=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[COUNTERS.c.counter_key],
                set_={
                    "hits": case((expired, amount), else_=COUNTERS.c.hits + amount),
                    "expires_at": case((expired, now + expiry), else_=COUNTERS.c.expires_at),
                },
            )
            .returning(COUNTERS.c.hits)
        )
        with self.engine.begin() as connection:
            return connection.execute(statement).scalar_one()

    def get(self, key: str) -> int:
        """The calls counted for ``key`` in its current window (0 once it has expired)."""
        with self.engine.connect() as connection:
            hits = connection.scalar(
                select(COUNTERS.c.hits).where(
                    COUNTERS.c.counter_key == key, COUNTERS.c.expires_at > time.time()
                )
            )
        return hits or 0

    def get_expiry(self, key: str) -> float:
        """When the window of ``key`` ends (seconds since the epoch; now if none)."""
        with self.engine.connect() as connection:
            expires_at = connection.scalar(
                select(COUNTERS.c.expires_at).where(COUNTERS.c.counter_key == key)
            )
        return expires_at if expires_at is not None else time.time()

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every count; how many there were."""
        with self.engine.begin() as connection:
            return connection.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        """Forget the count of ``key``."""
        with self.engine.begin() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.counter_key == key))


def prune_counters(session: Session) -> int:
    """R23: delete the counts whose window has ended (no limit reads them any more);
    how many. The caller commits."""
    result = session.execute(delete(COUNTERS).where(COUNTERS.c.expires_at <= time.time()))
    return result.rowcount
