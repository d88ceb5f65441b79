"""Today's date written out in full, as the landing page greets the user with it."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from app.core.vndate import date_in_words


def long_date(day: dt.date, locale: str) -> str:
    """The date in words: "Thứ Sáu, ngày 27 tháng 11 năm 2026" in Vietnamese.

    Vietnamese follows the administrative style of Decree 30/2020/NĐ-CP (Appendix I): a
    day below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng 02"). Other
    languages use their full CLDR date format ("Friday, November 27, 2026").
    """
    if not locale.startswith("vi"):
        return format_date(day, "full", locale=locale)
    weekday = format_date(day, "EEEE", locale="vi")
    return f"{weekday}, {date_in_words(day)}"
