"""Working days on real 2025–2027 dates: Tết, 30/4–1/5, Quốc khánh, 24/11, swaps and
administrators' overrides (legal-domain §6, R14)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.calendar.workdays import DayKind, Override, WorkingCalendar

D = dt.date
CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 1, 1), "Tết Dương lịch"),
        (D(2026, 2, 16), "Giao thừa Tết Nguyên Đán"),
        (D(2026, 2, 17), "Tết Nguyên Đán"),
        (D(2026, 2, 20), "Mùng bốn Tết Nguyên Đán"),
        (D(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (D(2026, 4, 30), "Ngày Chiến thắng"),
        (D(2026, 5, 1), "Ngày Quốc tế Lao động"),
        (D(2026, 8, 31), "Ngày nghỉ (thay cho ngày 22/08/2026)"),
        (D(2026, 9, 1), "Quốc khánh"),
        (D(2026, 9, 2), "Quốc khánh"),
        (D(2026, 11, 24), "Ngày Văn hóa Việt Nam"),
        (D(2027, 2, 4), "29 Tết"),
        (D(2027, 2, 10), "Mùng năm Tết Nguyên Đán"),
        (D(2027, 5, 3), "Ngày Quốc tế Lao động (nghỉ bù)"),
    ],
)
def test_public_holidays_are_days_off_with_their_vietnamese_name(day, name):
    assert not CAL.is_working_day(day)
    assert CAL.reason_not_working(day) == name


@pytest.mark.parametrize(
    "day",
    [D(2026, 2, 13), D(2026, 2, 23), D(2026, 4, 29), D(2026, 5, 4), D(2026, 9, 3), D(2027, 2, 11)],
)
def test_weekdays_around_holidays_are_working_days(day):
    assert CAL.is_working_day(day)
    assert CAL.reason_not_working(day) is None


def test_tet_2026_and_2027_are_skipped_whole():
    assert all(not CAL.is_working_day(D(2026, 2, d)) for d in range(14, 23))
    assert CAL.next_working_day(D(2026, 2, 13)) == D(2026, 2, 23)
    assert all(not CAL.is_working_day(D(2027, 2, d)) for d in range(4, 11))
    assert CAL.add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)


def test_reunification_and_labour_day_2026():
    assert CAL.add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)


def test_national_day_2026_is_three_days_paid_back_by_saturday_22_08():
    assert CAL.add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)
    status = CAL.status(D(2026, 8, 22))
    assert status.kind is DayKind.MAKEUP_DAY
    assert status.makeup_for == D(2026, 8, 31)
    assert CAL.add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)


def test_saturday_26_04_2025_is_a_makeup_working_day():
    assert CAL.is_working_day(D(2025, 4, 26))
    assert not CAL.is_working_day(D(2025, 5, 2))


def test_weekends_are_days_off_named_by_weekday():
    assert CAL.reason_not_working(D(2026, 3, 7)) == "Saturday"
    assert CAL.reason_not_working(D(2026, 3, 8)) == "Sunday"


def test_a_makeup_saturday_override_becomes_a_working_day():
    calendar = WorkingCalendar({D(2027, 1, 9): Override(True, "Làm bù cho ngày 04/01/2027")})
    assert calendar.is_working_day(D(2027, 1, 9))
    assert calendar.add_working_days(D(2027, 1, 8), 1) == D(2027, 1, 9)
    assert CAL.add_working_days(D(2027, 1, 8), 1) == D(2027, 1, 11)


def test_an_extra_day_off_override_is_skipped_and_explained():
    calendar = WorkingCalendar({D(2027, 1, 4): Override(False, "Nghỉ hoán đổi Tết Dương lịch")})
    assert calendar.next_working_day(D(2026, 12, 31)) == D(2027, 1, 5)
    assert calendar.reason_not_working(D(2027, 1, 4)) == "Nghỉ hoán đổi Tết Dương lịch"


def test_an_override_can_cancel_a_package_holiday():
    calendar = WorkingCalendar({D(2026, 11, 24): Override(True, "Chưa là ngày nghỉ năm 2026")})
    assert calendar.is_working_day(D(2026, 11, 24))


def test_working_days_between_counts_after_the_first_day_up_to_the_second():
    assert CAL.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert CAL.working_days_between(D(2026, 2, 23), D(2026, 2, 13)) == -1
    assert CAL.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert CAL.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 249


def test_adding_zero_and_negative_working_days():
    assert CAL.add_working_days(D(2026, 3, 7), 0) == D(2026, 3, 9)
    assert CAL.add_working_days(D(2026, 3, 9), 0) == D(2026, 3, 9)
    assert CAL.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)


def test_calendar_days_roll_forward_over_the_national_day_holidays():
    assert CAL.add_calendar_days(D(2026, 7, 31), 31) == D(2026, 9, 3)
    assert CAL.add_calendar_days(D(2026, 7, 31), 31, roll_forward=False) == D(2026, 8, 31)
    assert CAL.add_calendar_days(D(2026, 1, 5), 30) == D(2026, 2, 4)


def test_any_year_is_available():
    assert CAL.reason_not_working(D(2040, 1, 2)) == "Tết Dương lịch (nghỉ bù)"
    assert CAL.is_working_day(D(2040, 1, 3))


def test_special_days_of_a_year_list_holidays_swaps_and_overrides_but_not_weekends():
    calendar = WorkingCalendar({D(2026, 12, 31): Override(False, "Nghỉ thêm")})
    days = {s.day: s for s in calendar.special_days(2026)}
    assert days[D(2026, 8, 22)].is_working_day
    assert not days[D(2026, 11, 24)].is_working_day
    assert days[D(2026, 12, 31)].from_override
    assert D(2026, 3, 7) not in days
    assert len([s for s in days.values() if not s.is_working_day]) == 15
