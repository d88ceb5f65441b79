"""Report periods (R8, R21, R24): calendar months, quarters, 6/9 months, years, under a
cut-off rule, or any dates.

TT 03/2013/TT-TTCP Art. 9 counts data from the 16th of the month before a period's first
month to the 15th of its last month (Q1 = 16/12 of the previous year – 15/03; 6 months =
16/12 – 15/06; year = 16/12 – 15/12). TT 02/2021 and TT 01/2024 are believed to use 15/12
– 14/xx (legal-domain.md §5.0, unverified). Both are rules in ``CUTOFF_RULES`` and can be
changed or extended with the ``REPORT_CUTOFF_RULES`` setting ({code: {"label",
"cutoff_day"}}; ``cutoff_day`` None means calendar months).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from app.core.clock import LOCAL_TZ


@dataclass(frozen=True)
class Period:
    """A report period: both dates included, in Vietnamese local dates."""

    start: dt.date
    end: dt.date

    @property
    def start_utc(self) -> dt.datetime:
        """The first instant of the period (local midnight of ``start``) in UTC."""
        return _local_midnight_utc(self.start)

    @property
    def end_utc(self) -> dt.datetime:
        """The first instant after the period (local midnight after ``end``) in UTC."""
        return _local_midnight_utc(self.end + dt.timedelta(days=1))

    @property
    def utc_offset(self) -> dt.timedelta:
        """Vietnam's offset from UTC during the period (local dates of stored timestamps)."""
        return LOCAL_TZ.utcoffset(dt.datetime.combine(self.start, dt.time(12)))


def _local_midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_TZ).astimezone(dt.UTC)


class PeriodError(ValueError):
    """A period that cannot be built (bad number, end before start); message for users."""


# Kinds of periodic report and the months they cover (first, last) given their number.
PERIOD_KINDS: dict[str, Any] = {
    "month": _l("Month"),
    "quarter": _l("Quarter"),
    "six_months": _l("First 6 months"),
    "nine_months": _l("First 9 months"),
    "year": _l("Year"),
}

CUTOFF_RULES: dict[str, dict[str, Any]] = {
    "calendar": {"label": _l("Calendar months (1st to last day)"), "cutoff_day": None},
    "tt03_2013": {
        "label": _l("TT 03/2013 Art. 9: from the 16th to the 15th"),
        "cutoff_day": 15,
    },
    "tt01_2024": {
        "label": _l("TT 01/2024: from the 15th to the 14th (to be confirmed)"),
        "cutoff_day": 14,
    },
}


def cutoff_rules() -> dict[str, dict[str, Any]]:
    """R21: the cut-off rules offered, the built-in ones overridden by the
    ``REPORT_CUTOFF_RULES`` setting."""
    rules = dict(CUTOFF_RULES)
    if has_app_context():
        rules.update(current_app.config.get("REPORT_CUTOFF_RULES") or {})
    return rules


def _months(kind: str, number: int) -> tuple[int, int]:
    if kind == "month":
        if not 1 <= number <= 12:
            raise PeriodError(str(_l("The month must be between 1 and 12.")))
        return number, number
    if kind == "quarter":
        if not 1 <= number <= 4:
            raise PeriodError(str(_l("The quarter must be between 1 and 4.")))
        return 3 * number - 2, 3 * number
    if kind == "six_months":
        return 1, 6
    if kind == "nine_months":
        return 1, 9
    if kind == "year":
        return 1, 12
    raise PeriodError(str(_l("Unknown kind of period.")))


def periodic(kind: str, year: int, number: int = 1, rule: str = "calendar") -> Period:
    """R21, R24: the period of a periodic report (month n, quarter n, first 6 or 9 months,
    year) of ``year`` under a cut-off rule (TT 03/2013 Art. 9: Q1 = 16/12 – 15/03)."""
    rules = cutoff_rules()
    if rule not in rules:
        raise PeriodError(str(_l("Unknown cut-off rule.")))
    first, last = _months(kind, number)
    cutoff = rules[rule]["cutoff_day"]
    if cutoff is None:
        return Period(
            dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
        )
    before_year, before_month = (year - 1, 12) if first == 1 else (year, first - 1)
    return Period(dt.date(before_year, before_month, cutoff + 1), dt.date(year, last, cutoff))


def custom(start: dt.date, end: dt.date) -> Period:
    """R8: any period given by its first and last day."""
    if end < start:
        raise PeriodError(str(_l("The period ends before it starts.")))
    return Period(start, end)


def previous_month(today: dt.date) -> Period:
    """The calendar month before ``today`` (the page's default period)."""
    first = today.replace(day=1) - dt.timedelta(days=1)
    return periodic("month", first.year, first.month)
