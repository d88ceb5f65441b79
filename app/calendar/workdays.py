"""The working-day calendar of Vietnamese state agencies (pure: no database, no Flask).

A day is a working day when (first matching rule wins):

1. an administrator's override says so (``CalendarOverride``: an extra day off, or a
   make-up working day "làm bù", or a cancelled holiday);
2. it is a public holiday of the ``holidays`` package for Vietnam (Labour Code 2019
   Art. 112, with the observed days and the Government's announced swaps) → day off;
3. it is the day worked in exchange for a swapped holiday listed by the package (for
   example Sat 26/04/2025 for Fri 02/05/2025) → make-up working day;
4. it is a Saturday or a Sunday → day off (state agencies work Monday–Friday);
5. otherwise → working day.

Counting follows the Civil Code 2015: the day of the triggering event is not counted
(Art. 147), and a period whose last day is not a working day ends on the next working day
(Art. 148(5)). Any year can be asked for; years are loaded lazily.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import holidays
from holidays.countries.vietnam import VietnamStaticHolidays

from app.calendar.i18n import WEEKDAY_NAMES, Gettext, english

ONE_DAY = dt.timedelta(days=1)
_WEEKEND = (5, 6)  # Saturday, Sunday


class DayKind(enum.StrEnum):
    """Why a day is, or is not, a working day."""

    WORKDAY = "workday"  # an ordinary Monday–Friday
    MAKEUP_DAY = "makeup_day"  # working although a weekend or holiday (làm bù, override)
    HOLIDAY = "holiday"  # public holiday from the holidays package
    WEEKEND = "weekend"  # Saturday or Sunday
    DAY_OFF = "day_off"  # extra day off entered as an override


@dataclass(frozen=True)
class Override:
    """An administrator's decision about one day (a ``CalendarOverride`` row)."""

    is_working_day: bool
    reason: str
    legal_ref: str | None = None


@dataclass(frozen=True)
class DayStatus:
    """The status of one day and the reason for it.

    ``reason`` is the holiday name (Vietnamese, from the holidays package), the
    override's reason, or empty for ordinary weekdays and weekends (their name is the
    weekday). ``makeup_for`` is the day off a package make-up day pays for.
    """

    day: dt.date
    kind: DayKind
    reason: str = ""
    legal_ref: str | None = None
    makeup_for: dt.date | None = None
    from_override: bool = False

    @property
    def is_working_day(self) -> bool:
        """True for ordinary weekdays and make-up days."""
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_DAY)


@functools.cache
def _package_holidays(year: int) -> Mapping[dt.date, str]:
    """Public holidays of one year with their Vietnamese names (immutable package data)."""
    return dict(holidays.VN(years=year, language="vi").items())


@functools.cache
def _package_makeup_days() -> Mapping[dt.date, dt.date]:
    """Days worked in exchange for swapped holidays: make-up day → the day off it pays for.

    The package lists swaps as ``(month, day, from_month, from_day[, from_year])``: the
    holiday is (month, day) and the day worked instead is (from_month, from_day).
    """
    makeup: dict[dt.date, dt.date] = {}
    for year, entries in VietnamStaticHolidays.special_public_holidays.items():
        for entry in entries if isinstance(entries[0], tuple) else (entries,):
            if len(entry) < 4 or not all(isinstance(part, int) for part in entry[:4]):
                continue
            month, day, from_month, from_day = entry[:4]
            from_year = entry[4] if len(entry) > 4 else year
            makeup[dt.date(from_year, from_month, from_day)] = dt.date(year, month, day)
    return makeup


