"""Search filters that read dates the way the search form shows them: dd/mm/yyyy.

FAB's SQLA filters parse a filter value with ``dateutil`` (month first: 05/11/2026 would
be 11 May) and compare DateTime columns with a naive datetime, which our UTC columns
refuse. ``VNFilterConverter`` gives Date and DateTime columns the same filters (equal,
greater, smaller, not equal) reading dd/mm/yyyy and dd/mm/yyyy hh:mm as local time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import (
    FilterEqual,
    FilterGreater,
    FilterNotEqual,
    FilterSmaller,
    SQLAFilterConverter,
)

from app.ui.dates import parse_vn_date, parse_vn_datetime


class _VNDateValueMixin:
    """Turns the filter's text into a date (Date columns) or aware UTC datetime."""

    def apply(self, query: Any, value: Any) -> Any:
        """Apply FAB's filter to the parsed value (None when the text is not a date)."""
        return super().apply(query, self._parse(value))

    def _parse(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        datetime_column = self.datamodel.is_datetime(self.column_name)
        parse = parse_vn_datetime if datetime_column else parse_vn_date
        try:
            return parse(str(value))
        except ValueError:
            return None


class VNFilterEqual(_VNDateValueMixin, FilterEqual):
    """Equal to a dd/mm/yyyy date."""


class VNFilterNotEqual(_VNDateValueMixin, FilterNotEqual):
    """Not equal to a dd/mm/yyyy date."""


class VNFilterGreater(_VNDateValueMixin, FilterGreater):
    """After a dd/mm/yyyy date."""


class VNFilterSmaller(_VNDateValueMixin, FilterSmaller):
    """Before a dd/mm/yyyy date."""


_DATE_FILTERS: list[type[BaseFilter]] = [
    VNFilterEqual,
    VNFilterGreater,
    VNFilterSmaller,
    VNFilterNotEqual,
]


class VNFilterConverter(SQLAFilterConverter):
    """FAB's SQLA filter table with dd/mm/yyyy filters for Date and DateTime columns."""

    conversion_table = tuple(
        (marker, _DATE_FILTERS if marker in ("is_date", "is_datetime") else filters)
        for marker, filters in SQLAFilterConverter.conversion_table
    )
