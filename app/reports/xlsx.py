"""Render a computed form as an Excel workbook (R21), as the circulars lay it out.

Times New Roman throughout; top left the reporting body, top right "Biểu số" and the legal
basis; the title and the period line; the header tree as merged cells over the numbered
columns; the MS row with the column numbers and check formulas; one row per agency (or
category) with the district subtotals in bold and the agencies under them indented, the
total row; notes, place and date, signature blocks. Printed on A4 landscape, fitted to
the page width, header rows repeated on every page, pages numbered.

Number formats: counts ``#,##0``; money in million VND (Trđ) with 3 decimals
``#,##0.000`` (to the thousand đồng, as the amounts are stored); land in m² with 2
decimals ``#,##0.00``; percentages as numbers ``0.0``. Excel shows the separators of the
reader's locale: on Vietnamese Windows 1.234,500.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd

from app.reports.compute import AGENCY, SUBTOTAL, TOTAL, ReportTable
from app.reports.forms import Column, HeaderNode, leaf_count

FONT = "Times New Roman"
NUMBER_FORMATS = {
    "count": "#,##0",
    "money": "#,##0.000",
    "area": "#,##0.00",
    "percent": "0.0",
    "text": "@",
}
WIDTHS = {"count": 8, "money": 11, "area": 11, "percent": 7, "text": 12}
FIRST_WIDTH = 42
HEADER_TOP = 6
LINE_HEIGHT = 13.5


def _vn_date(day: Any) -> str:
    return day.strftime("%d/%m/%Y")


class _Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, book: Any):
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        cell = {**base, "border": 1}
        self.add = lambda **extra: book.add_format({**base, **extra})
        self.agency = self.add(bold=True, align="center", text_wrap=True)
        self.code = self.add(bold=True, align="center")
        self.basis = self.add(italic=True, align="center", text_wrap=True, font_size=10)
        self.title = self.add(bold=True, align="center", font_size=13, text_wrap=True)
        self.period = self.add(italic=True, align="center")
        self.unit = self.add(italic=True, align="right")
        self.header = book.add_format(
            {**cell, "bold": True, "align": "center", "text_wrap": True, "font_size": 10}
        )
        self.ms = book.add_format({**cell, "bold": True, "align": "center", "font_size": 10})
        self.label = {
            (AGENCY, False): book.add_format({**cell, "text_wrap": True}),
            (AGENCY, True): book.add_format({**cell, "text_wrap": True, "indent": 1}),
        }
        self.bold_label = book.add_format({**cell, "bold": True, "text_wrap": True})
        self.numbers = {
            (fmt, bold): book.add_format({**cell, "num_format": num, "bold": bold})
            for fmt, num in NUMBER_FORMATS.items()
            for bold in (False, True)
        }
        self.note = self.add(italic=True, text_wrap=True, valign="top")
        self.place = self.add(italic=True, align="center")
        self.sign = self.add(bold=True, align="center")
        self.sign_note = self.add(italic=True, align="center")


def _ms_texts(table: ReportTable) -> dict[str, str]:
    """The MS row: each column's number, or the check formula that starts with it."""
    texts = {column.ms: column.ms for column in table.form.columns}
    for check in reversed(table.form.checks):
        first = check.sides[0]
        if len(first) == 1 and first[0][0] == 1:
            texts[first[0][1]] = check.text
    return texts


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil(len(text) * 1.1 / max(width, 1)))


