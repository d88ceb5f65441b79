"""Dates written the way Vietnamese official documents write them.

Decree 30/2020/NĐ-CP (Appendix I) on administrative documents: "ngày 27 tháng 11 năm
2026", with a leading zero for a day below 10 and for the months 1 and 2 ("ngày 05 tháng
02 năm 2026"), every other month without one ("ngày 25 tháng 9 năm 2017"). Decision
1122/QĐ-UBND-HC itself is written so: "Đồng Tháp, ngày 25 tháng 9 năm 2017" and, in its
preamble, "ngày 03 tháng 10 năm 2012".
"""

from __future__ import annotations

import datetime as dt


def date_in_words(day: dt.date) -> str:
    """The date as an official document writes it: "ngày 05 tháng 02 năm 2026"
    (Decree 30/2020/NĐ-CP: zero before days below 10 and the months 1 and 2)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: dt.date) -> str:
    """The place-and-date line of an official document: "Cao Lãnh, ngày 27 tháng 11 năm 2026"."""
    return f"{place}, {date_in_words(day)}"
