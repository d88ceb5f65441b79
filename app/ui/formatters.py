"""How list and show pages display values: dd/mm/yyyy dates, local times, Có/Không.

FAB renders a column through ``formatters_columns[column](value)`` when the view has a
formatter for it, else prints the raw value (``2026-11-27``, ``True``, ``None``).
``column_formatters`` builds formatters for every column of a view from the model's
column types; ``VNViewMixin`` (app.ui.views) installs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_appbuilder.models.base import BaseInterface
from flask_babel import lazy_gettext

from app.templating import format_date, format_datetime

YES = lazy_gettext("Yes")
NO = lazy_gettext("No")


def format_boolean(value: bool | None) -> str:
    """``Có``/``Không`` (Yes/No in English); empty for None."""
    if value is None:
        return ""
    return str(YES if value else NO)


def format_blank(value: Any) -> Any:
    """The value itself, or an empty string instead of ``None``."""
    return "" if value is None else value


def column_formatters(
    datamodel: BaseInterface, columns: Iterable[str]
) -> dict[str, Callable[[Any], Any]]:
    """A formatter for each column: by type for DateTime, Date and Boolean columns, and
    one that blanks ``None`` for every other column (relations and dotted paths too)."""
    formatters: dict[str, Callable[[Any], Any]] = {}
    for column in columns:
        if datamodel.is_datetime(column):
            formatters[column] = format_datetime
        elif datamodel.is_date(column):
            formatters[column] = format_date
        elif datamodel.is_boolean(column):
            formatters[column] = format_boolean
        else:
            formatters[column] = format_blank
    return formatters
