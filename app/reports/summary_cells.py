"""The figures of a summary's form as they were reported (R24), and the differences between
two versions cell by cell.

A table is kept as plain JSON: its numbered columns (number and label) and its rows
(label, level, one value per column; ``None`` for a blank cell). Its SHA-256 is equal
whenever the figures are, whatever the workbook's own bytes (which hold the moment they
were written). Rows of two versions are matched by level and label (the n-th row of the
same label and level), columns by number.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from typing import Any

from app.reports.compute import ReportTable

Cells = dict[str, Any]


def _plain(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def table_cells(table: ReportTable) -> Cells:
    """R24: the reported figures of a computed form as JSON-ready data."""
    numbers = [column.ms for column in table.form.columns]
    rows = [
        [str(row["label"]), str(row["level"]), *(_plain(row[ms]) for ms in numbers)]
        for row in table.frame.to_dict("records")
    ]
    return {"columns": [[column.ms, column.label] for column in table.form.columns], "rows": rows}


def figures_sha256(cells: Cells) -> str:
    """R24: the SHA-256 of the figures (equal tables, equal hashes)."""
    text = json.dumps(cells, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _keyed_rows(cells: Cells) -> dict[tuple[str, str, int], list[float | None]]:
    seen: Counter[tuple[str, str]] = Counter()
    keyed = {}
    for label, level, *values in cells["rows"]:
        seen[(level, label)] += 1
        keyed[(level, label, seen[(level, label)])] = values
    return keyed


def cell_differences(form_code: str, frozen: Cells | None, current: Cells | None) -> list[dict]:
    """R24: every cell whose value differs between the frozen version and the current one
    (a row or form present in one only: each of its cells, the other side empty), in the
    current table's order."""
    empty: Cells = {"columns": [], "rows": []}
    frozen, current = frozen or empty, current or empty
    labels = {ms: label for ms, label in frozen["columns"] + current["columns"]}
    numbers = list(dict.fromkeys([ms for ms, _ in current["columns"] + frozen["columns"]]))
    before, after = _keyed_rows(frozen), _keyed_rows(current)
    frozen_at = {ms: index for index, (ms, _) in enumerate(frozen["columns"])}
    current_at = {ms: index for index, (ms, _) in enumerate(current["columns"])}
    differences = []
    for key in list(after) + [key for key in before if key not in after]:
        old_row, new_row = before.get(key), after.get(key)
        for ms in numbers:
            old = old_row[frozen_at[ms]] if old_row and ms in frozen_at else None
            new = new_row[current_at[ms]] if new_row and ms in current_at else None
            if old != new:
                differences.append(
                    {
                        "form": form_code,
                        "row": key[1],
                        "ms": ms,
                        "column": labels[ms],
                        "frozen": old,
                        "current": new,
                    }
                )
    return differences


def display_number(value: float | None) -> str:
    """A figure as Vietnamese write it: 1.234 and 12,5; "—" for a blank cell."""
    if value is None:
        return "—"
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
