"""The header of an agency's official documents (Decree 30/2020/NĐ-CP, Appendix I)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.agencies.letterhead import letterhead
from app.agencies.models import Agency
from app.core.vndate import date_in_words, place_and_date
from app.extensions import db

ON = dt.date(2026, 11, 27)


def _agency(code: str) -> Agency:
    return db.session.scalar(select(Agency).where(Agency.code == code))


@pytest.mark.parametrize(
    ("code", "superior", "agency", "place"),
    [
        # the reception board hangs under the district office, its header names the PC
        ("DT17-866-TCD", "UBND THÀNH PHỐ CAO LÃNH", "BAN TIẾP CÔNG DÂN", "Cao Lãnh"),
        ("DT17-866-TT", "UBND THÀNH PHỐ CAO LÃNH", "THANH TRA THÀNH PHỐ", "Cao Lãnh"),
        ("DT17-BTCD", "UBND TỈNH ĐỒNG THÁP", "BAN TIẾP CÔNG DÂN", "Đồng Tháp"),
        ("DT17-TTT", "UBND TỈNH ĐỒNG THÁP", "THANH TRA TỈNH", "Đồng Tháp"),
        (
            "DT17-STNMT-TT",
            "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH ĐỒNG THÁP",
            "THANH TRA SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
            "Đồng Tháp",
        ),
        ("DT17-29881-UB", "UBND THÀNH PHỐ CAO LÃNH", "ỦY BAN NHÂN DÂN XÃ MỸ NGÃI", "Mỹ Ngãi"),
        # a unit named by a number keeps its type word
        ("DT17-29863-UB", "UBND THÀNH PHỐ CAO LÃNH", "ỦY BAN NHÂN DÂN PHƯỜNG 11", "Phường 11"),
    ],
)
def test_letterhead_of_receiving_agencies(app_ctx, code, superior, agency, place):
    head = letterhead(_agency(code), ON)
    assert (head.superior, head.agency, head.place) == (superior, agency, place)


def test_the_provincial_committee_has_no_superior(app_ctx):
    head = letterhead(_agency("DT17-UBT"), ON)
    assert head.superior is None
    assert head.agency == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    assert head.place == "Đồng Tháp"


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2026, 11, 27), "ngày 27 tháng 11 năm 2026"),
        # Decree 30/2020: a zero before days below 10 and the months 1 and 2 only
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (dt.date(2017, 9, 25), "ngày 25 tháng 9 năm 2017"),
        (dt.date(2012, 10, 3), "ngày 03 tháng 10 năm 2012"),
    ],
)
def test_dates_in_words(day, words):
    assert date_in_words(day) == words


def test_place_and_date_line():
    assert place_and_date("Cao Lãnh", ON) == "Cao Lãnh, ngày 27 tháng 11 năm 2026"
