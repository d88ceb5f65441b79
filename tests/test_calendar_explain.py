"""Explanations read correctly in Vietnamese, and every calendar msgid has a Vietnamese
translation in app/calendar/i18n_vi.txt (the file the catalog maintainer merges)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from babel.messages.extract import extract_from_file

from app.calendar.deadlines import (
    count_calendar_days,
    count_working_days,
    entry_deadline,
    judge_entry_timeliness,
)
from app.calendar.explain import explain, explanation_text
from app.calendar.results import EventKind
from app.calendar.workdays import Override, WorkingCalendar

ROOT = Path(__file__).resolve().parent.parent
I18N_FILE = ROOT / "app" / "calendar" / "i18n_vi.txt"
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None, "N_": None}
D, T = dt.date, dt.datetime
CAL = WorkingCalendar()


def _catalog() -> dict[str, str]:
    lines = I18N_FILE.read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines)


CATALOG = _catalog()


def vi(msgid: str, **params: object) -> str:
    """A gettext that translates with the calendar's Vietnamese msgstrs."""
    msgstr = CATALOG[msgid]
    return msgstr % params if params else msgstr


def test_the_15_00_example_reads_as_the_regulation_clerk_expects():
    result = entry_deadline(CAL, T(2026, 12, 31, 16, 0))
    assert explanation_text(result, vi) == (
        "Ban hành 16:00 Thứ Năm 31/12/2026; sau 15:00; ngày làm việc tiếp theo Thứ Hai "
        "04/01/2027 vì 01/01 Tết Dương lịch, 02–03/01 nghỉ cuối tuần"
    )


def test_a_report_received_before_15_00_is_reviewed_the_same_day():
    result = entry_deadline(CAL, T(2026, 3, 2, 14, 5), event=EventKind.RECEIVED)
    assert explain(result, vi) == [
        "nhận 14:05 Thứ Hai 02/03/2026",
        "trước hoặc đúng 15:00",
        "trong ngày làm việc Thứ Hai 02/03/2026",
    ]


def test_late_entry_is_explained_in_vietnamese():
    verdict = judge_entry_timeliness(CAL, T(2026, 12, 31, 16, 0), T(2027, 1, 6, 9, 0))
    assert explanation_text(verdict, vi).endswith(
        "nhập vào phần mềm 09:00 Thứ Tư 06/01/2027; trễ hạn 2 ngày"
    )


def test_tet_is_one_run_in_the_list_of_days_not_counted():
    result = count_working_days(CAL, D(2027, 2, 1), 10)
    assert explain(result, vi) == [
        "10 ngày làm việc, tính từ ngày sau Thứ Hai 01/02/2027",
        "không tính: 04–10/02 Tết Nguyên Đán, 13–14/02 nghỉ cuối tuần, 20–21/02 nghỉ cuối tuần",
        "hạn Thứ Hai 22/02/2027",
    ]


def test_rolled_calendar_deadline_cites_the_civil_code():
    result = count_calendar_days(CAL, D(2026, 10, 25), 30)
    assert explain(result, vi)[1] == (
        "ngày cuối cùng Thứ Ba 24/11/2026 không phải ngày làm việc (24/11 Ngày Văn hóa Việt Nam) "
        "nên thời hạn kết thúc vào ngày làm việc tiếp theo (Bộ luật Dân sự, Điều 148 khoản 5)"
    )


def test_makeup_override_is_named_with_its_reason():
    calendar = WorkingCalendar({D(2027, 1, 9): Override(True, "Làm bù ngày 04/01/2027")})
    result = count_working_days(calendar, D(2027, 1, 8), 1)
    assert "có tính ngày làm bù: Thứ Bảy 09/01/2027 (Làm bù ngày 04/01/2027)" in explain(result, vi)


def test_weekend_reasons_are_weekday_names_in_vietnamese():
    assert CAL.reason_not_working(D(2026, 3, 7), vi) == "Thứ Bảy"
    assert CAL.reason_not_working(D(2026, 3, 8), vi) == "Chủ nhật"


def test_rendering_needs_no_flask_app():
    result = entry_deadline(CAL, T(2026, 12, 31, 16, 0))
    assert explanation_text(result).startswith("Issued 16:00 Thursday 31/12/2026")


def _extracted_msgids() -> set[str]:
    msgids = set()
    for path in sorted((ROOT / "app" / "calendar").glob("*.py")):
        msgids |= {m[1] for m in extract_from_file("python", str(path), keywords=KEYWORDS)}
    for path in sorted((ROOT / "app" / "templates" / "calendar").glob("*.html")):
        msgids |= {m[1] for m in extract_from_file("jinja2.ext:babel_extract", str(path))}
    return msgids


def test_every_calendar_msgid_has_exactly_one_vietnamese_translation():
    lines = I18N_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(CATALOG), "a msgid is listed twice"
    assert set(CATALOG) == _extracted_msgids()
    assert all(msgstr.strip() for msgstr in CATALOG.values())


def test_translations_keep_the_placeholders_of_their_msgid():
    placeholder = re.compile(r"%\((\w+)\)s")
    for msgid, msgstr in CATALOG.items():
        assert set(placeholder.findall(msgid)) == set(placeholder.findall(msgstr)), msgid
