"""Excel export of a filtered task list (issue 5 "Lists per role"): exactly its rows.

Times New Roman, a title row, a bold header row with Vietnamese column titles, dates
dd/mm/yyyy and times HH:MM dd/mm/yyyy (Vietnamese time), frozen header with a filter;
rows stream through xlsxwriter's constant-memory mode.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy import Select
from sqlalchemy.orm import Session

from app.core.clock import to_local
from app.tasks.choices import COMPLETION, DOC_TYPES, ROLES, STATUSES
from app.tasks.listing import is_overdue, row_options
from app.tasks.models import Task
from app.ui.list_workbook import batched_records, list_workbook

# Rows read from the database at a time.


def columns() -> list[tuple[str, int]]:
    """Column titles (in the user's language) and widths."""
    return [
        (gettext("No."), 6),
        (gettext("Assignment document"), 18),
        (gettext("Document type"), 14),
        (gettext("Issued on"), 12),
        (gettext("Document summary"), 50),
        (gettext("Assigning agency"), 28),
        (gettext("Agency receiving the task"), 32),
        (gettext("Role"), 16),
        (gettext("Deadline"), 12),
        (gettext("Status"), 22),
        (gettext("Receipt acknowledged"), 18),
        (gettext("Reports sent"), 10),
        (gettext("Times returned"), 10),
        (gettext("Last report sent"), 18),
        (gettext("Completion"), 12),
        (gettext("Overdue"), 10),
    ]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    local = to_local(value)
    return local.replace(tzinfo=None) if local else None


def _row(task: Task, today: dt.date) -> list:
    document = task.document
    last = task.reports[-1] if task.reports else None
    return [
        document.reference,
        str(DOC_TYPES.get(document.doc_type, document.doc_type)),
        to_local(document.issued_at).date(),
        document.summary,
        document.assigning_agency.name,
        task.receiving_agency.name,
        str(ROLES.get(task.role, task.role)),
        task.deadline,
        str(STATUSES.get(task.status, task.status)),
        _local(task.acknowledged_at),
        len(task.reports),
        task.returns_count,
        _local(last.sent_at) if last else None,
        str(COMPLETION.get(task.completion or "", "")),
        gettext("Yes") if is_overdue(task, today) else "",
    ]


def tasks_workbook(session: Session, query: Select, *, title: str, today: dt.date) -> bytes:
    """An .xlsx of the tasks ``query`` selects (app.tasks.listing), in its order."""
    tasks = batched_records(session, query, row_options())
    return list_workbook(
        sheet_name=gettext("Tasks"),
        title=title,
        columns=columns(),
        rows=(_row(task, today) for task in tasks),
    )
