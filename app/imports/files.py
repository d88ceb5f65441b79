"""Reading an import file (Excel .xlsx or CSV in UTF-8) and writing its blank template.

A file has one header row, then one record per row. Headers are the Vietnamese column
names of the template (``Column.header``), matched without regard to case, spacing or a
trailing ``*``; columns the importer does not know are ignored, a required column that
is missing makes the whole file bad (line 1). Excel is read with calamine (a Rust reader,
ten times faster than openpyxl on a 100,000-row sheet), the template written with
openpyxl; CSV may start with a BOM (Excel's "CSV UTF-8") and use commas or semicolons.
Line numbers are those a spreadsheet shows: the header is line 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from app.core.clock import to_local
from app.core.text import nfc

XLSX = "xlsx"
CSV = "csv"
# Text columns whose digits Excel would turn into numbers (leading zeros lost).
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class Column:
    """One column of an import file: its key, Vietnamese header, whether it is required,
    an example value for the template and a short explanation."""

    key: str
    header: str
    required: bool = False
    example: str = ""
    note: str = ""
    text: bool = False


@dataclass
class SourceRow:
    """One data row: its line in the file and its values by column key (text or None)."""

    line: int
    values: dict[str, str | None]


class FileUnreadable(ValueError):
    """The file cannot be read as an import file; ``message`` (Vietnamese) says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def file_format(filename: str, data: bytes) -> str:
    """``xlsx`` or ``csv`` from the name, checked against the content."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise FileUnreadable(gettext("The file is not an Excel (.xlsx) workbook."))
        return XLSX
    if name.endswith(".csv"):
        return CSV
    raise FileUnreadable(gettext("Choose an Excel (.xlsx) or CSV (UTF-8) file."))


def _header_key(text: Any) -> str:
    return " ".join(nfc(str(text or "")).replace("*", " ").split()).casefold()


def _cell_text(value: Any) -> str | None:
    """A cell as text: dates as dd/mm/yyyy (hh:mm when a time is given), whole numbers
    without ``.0``, Vietnamese composed (NFC) as every text is stored — the bulk inserts
    pass no flush listener (app.core.text)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = to_local(value).replace(tzinfo=None)
        if value.time() == dt.time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = nfc(str(value).strip())
    return text or None


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows from line 1 and column A on (blank leading rows and columns
    kept, so line numbers are the spreadsheet's); empty cells come as ``""``."""
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises several kinds for a damaged workbook
        raise FileUnreadable(gettext("The Excel file is damaged and cannot be read.")) from error
    yield from rows


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileUnreadable(
            gettext("The CSV file is not in UTF-8: save it as “CSV UTF-8” and try again.")
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_rows(
    filename: str, data: bytes, columns: tuple[Column, ...]
) -> tuple[list[SourceRow], list[dict[str, Any]]]:
    """The data rows of the file (blank rows skipped) and the file-level errors (a
    required column missing), as ``{"line", "column", "message"}``."""
    kind = file_format(filename, data)
    raw = _xlsx_rows(data) if kind == XLSX else _csv_rows(data)
    header = next(raw, None)
    if header is None:
        raise FileUnreadable(gettext("The file is empty."))
    by_header = {_header_key(column.header): column for column in columns}
    positions: dict[int, Column] = {}
    for index, title in enumerate(header):
        column = by_header.get(_header_key(title))
        if column is not None and column not in positions.values():
            positions[index] = column
    missing = [c for c in columns if c.required and c not in positions.values()]
    errors = [
        {
            "line": 1,
            "column": column.header,
            "message": gettext("This required column is missing from the header row."),
        }
        for column in missing
    ]
    rows: list[SourceRow] = []
    blank = dict.fromkeys(column.key for column in columns)
    for line, cells in enumerate(raw, start=2):
        values = blank.copy()
        filled = False
        for index, column in positions.items():
            if index < len(cells) and (text := _cell_text(cells[index])) is not None:
                values[column.key] = text
                filled = True
        if filled:
            rows.append(SourceRow(line, values))
    return rows, errors


def template_workbook(columns: tuple[Column, ...], sheet_title: str, guide_title: str) -> bytes:
    """The blank template: the header row (required columns marked ``*``), one example
    row, text format on number-like text columns, and a sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(
            row=1, column=index, value=column.header + (" *" if column.required else "")
        )
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        example = sheet.cell(row=2, column=index, value=column.example or None)
        letter = get_column_letter(index)
        if column.text:
            example.number_format = TEXT_FORMAT
            for row in range(3, 1003):
                sheet.cell(row=row, column=index).number_format = TEXT_FORMAT
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.header) + 4))
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(guide_title)
    guide.append([gettext("Column"), gettext("Required"), gettext("What to enter")])
    for cell in guide[1]:
        cell.font, cell.fill = bold, fill
    for column in columns:
        guide.append([column.header, gettext("Yes") if column.required else "", column.note])
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
