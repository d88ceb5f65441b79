"""Properties of working-day arithmetic that must hold for any date, length and set of
overrides (BLDS Art. 147–148; R14)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app.calendar.deadlines import count_calendar_days, count_working_days, entry_deadline
from app.calendar.workdays import ONE_DAY, Override, WorkingCalendar

days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31))
lengths = st.integers(min_value=1, max_value=120)
calendars = st.dictionaries(
    days, st.builds(Override, st.booleans(), st.just("điều chỉnh")), max_size=30
).map(WorkingCalendar)
SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(calendars, days, st.integers(min_value=-60, max_value=120))
def test_adding_working_days_always_lands_on_a_working_day(calendar, start, n):
    assert calendar.is_working_day(calendar.add_working_days(start, n))


@SETTINGS
@given(calendars, days, lengths)
def test_exactly_n_working_days_lie_between_start_and_result(calendar, start, n):
    due = calendar.add_working_days(start, n)
    assert due > start
    assert calendar.working_days_between(start, due) == n


@SETTINGS
@given(calendars, days, days, lengths, lengths)
def test_adding_working_days_is_monotonic(calendar, a, b, m, n):
    a, b = min(a, b), max(a, b)
    m, n = min(m, n), max(m, n)
    assert calendar.add_working_days(a, m) <= calendar.add_working_days(b, m)
    assert calendar.add_working_days(a, m) <= calendar.add_working_days(a, n)


@SETTINGS
@given(calendars, days)
def test_next_working_day_is_the_first_working_day_after(calendar, d):
    following = calendar.next_working_day(d)
    assert following > d
    assert calendar.is_working_day(following)
    assert calendar.working_days_between(d, following) == 1


@SETTINGS
@given(calendars, days, lengths)
def test_calendar_days_roll_forward_to_a_working_day_never_before_start_plus_n(calendar, start, n):
    due = calendar.add_calendar_days(start, n)
    last_day = start + dt.timedelta(days=n)
    assert due >= last_day
    assert calendar.is_working_day(due)
    assert calendar.working_days_between(last_day - ONE_DAY, due - ONE_DAY) == 0


@SETTINGS
@given(calendars, days, lengths)
def test_every_day_up_to_a_working_day_deadline_is_counted_or_listed_as_skipped(calendar, start, n):
    result = count_working_days(calendar, start, n)
    assert result.due == calendar.add_working_days(start, n)
    assert n + len(result.days_off_skipped) == (result.due - start).days
    assert all(not s.is_working_day for s in result.days_off_skipped)


@SETTINGS
@given(calendars, days, lengths)
def test_a_rolled_calendar_day_deadline_lists_the_days_it_rolled_over(calendar, start, n):
    result = count_calendar_days(calendar, start, n)
    last_day = start + dt.timedelta(days=n)
    assert len(result.days_off_skipped) == (result.due - last_day).days
    assert (result.rolled_from is not None) == (result.due != last_day)


@SETTINGS
@given(calendars, days, st.times())
def test_entry_is_due_the_same_day_only_for_working_days_until_15_00(calendar, day, time):
    result = entry_deadline(calendar, dt.datetime.combine(day, time))
    same_day = calendar.is_working_day(day) and time < dt.time(15, 1)
    assert result.due == (day if same_day else calendar.next_working_day(day))
    assert calendar.is_working_day(result.due)


@SETTINGS
@given(calendars, days, days)
def test_working_days_between_counts_each_working_day_of_the_range(calendar, a, b):
    """The arithmetic count (weekdays, corrected by holidays, make-up days and overrides)
    agrees with asking every day of (a, b] in turn."""
    first, last = (a, b) if a <= b else (b, a)
    one_by_one = sum(
        calendar.is_working_day(first + dt.timedelta(days=k))
        for k in range(1, (last - first).days + 1)
    )
    assert calendar.working_days_between(first, last) == one_by_one
    assert calendar.working_days_between(last, first) == -one_by_one