class WorkingCalendar:
    """Working days of state agencies: package holidays, weekends and overrides (R14)."""

    def __init__(self, overrides: Mapping[dt.date, Override] | None = None) -> None:
        self._overrides = dict(overrides or {})

    def status(self, d: dt.date) -> DayStatus:
        """Classify ``d`` by the rules in the module docstring."""
        override = self._overrides.get(d)
        holiday = _package_holidays(d.year).get(d)
        if override is not None:
            if not override.is_working_day:
                kind = DayKind.DAY_OFF
            elif holiday is not None or d.weekday() in _WEEKEND:
                kind = DayKind.MAKEUP_DAY
            else:
                kind = DayKind.WORKDAY
            return DayStatus(d, kind, override.reason, override.legal_ref, from_override=True)
        if holiday is not None:
            return DayStatus(d, DayKind.HOLIDAY, holiday)
        makeup_for = _package_makeup_days().get(d)
        if makeup_for is not None:
            return DayStatus(d, DayKind.MAKEUP_DAY, makeup_for=makeup_for)
        if d.weekday() in _WEEKEND:
            return DayStatus(d, DayKind.WEEKEND)
        return DayStatus(d, DayKind.WORKDAY)

    def is_working_day(self, d: dt.date) -> bool:
        """True when agencies work on ``d`` (Mon–Fri minus holidays, plus make-up days)."""
        return self.status(d).is_working_day

    def reason_not_working(self, d: dt.date, gettext: Gettext = english) -> str | None:
        """Why ``d`` is not a working day: the holiday name, the override's reason or the
        weekday name ("Thứ Bảy", "Chủ nhật" through ``gettext``); None on a working day."""
        status = self.status(d)
        if status.is_working_day:
            return None
        if status.kind is DayKind.WEEKEND:
            return gettext(WEEKDAY_NAMES[d.weekday()])
        return status.reason

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d``."""
        d += ONE_DAY
        while not self.is_working_day(d):
            d += ONE_DAY
        return d

    def previous_working_day(self, d: dt.date) -> dt.date:
        """The last working day strictly before ``d``."""
        d -= ONE_DAY
        while not self.is_working_day(d):
            d -= ONE_DAY
        return d

    def working_day_on_or_after(self, d: dt.date) -> dt.date:
        """``d`` itself when it is a working day, else the next working day (BLDS Art. 148(5))."""
        return d if self.is_working_day(d) else self.next_working_day(d)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start``; ``start`` itself is not counted (BLDS Art. 147).

        ``n = 0`` gives ``start`` when it is a working day, else the next working day;
        a negative ``n`` counts back (the |n|-th working day before ``start``).
        """
        if n == 0:
            return self.working_day_on_or_after(start)
        step = self.next_working_day if n > 0 else self.previous_working_day
        d = start
        for _ in range(abs(n)):
            d = step(d)
        return d

    def add_calendar_days(self, start: dt.date, n: int, roll_forward: bool = True) -> dt.date:
        """``start`` + n days; with ``roll_forward`` a last day that is not a working day
        moves to the next working day (BLDS Art. 147, 148(5))."""
        end = start + dt.timedelta(days=n)
        return self.working_day_on_or_after(end) if roll_forward else end

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b] — so ``add_working_days(a, k)`` is k after ``a``;
        negative when ``b`` is before ``a``."""
        if b < a:
            return -self.working_days_between(b, a)
        first, last = a + ONE_DAY, b
        if last < first:
            return 0
        # Mondays to Fridays counted by arithmetic, then each day that breaks that pattern
        # (a holiday on a weekday, a make-up Saturday, an override) corrected: a list page
        # asks this for hundreds of petitions a year or more overdue.
        count = _weekdays_in(first, last)
        for d in self._pattern_breaks(first, last):
            count += int(self.is_working_day(d)) - int(d.weekday() not in _WEEKEND)
        return count

    def _pattern_breaks(self, first: dt.date, last: dt.date) -> set[dt.date]:
        """Days in [first, last] that may not follow the Monday-to-Friday pattern."""
        candidates = set(self._overrides) | set(_package_makeup_days())
        for year in range(first.year, last.year + 1):
            candidates.update(_package_holidays(year))
        return {d for d in candidates if first <= d <= last}

    def days_off_between(self, first: dt.date, last: dt.date) -> list[DayStatus]:
        """Every non-working day in [first, last], in order."""
        return [s for s in map(self.status, _days(first, last)) if not s.is_working_day]

    def makeup_days_between(self, first: dt.date, last: dt.date) -> list[DayStatus]:
        """Working weekend or holiday days (làm bù) in [first, last], in order."""
        return [s for s in map(self.status, _days(first, last)) if s.kind is DayKind.MAKEUP_DAY]

    def special_days(self, year: int) -> list[DayStatus]:
        """The year's holidays, extra days off and make-up days (weekends left out)."""
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return [
            s
            for s in map(self.status, _days(first, last))
            if s.kind is not DayKind.WEEKEND and (s.kind is not DayKind.WORKDAY or s.from_override)
        ]


def _weekdays_in(first: dt.date, last: dt.date) -> int:
    """Days of [first, last] that are not Saturday or Sunday."""
    total = (last - first).days + 1
    weeks, rest = divmod(total, 7)
    count = weeks * (7 - len(_WEEKEND))
    for offset in range(rest):
        if (first.weekday() + offset) % 7 not in _WEEKEND:
            count += 1
    return count


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    d = first
    while d <= last:
        yield d
        d += ONE_DAY
