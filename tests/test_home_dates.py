"""Today's date in words, as the landing page writes it."""

import datetime as dt

import pytest

from app.home.dates import long_date


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 11, 27), "Thứ Sáu, ngày 27 tháng 11 năm 2026"),
        (dt.date(2026, 3, 1), "Chủ Nhật, ngày 01 tháng 3 năm 2026"),
        # Decree 30/2020/NĐ-CP: leading zero for days below 10 and for months 1 and 2.
        (dt.date(2026, 2, 5), "Thứ Năm, ngày 05 tháng 02 năm 2026"),
        (dt.date(2027, 1, 1), "Thứ Sáu, ngày 01 tháng 01 năm 2027"),
    ],
)
def test_vietnamese_long_date(day, text):
    assert long_date(day, "vi") == text


def test_english_long_date():
    assert long_date(dt.date(2026, 11, 27), "en") == "Friday, November 27, 2026"
