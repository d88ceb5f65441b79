"""The application's clock: every "now" goes through here so tests can move time.

Timestamps are stored in UTC; the display time zone (Asia/Ho_Chi_Minh) is applied only
when showing or when a rule is defined on local time (the 15:00 rule, R14).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_frozen: dt.datetime | None = None


def now_utc() -> dt.datetime:
    """Current time as an aware UTC datetime (or the time a test has set)."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.UTC)


def now_local() -> dt.datetime:
    """Current time in Vietnam (Asia/Ho_Chi_Minh)."""
    return now_utc().astimezone(LOCAL_TZ)


def today_local() -> dt.date:
    """Today's date in Vietnam."""
    return now_local().date()


def to_local(value: dt.datetime | None) -> dt.datetime | None:
    """Convert a stored (UTC, aware or naive) datetime to Vietnamese local time."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LOCAL_TZ)


def local_to_utc(value: dt.datetime) -> dt.datetime:
    """Interpret a naive datetime as Vietnamese local time and return it in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(dt.UTC)


def set_now(value: dt.datetime | None) -> None:
    """Test hook: freeze the clock at ``value`` (naive = Vietnamese local time); None resets."""
    global _frozen
    _frozen = None if value is None else local_to_utc(value)
