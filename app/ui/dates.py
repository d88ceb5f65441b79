"""Dates as Vietnamese officials write them: dd/mm/yyyy, and dd/mm/yyyy hh:mm local time.

``VNDateField`` and ``VNDateTimeField`` are WTForms fields that accept ``27/11/2026`` and
``27/11/2026 14:30`` (also ``27-11-2026``, ``27.11.2026``, ``14h30`` and the list's own
``14:30 27/11/2026``), accept ISO 8601 for scripts and API clients, render dd/mm/yyyy
and reject anything else with "Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy".

A date-time typed by a user is Vietnamese local time (Asia/Ho_Chi_Minh); the field's data
is an aware UTC datetime, as the models store timestamps (app.core.types.UTCDateTime).
"""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext
from wtforms.fields import DateField, DateTimeField

from app.core.clock import local_to_utc, to_local
from app.ui.widgets import VNDatePickerWidget, VNDateTimePickerWidget

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
INVALID_DATE = lazy_gettext("Invalid date, enter it as dd/mm/yyyy")
INVALID_DATETIME = lazy_gettext("Invalid date and time, enter them as dd/mm/yyyy hh:mm")

_DATE = r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
_TIME = r"(?P<hour>\d{1,2})[:hg](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
_DATE_RE = re.compile(_DATE)
_DATETIME_RES = (re.compile(rf"{_DATE}(?:[ ,T]+{_TIME})?"), re.compile(rf"{_TIME}[ ,]+{_DATE}"))


def _date_from(match: re.Match[str]) -> dt.date:
    return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))


def parse_vn_date(text: str) -> dt.date:
    """Parse ``dd/mm/yyyy`` (or ``-``, ``.`` separators, or ISO ``yyyy-mm-dd``) to a date.

    Raises ValueError for anything else, including impossible dates such as 31/02/2026.
    """
    text = text.strip()
    match = _DATE_RE.fullmatch(text)
    if match:
        return _date_from(match)
    return dt.date.fromisoformat(text)


def parse_vn_datetime(text: str) -> dt.datetime:
    """Parse a local ``dd/mm/yyyy hh:mm[:ss]`` (or ``hh:mm dd/mm/yyyy``, or a bare date at
    00:00, or ISO 8601) to an aware UTC datetime; naive input is Vietnamese local time.

    Raises ValueError for anything else.
    """
    text = text.strip()
    for pattern in _DATETIME_RES:
        match = pattern.fullmatch(text)
        if match:
            time = [int(match[part] or 0) for part in ("hour", "minute", "second")]
            return local_to_utc(dt.datetime.combine(_date_from(match), dt.time(*time)))
    return local_to_utc(dt.datetime.fromisoformat(text))


def format_vn_date(value: dt.date | None) -> str:
    """``27/11/2026``; empty for None."""
    return value.strftime(DATE_FORMAT) if value else ""


def format_vn_datetime(value: dt.datetime | None) -> str:
    """``27/11/2026 14:30`` in Vietnamese local time (naive values are UTC); empty for None."""
    local = to_local(value)
    return local.strftime(DATETIME_FORMAT) if local else ""


class VNDateField(DateField):
    """A date typed and shown as dd/mm/yyyy with the Vietnamese date picker."""

    widget = VNDatePickerWidget()

    def __init__(self, label: str | None = None, validators: list | None = None, **kwargs):
        kwargs.pop("format", None)
        super().__init__(label, validators, format=DATE_FORMAT, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return format_vn_date(self.data)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse the submitted text; empty input gives None (required-ness is a validator's)."""
        if not valuelist:
            return
        text = " ".join(valuelist).strip()
        self.data = None
        if not text:
            return
        try:
            self.data = parse_vn_date(text)
        except ValueError as error:
            raise ValueError(str(INVALID_DATE)) from error


class VNDateTimeField(DateTimeField):
    """A local date and time typed and shown as dd/mm/yyyy hh:mm; data is aware UTC."""

    widget = VNDateTimePickerWidget()

    def __init__(self, label: str | None = None, validators: list | None = None, **kwargs):
        kwargs.pop("format", None)
        super().__init__(label, validators, format=DATETIME_FORMAT, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return format_vn_datetime(self.data)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse the submitted text; empty input gives None (required-ness is a validator's)."""
        if not valuelist:
            return
        text = " ".join(valuelist).strip()
        self.data = None
        if not text:
            return
        try:
            self.data = parse_vn_datetime(text)
        except ValueError as error:
            raise ValueError(str(INVALID_DATETIME)) from error
