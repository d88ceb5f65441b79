"""The monthly job: on the 1st, compile the previous month's summaries for the province
and for each assigning agency (issue 6; R8, R24) through the reports service."""

from __future__ import annotations

import datetime as dt
import importlib

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.jobs.texts import province_text

# The reports service: compile_monthly_summaries(session, year, month), idempotent.
REPORTS_SERVICE = "app.reports.summaries"


class ServiceUnavailableError(RuntimeError):
    """The reports service this job calls is not installed."""


def previous_month(run_date: dt.date) -> tuple[int, int]:
    """(year, month) of the month before ``run_date``'s month."""
    last_day = run_date.replace(day=1) - dt.timedelta(days=1)
    return last_day.year, last_day.month


def run_monthly_summaries(session: Session, run_date: dt.date) -> str:
    """R8, R24: compile the summaries of the month before ``run_date`` (province and each
    assigning agency) once — the reports service replaces, never duplicates, a month
    compiled before; return the outcome. Fails with "service not available" while the
    reports service is missing."""
    year, month = previous_month(run_date)
    try:
        compile_monthly = importlib.import_module(REPORTS_SERVICE).compile_monthly_summaries
    except (ImportError, AttributeError) as missing:
        raise ServiceUnavailableError(
            province_text(_l("Service not available: the monthly summaries are not compiled."))
        ) from missing
    summaries = compile_monthly(session, year, month)
    return province_text(
        _l(
            "Summaries of %(month)s/%(year)s compiled: %(count)s.",
            month=str(month).zfill(2),
            year=year,
            count=len(summaries),
        )
    )
