"""Deadlines on real dates: the 15:00 rule (R14, R16, R17), early / on time / late (R19),
working and calendar days, suspensions of a complaint's clock (legal-domain §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.calendar.deadlines import (
    count_calendar_days,
    count_working_days,
    entry_deadline,
    judge_completion,
    judge_entry_timeliness,
)
from app.calendar.explain import explanation_text
from app.calendar.i18n import english
from app.calendar.results import Suspension, Timeliness
from app.calendar.workdays import Override, WorkingCalendar

D, T = dt.date, dt.datetime
CAL = WorkingCalendar()
VN = dt.timezone(dt.timedelta(hours=7))


def text(result) -> str:
    return explanation_text(result, english)


@pytest.mark.parametrize(
    ("event_at", "due"),
    [
        (T(2026, 12, 31, 9, 30), D(2026, 12, 31)),
        (T(2026, 12, 31, 15, 0, 0), D(2026, 12, 31)),
        (T(2026, 12, 31, 15, 0, 59), D(2026, 12, 31)),
        (T(2026, 12, 31, 15, 1), D(2027, 1, 4)),
        (T(2026, 12, 31, 16, 0), D(2027, 1, 4)),
        (T(2027, 1, 1, 8, 0), D(2027, 1, 4)),
        (T(2026, 2, 13, 16, 0), D(2026, 2, 23)),
        (T(2026, 8, 21, 16, 0), D(2026, 8, 22)),
    ],
)
def test_entry_deadline_follows_the_15_00_rule(event_at, due):
    assert entry_deadline(CAL, event_at).due == due


def test_aware_times_are_judged_in_vietnamese_local_time():
    at_15_local = T(2026, 12, 31, 8, 0, tzinfo=dt.UTC)
    assert entry_deadline(CAL, at_15_local).due == D(2026, 12, 31)
    assert entry_deadline(CAL, at_15_local + dt.timedelta(minutes=1)).due == D(2027, 1, 4)
    assert entry_deadline(CAL, T(2026, 12, 31, 16, 0, tzinfo=VN)).due == D(2027, 1, 4)


def test_after_15_00_explanation_names_the_time_and_the_days_off():
    result = entry_deadline(CAL, T(2026, 12, 31, 16, 0))
    assert text(result) == (
        "Issued 16:00 Thursday 31/12/2026; after 15:00; next working day Monday 04/01/2027 "
        "because 01/01 Tết Dương lịch, 02–03/01 weekend"
    )


def test_before_15_00_explanation_says_same_day():
    result = entry_deadline(CAL, T(2026, 12, 31, 15, 0))
    assert text(result) == (
        "Issued 15:00 Thursday 31/12/2026; at or before 15:00; "
        "the same working day Thursday 31/12/2026"
    )


def test_event_on_a_day_off_counts_that_day_among_the_reasons():
    result = entry_deadline(CAL, T(2027, 1, 2, 9, 0))
    assert result.due == D(2027, 1, 4)
    assert text(result).endswith("next working day Monday 04/01/2027 because 02–03/01 weekend")


def test_an_extra_day_off_moves_the_entry_deadline():
    calendar = WorkingCalendar({D(2027, 1, 4): Override(False, "Nghỉ bù Tết Dương lịch")})
    result = entry_deadline(calendar, T(2026, 12, 31, 16, 0))
    assert result.due == D(2027, 1, 5)
    assert "04/01 Nghỉ bù Tết Dương lịch" in text(result)


def test_entry_on_the_issue_day_is_on_time_at_any_hour():
    verdict = judge_entry_timeliness(CAL, T(2026, 12, 31, 10, 0), T(2026, 12, 31, 22, 30))
    assert verdict.status is Timeliness.ON_TIME
    assert text(verdict).endswith("entered 22:30 Thursday 31/12/2026; on time")


def test_entry_after_the_next_working_day_is_late():
    verdict = judge_entry_timeliness(CAL, T(2026, 12, 31, 16, 0), T(2027, 1, 5, 8, 15))
    assert verdict.status is Timeliness.LATE
    assert verdict.days == 1
    assert verdict.deadline.due == D(2027, 1, 4)
    assert text(verdict).endswith("entered 08:15 Tuesday 05/01/2027; late by 1 days")


def test_an_event_known_only_by_its_date_may_be_entered_the_next_working_day():
    """R16: a report document has a date but no signing time; it gets the benefit of the
    15:00 rule (Friday's report may be sent on Monday, not on Tuesday)."""
    friday = D(2026, 11, 20)
    monday = judge_entry_timeliness(CAL, friday, T(2026, 11, 23, 16, 0))
    assert monday.status is Timeliness.ON_TIME and monday.deadline.due == D(2026, 11, 23)
    assert text(monday).startswith(
        "Issued Friday 20/11/2026; no time is recorded, so it is taken as after 15:00"
    )
    assert judge_entry_timeliness(CAL, friday, T(2026, 11, 24, 8, 0)).is_late


def test_entry_before_15_00_then_made_on_a_holiday_is_late():
    verdict = judge_entry_timeliness(CAL, T(2026, 4, 29, 9, 0), T(2026, 4, 30, 9, 0))
    assert verdict.is_late


@pytest.mark.parametrize(
    ("done_at", "status", "days"),
    [
        (D(2026, 3, 3), Timeliness.EARLY, 2),
        (T(2026, 3, 5, 23, 59), Timeliness.ON_TIME, 0),
        (T(2026, 3, 6, 0, 1), Timeliness.LATE, 1),
    ],
)
def test_completion_is_early_on_time_or_late_by_the_report_moment(done_at, status, days):
    verdict = judge_completion(D(2026, 3, 5), done_at)
    assert (verdict.status, verdict.days) == (status, days)


def test_completion_judged_against_a_computed_deadline_keeps_its_explanation():
    deadline = count_working_days(CAL, D(2026, 2, 12), 10)
    verdict = judge_completion(deadline, T(2026, 3, 6, 9, 0))
    assert verdict.status is Timeliness.LATE
    assert text(verdict).startswith("10 working days counted from the day after Thursday 12/02")
    assert text(verdict).endswith("completed 09:00 Friday 06/03/2026; late by 1 days")


def test_ten_working_days_across_tet_2026():
    result = count_working_days(CAL, D(2026, 2, 12), 10)
    assert result.due == D(2026, 3, 5)
    assert len(result.days_off_skipped) == 11
    assert text(result) == (
        "10 working days counted from the day after Thursday 12/02/2026; not counted: "
        "14–15/02 weekend, 16–20/02 Lunar New Year, 21–22/02 weekend, 28/02–01/03 weekend; "
        "due Thursday 05/03/2026"
    )


def test_ten_working_days_across_tet_2027():
    assert count_working_days(CAL, D(2027, 2, 1), 10).due == D(2027, 2, 22)


def test_makeup_saturday_is_counted_and_said_so():
    result = count_working_days(CAL, D(2026, 8, 20), 3)
    assert result.due == D(2026, 8, 24)
    assert "make-up working days: Saturday 22/08/2026 (make-up working day for 31/08/2026)" in (
        text(result)
    )


def test_thirty_calendar_days_ending_on_the_national_day_roll_to_thursday():
    result = count_calendar_days(CAL, D(2026, 7, 31), 30)
    assert result.due == D(2026, 9, 3)
    assert result.rolled_from == D(2026, 8, 30)
    assert [s.day for s in result.days_off_skipped] == [
        D(2026, 8, 30),
        D(2026, 8, 31),
        D(2026, 9, 1),
        D(2026, 9, 2),
    ]
    assert "(30/08 weekend, 31/08 Ngày nghỉ (thay cho ngày 22/08/2026), 01–02/09 Quốc khánh)" in (
        text(result)
    )
    assert "Civil Code Art. 148(5)" in text(result)


def test_calendar_days_without_roll_forward_may_end_on_a_day_off():
    result = count_calendar_days(CAL, D(2026, 7, 31), 30, roll_forward=False)
    assert result.due == D(2026, 8, 30)
    assert "this limit is not extended" in text(result)


def test_thirty_days_on_24_11_2026_roll_to_the_next_day():
    assert count_calendar_days(CAL, D(2026, 10, 25), 30).due == D(2026, 11, 25)


def test_a_suspension_stops_the_clock_until_the_resume_decision():
    pause = Suspension(paused_on=D(2026, 1, 9), resumed_on=D(2026, 1, 19))
    result = count_working_days(CAL, D(2026, 1, 5), 10, suspensions=[pause])
    assert count_working_days(CAL, D(2026, 1, 5), 10).due == D(2026, 1, 19)
    assert result.due == D(2026, 1, 27)
    assert result.suspended_days == 10
    assert (
        "suspended on Friday 09/01/2026 after 4 working days; resumed on Monday 19/01/2026 "
        "with 6 working days left"
    ) in text(result)


def test_calendar_day_suspension_keeps_the_days_already_spent():
    pause = Suspension(paused_on=D(2026, 3, 11), resumed_on=D(2026, 3, 31))
    result = count_calendar_days(CAL, D(2026, 3, 1), 30, suspensions=[pause])
    assert result.due == D(2026, 4, 20)


def test_a_suspension_after_the_deadline_changes_nothing():
    pause = Suspension(paused_on=D(2026, 2, 10), resumed_on=D(2026, 2, 20))
    result = count_working_days(CAL, D(2026, 1, 5), 10, suspensions=[pause])
    assert result.due == D(2026, 1, 19)
    assert result.suspended_days == 0


def test_impossible_suspensions_and_negative_lengths_are_refused():
    with pytest.raises(ValueError):
        count_working_days(
            CAL, D(2026, 1, 5), 10, suspensions=[Suspension(D(2026, 1, 9), D(2026, 1, 8))]
        )
    with pytest.raises(ValueError):
        count_working_days(
            CAL, D(2026, 1, 5), 10, suspensions=[Suspension(D(2026, 1, 1), D(2026, 1, 8))]
        )
    with pytest.raises(ValueError):
        count_calendar_days(CAL, D(2026, 1, 5), -1)
