"""Jinja helpers: dd/mm/yyyy dates, local times, the pager's page numbers."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from app.core.clock import to_local
from app.ui.pages import page_links


def format_date(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy, the date format of Vietnamese administration."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    """HH:MM dd/mm/yyyy in Vietnamese local time."""
    if value is None:
        return ""
    return to_local(value).strftime("%H:%M %d/%m/%Y")


def register_template_helpers(app: Flask) -> None:
    """Make the date filters and the pager's page numbers available in every template."""
    app.jinja_env.filters["vndate"] = format_date
    app.jinja_env.filters["vndatetime"] = format_datetime
    app.jinja_env.globals["page_links"] = page_links
