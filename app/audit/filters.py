"""Search filters of the audit log screen (R9): local-day date range, exact codes.

Dates are typed as dd/mm/yyyy (or yyyy-mm-dd from the date picker) and mean whole days
in Vietnam: "from 01/03/2026" starts at 00:00 Asia/Ho_Chi_Minh, "to 31/03/2026" ends at
24:00 that day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import FilterEqual, SQLAFilterConverter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.core.clock import local_to_utc

DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")
# Columns filtered by exact value only (codes chosen from a list, record ids).
EXACT_COLUMNS = ("action", "table_name", "record_id")
DAY_COLUMNS = ("at",)


def parse_day(text: Any) -> dt.date | None:
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd); None when it is not a date."""
    if isinstance(text, dt.date):
        return text
    value = str(text or "").strip()[:10]
    for fmt in DAY_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def day_start_utc(day: dt.date) -> dt.datetime:
    """00:00 of ``day`` in Vietnam, as an aware UTC datetime."""
    return local_to_utc(dt.datetime.combine(day, dt.time()))


class FilterFromDay(BaseFilter):
    """On or after the start of the given day (Vietnam time)."""

    name = _l("From date")
    arg_name = "audit_from"

    def apply(self, query, value):
        day = parse_day(value)
        if day is None:
            return query
        return query.filter(getattr(self.model, self.column_name) >= day_start_utc(day))


class FilterToDay(BaseFilter):
    """Before the end of the given day (Vietnam time)."""

    name = _l("To date")
    arg_name = "audit_to"

    def apply(self, query, value):
        day = parse_day(value)
        if day is None:
            return query
        end = day_start_utc(day + dt.timedelta(days=1))
        return query.filter(getattr(self.model, self.column_name) < end)


class AuditFilterConverter(SQLAFilterConverter):
    """Day range for the time column, exact match for codes; FAB's filters otherwise."""

    conversion_table = (
        ("is_local_day", [FilterFromDay, FilterToDay]),
        ("is_exact", [FilterEqual]),
        *SQLAFilterConverter.conversion_table,
    )


class AuditLogInterface(SQLAInterface):
    """The audit log's data interface, with the filters above."""

    filter_converter_class = AuditFilterConverter

    def is_local_day(self, col_name: str) -> bool:
        """The entry time is searched by whole local days."""
        return col_name in DAY_COLUMNS

    def is_exact(self, col_name: str) -> bool:
        """Codes and record ids are searched by exact value."""
        return col_name in EXACT_COLUMNS
