"""Costly figures computed once for a while and shared by every instance (issue 7, "More
than one server": nothing kept in process memory).

``cached(key, compute)`` returns the value stored under ``key`` when it is younger than
``FIGURE_CACHE_SECONDS`` (config; 0 turns the cache off), else computes it and stores it
in its own short transaction, leaving the request's session alone. Two instances that
miss at once both compute and the later write wins: the figure is the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.core.clock import now_utc
from app.extensions import db
from app.figures.models import CachedFigure

T = TypeVar("T")
TABLE = CachedFigure.__table__


def figure_key(name: str, *parts: Any) -> str:
    """A key for figure ``name`` computed from ``parts`` (scope, period, language …):
    the name followed by a digest of the parts, short enough for the key column."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"{name}:{digest}"


def max_age() -> dt.timedelta:
    """How long a stored figure is used (FIGURE_CACHE_SECONDS)."""
    return dt.timedelta(seconds=int(current_app.config.get("FIGURE_CACHE_SECONDS", 0)))


def cached(key: str, compute: Callable[[], T]) -> tuple[T, dt.datetime]:
    """The figure under ``key`` and when it was computed: the stored one while younger
    than ``max_age()``, else ``compute()``'s result, stored for the next requests. The
    value must be JSON (lists, dicts, strings, numbers)."""
    now = now_utc()
    age = max_age()
    if age <= dt.timedelta(0):
        return compute(), now
    with db.engine.connect() as connection:
        row = connection.execute(
            select(TABLE.c.value, TABLE.c.computed_at).where(TABLE.c.key == key)
        ).first()
    if row is not None and dt.timedelta(0) <= now - row.computed_at < age:
        return row.value, row.computed_at
    value = compute()
    _store(key, value, now)
    return value, now


def _store(key: str, value: Any, at: dt.datetime) -> None:
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(TABLE).values(key=key, value=value, computed_at=at)
    statement = statement.on_conflict_do_update(
        index_elements=[TABLE.c.key],
        set_={"value": statement.excluded.value, "computed_at": statement.excluded.computed_at},
    )
    with db.engine.begin() as connection:
        connection.execute(statement)
