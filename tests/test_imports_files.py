"""Reading an import workbook as a clerk's Excel gives it (issue 7): typed cells become
the text the intake checks, line numbers are the ones the spreadsheet shows, blank rows
are skipped, and a damaged workbook gets a Vietnamese message instead of an error page."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook

from app.imports.files import FileUnreadable, read_rows
from app.imports.petitions import COLUMNS
from tests.imports_helpers import PETITION_HEADERS, csv_file, petition_row, xlsx_file


def _workbook(cells: dict[str, object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for reference, value in cells.items():
        sheet[reference] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed_sheet() -> bytes:
    """The template's headers on line 1, then rows as Excel stores what a clerk typed:
    a date cell, a number cell for the register number and the birth year, the ID number
    kept as text (leading zero), a blank line 3 and a decomposed (NFD) name."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PETITION_HEADERS)
    first = petition_row(**{"Số CCCD/CMND": "087078001234"})
    typed = {
        "Số vào sổ": 501,
        "Ngày nhận": dt.datetime(2026, 3, 2),
        "Năm sinh": 1978.0,
        "Họ và tên người đứng đơn": unicodedata.normalize("NFD", "Nguyễn Văn Hùng"),
    }
    sheet.append([typed.get(header, first[header]) or None for header in PETITION_HEADERS])
    sheet.append([None] * len(PETITION_HEADERS))
    received = {"Ngày nhận": dt.datetime(2026, 3, 5, 14, 30), "Số vào sổ": 502}
    second = petition_row(**{"Họ và tên người đứng đơn": "Trần Thị Lan", "Số CCCD/CMND": ""})
    sheet.append([received.get(header, second[header]) or None for header in PETITION_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_typed_excel_cells_are_read_as_the_text_a_clerk_sees(app_ctx):
    rows, errors = read_rows("so-don-2026.xlsx", _typed_sheet(), COLUMNS)

    assert errors == []
    assert [row.line for row in rows] == [2, 4]
    first, second = (row.values for row in rows)
    assert first["register_number"] == "501"
    assert first["received_at"] == "02/03/2026"
    assert first["birth_year"] == "1978"
    assert first["id_number"] == "087078001234"
    assert first["full_name"] == "Nguyễn Văn Hùng"
    assert unicodedata.is_normalized("NFC", first["full_name"])
    assert second["received_at"] == "05/03/2026 14:30"
    assert second["register_number"] == "502"
    assert second["id_number"] is None
    assert second["full_name"] == "Trần Thị Lan"


def test_the_excel_and_csv_of_the_same_rows_read_the_same(app_ctx):
    rows = [petition_row(), petition_row(**{"Số vào sổ": "502", "Mã xã/phường": "30280"})]
    from_excel, _ = read_rows("a.xlsx", xlsx_file(PETITION_HEADERS, rows), COLUMNS)
    from_csv, _ = read_rows("a.csv", csv_file(PETITION_HEADERS, rows), COLUMNS)

    assert [(row.line, row.values) for row in from_excel] == [
        (row.line, row.values) for row in from_csv
    ]


def test_a_header_below_blank_lines_is_reported_on_line_one(app_ctx):
    """Leading blank lines are not skipped: line numbers stay the spreadsheet's, and the
    header is expected on line 1."""
    data = _workbook({"A3": PETITION_HEADERS[0], "B3": PETITION_HEADERS[1]})

    rows, errors = read_rows("so-don.xlsx", data, COLUMNS)

    required = [column.header for column in COLUMNS if column.required]
    assert [error["column"] for error in errors] == required
    assert {error["line"] for error in errors} == {1}
    assert {error["message"] for error in errors} == {"Thiếu cột bắt buộc này ở dòng tiêu đề."}
    assert rows == []


def _not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải bảng tính")
    return buffer.getvalue()


def _cut_short() -> bytes:
    data = _workbook({"A1": PETITION_HEADERS[0]})
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_not_a_workbook(), "Tệp Excel bị hỏng, không đọc được."),
        (_cut_short(), "Tệp không phải bảng tính Excel (.xlsx)."),
    ],
    ids=["zip-without-a-sheet", "cut-short"],
)
def test_a_damaged_workbook_gets_a_vietnamese_message(app_ctx, data, message):
    with pytest.raises(FileUnreadable) as raised:
        read_rows("so-don.xlsx", data, COLUMNS)

    assert raised.value.message == message
