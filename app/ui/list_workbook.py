"""The Excel export of a list screen (petitions, complaint dossiers, tasks): one layout for
every list (R8) — a title row, a header row with filters, one numbered row per record,
dates as dd/mm/yyyy — streamed so that a list of any length fits in memory."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from sqlalchemy import Select
from sqlalchemy.orm import Session

FONT = "Times New Roman"
BATCH = 500


def batched_records(session: Session, query: Select, options: Sequence[Any]) -> Iterator[Any]:
    """The records ``query`` selects, in its order, loaded ``BATCH`` at a time with the
    loader ``options`` (a long list never sits whole in memory)."""
    offset = 0
    while True:
        batch = list(session.scalars(query.options(*options).offset(offset).limit(BATCH)))
        yield from batch
        if len(batch) < BATCH:
            return
        offset += BATCH


def list_workbook(
    *,
    sheet_name: str,
    title: str,
    columns: Sequence[tuple[str, float]],
    rows: Iterable[Sequence[Any]],
) -> bytes:
    """An .xlsx of a list: ``title`` on the first row, the ``columns`` (name, width; the
    first is the row number) on the third, then each of ``rows`` after its number. Dates
    and times are written as Excel dates, numbers as numbers, ``None`` as an empty cell."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    base = {"font_name": FONT, "font_size": 12, "valign": "top", "border": 1}
    cell = workbook.add_format({**base, "text_wrap": True})
    date = workbook.add_format({**base, "num_format": "dd/mm/yyyy"})
    moment = workbook.add_format({**base, "num_format": "hh:mm dd/mm/yyyy"})
    header = workbook.add_format(
        {**base, "bold": True, "text_wrap": True, "align": "center", "bg_color": "#DDEBF7"}
    )
    heading = workbook.add_format({"font_name": FONT, "bold": True, "font_size": 14})
    sheet = workbook.add_worksheet(sheet_name[:31])
    for index, (_name, width) in enumerate(columns):
        sheet.set_column(index, index, width)
    sheet.write(0, 0, title, heading)
    sheet.write_row(2, 0, [name for name, _width in columns], header)
    sheet.freeze_panes(3, 0)
    row = 3
    for number, values in enumerate(rows, start=1):
        sheet.write_number(row, 0, number, cell)
        for col, value in enumerate(values, start=1):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(row, col, value.replace(tzinfo=None), moment)
            elif isinstance(value, dt.date):
                sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), date)
            elif value is None:
                sheet.write_blank(row, col, None, cell)
            elif isinstance(value, bool):
                sheet.write_string(row, col, str(value), cell)
            elif isinstance(value, Decimal | int | float):
                sheet.write_number(row, col, float(value), cell)
            else:
                sheet.write_string(row, col, value, cell)
        row += 1
    sheet.autofilter(2, 0, max(row - 1, 2), len(columns) - 1)
    workbook.close()
    return buffer.getvalue()
