"""The reception book as an Excel workbook, in the book's columns (Luật TCD Art. 25(2))."""

from __future__ import annotations

import io

import xlsxwriter
from flask_babel import gettext

from app.petitions.reception_book import BOOK_COLUMNS, BookRow
from app.templating import format_datetime

# Column widths (characters), in the order of BOOK_COLUMNS.
_WIDTHS = (6, 17, 40, 12, 50, 28, 40, 26)
_FONT = {"font_name": "Times New Roman", "font_size": 12}


def book_workbook(rows: list[BookRow], subtitle: str) -> bytes:
    """An .xlsx file: the title "SỔ TIẾP CÔNG DÂN", ``subtitle`` (agency and period), the
    column headings and one line per visit (multi-line cells wrapped)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(gettext("Reception book")[:31])
    title = workbook.add_format({**_FONT, "bold": True, "font_size": 14, "align": "center"})
    centered = workbook.add_format({**_FONT, "italic": True, "align": "center"})
    heading = workbook.add_format(
        {
            **_FONT,
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    cell = workbook.add_format({**_FONT, "border": 1, "valign": "top", "text_wrap": True})
    last = len(BOOK_COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, gettext("CITIZEN RECEPTION BOOK"), title)
    sheet.merge_range(1, 0, 1, last, subtitle, centered)
    for column, (name, width) in enumerate(zip(BOOK_COLUMNS, _WIDTHS, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write(3, column, str(name), heading)
    for line, row in enumerate(rows, start=4):
        values = (
            row.number,
            format_datetime(row.visit.received_at),
            "\n".join(row.people),
            row.people_count,
            row.matter,
            row.result,
            "\n".join(row.handling),
            row.official,
        )
        for column, value in enumerate(values):
            sheet.write(line, column, value, cell)
    sheet.freeze_panes(4, 0)
    sheet.repeat_rows(3)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    workbook.close()
    return buffer.getvalue()