class _Sheet:
    """Writes one form on one worksheet."""

    def __init__(self, table: ReportTable, sheet: Any, formats: _Formats, place: str):
        self.table = table
        self.form = table.form
        self.sheet = sheet
        self.f = formats
        self.place = place
        self.last_col = len(self.form.columns)
        self.depth = self.form.depth
        self.ms_row = HEADER_TOP + self.depth
        self.widths = [FIRST_WIDTH] + [WIDTHS[c.format] for c in self.form.columns]
        self.row_lines = [1] * self.depth

    def merge(self, first_row, first_col, last_row, last_col, text, fmt) -> None:
        if (first_row, first_col) == (last_row, last_col):
            self.sheet.write_string(first_row, first_col, text, fmt)
        else:
            self.sheet.merge_range(first_row, first_col, last_row, last_col, text, fmt)

    def band(self, row: int, text: str, fmt: Any) -> None:
        self.merge(row, 0, row, self.last_col, text, fmt)

    def corners(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """Columns of the left and right blocks (reporting body, form number, signatures)."""
        if self.last_col < 5:
            return (0, 0), (1, self.last_col)
        third = self.last_col // 3
        return (0, third), (self.last_col - third, self.last_col)

    def top(self, reporting_body: str) -> None:
        (left_first, left_last), (right_first, right_last) = self.corners()
        self.merge(0, left_first, 1, left_last, reporting_body.upper(), self.f.agency)
        self.merge(0, right_first, 0, right_last, f"Biểu số: {self.form.code}", self.f.code)
        self.merge(1, right_first, 2, right_last, self.form.legal_basis, self.f.basis)
        self.band(3, self.form.title, self.f.title)
        self.sheet.set_row(3, LINE_HEIGHT * _lines(self.form.title, sum(self.widths)) + 4)
        period = self.table.period
        line = self.form.period_line.format(start=_vn_date(period.start), end=_vn_date(period.end))
        self.band(4, line, self.f.period)
        if self.form.unit_line:
            self.band(5, str(self.form.unit_line), self.f.unit)

    def header_node(self, node: HeaderNode | Column, row: int, col: int) -> int:
        bottom = HEADER_TOP + self.depth - 1
        width = leaf_count(node)
        span_width = sum(self.widths[col : col + width])
        if isinstance(node, Column):
            self.merge(row, col, bottom, col, node.label, self.f.header)
            rows = bottom - row + 1
            needed = _lines(node.label, span_width) - (rows - 1) * 2
            index = bottom - HEADER_TOP
            self.row_lines[index] = max(self.row_lines[index], needed)
            return col + 1
        self.merge(row, col, row, col + width - 1, node.label, self.f.header)
        index = row - HEADER_TOP
        self.row_lines[index] = max(self.row_lines[index], _lines(node.label, span_width))
        for child in node.children:
            col = self.header_node(child, row + 1, col)
        return col

    def header(self) -> None:
        bottom = HEADER_TOP + self.depth - 1
        self.merge(HEADER_TOP, 0, bottom, 0, self.form.first_column, self.f.header)
        col = 1
        for node in self.form.header:
            col = self.header_node(node, HEADER_TOP, col)
        for index, lines in enumerate(self.row_lines):
            self.sheet.set_row(HEADER_TOP + index, LINE_HEIGHT * min(lines, 2) + 6)
        texts = _ms_texts(self.table)
        self.sheet.write_string(self.ms_row, 0, "MS", self.f.ms)
        for index, column in enumerate(self.form.columns, start=1):
            self.sheet.write_string(self.ms_row, index, texts[column.ms], self.f.ms)

    def body(self) -> int:
        frame = self.table.frame
        first = self.ms_row + 1
        bold = frame["level"].isin([SUBTOTAL, TOTAL]).tolist()
        grouped = frame["level"].eq(SUBTOTAL).any()
        labels = frame["label"].tolist()
        for offset, (label, strong) in enumerate(zip(labels, bold, strict=True)):
            fmt = self.f.bold_label if strong else self.f.label[(AGENCY, bool(grouped))]
            self.sheet.write_string(first + offset, 0, str(label), fmt)
        for index, column in enumerate(self.form.columns, start=1):
            values = frame[column.ms].tolist()
            for offset, (value, strong) in enumerate(zip(values, bold, strict=True)):
                fmt = self.f.numbers[(column.format, strong)]
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    self.sheet.write_blank(first + offset, index, None, fmt)
                else:
                    self.sheet.write_number(first + offset, index, float(value), fmt)
        return first + len(frame)

    def footer(self, row: int) -> None:
        row += 1
        for note in self.form.notes:
            self.band(row, note, self.f.note)
            row += 1
        left, right = self.corners()
        place = self.form.place_date.format(place=self.place)
        self.merge(row, right[0], row, right[1], place, self.f.place)
        row += 1
        signatures = list(self.form.signatures)
        spots = [left, right][: len(signatures)] if len(signatures) <= 2 else []
        for (first, last), signature in zip(spots, signatures, strict=False):
            self.merge(row, first, row, last, signature.title, self.f.sign)
            if signature.note:
                self.merge(row + 1, first, row + 1, last, signature.note, self.f.sign_note)

    def page_setup(self) -> None:
        for index, width in enumerate(self.widths):
            self.sheet.set_column(index, index, width)
        self.sheet.set_landscape()
        self.sheet.set_paper(9)
        self.sheet.fit_to_pages(1, 0)
        self.sheet.repeat_rows(HEADER_TOP, self.ms_row)
        self.sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        self.sheet.center_horizontally()
        self.sheet.set_footer('&C&"Times New Roman"Trang &P/&N')
        self.sheet.freeze_panes(self.ms_row + 1, 1)


def sheet_name(code: str) -> str:
    """Excel forbids ``/`` in sheet names: ``01/XLD`` → ``01-XLD``."""
    return "".join("-" if char in "/\\?*[]:" else char for char in code)[:31]


def render(tables: list[ReportTable], reporting_body: str, place: str) -> bytes:
    """R21: the workbook of one or several computed forms (one sheet each)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        book = writer.book
        book.set_properties(
            {"title": ", ".join(t.form.title for t in tables), "author": reporting_body}
        )
        formats = _Formats(book)
        for table in tables:
            sheet = book.add_worksheet(sheet_name(table.form.code))
            writer.sheets[sheet.name] = sheet
            page = _Sheet(table, sheet, formats, place)
            page.top(reporting_body)
            page.header()
            page.footer(page.body())
            page.page_setup()
    return buffer.getvalue()
