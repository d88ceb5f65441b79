"""Portable column types."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC on every database and returned as aware UTC.

    SQLite keeps no time zone; storing naive UTC everywhere makes the stored value
    unambiguous and identical on SQLite and PostgreSQL.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def SortKey(length: int = 255):
    """A column holding a sort key; compared byte-wise ("C" collation) on PostgreSQL too."""
    from sqlalchemy import String

    return String(length).with_variant(String(length, collation="C"), "postgresql")
