"""The daily overdue flag of tasks and their deadline reminders (issue 6; R15, R16, R25).

A task is overdue while the receiving agency still owes a report past the deadline:
status assigned, received or returned (R18: a returned report must be sent again) and a
deadline before today. A task whose report awaits the office's review is not overdue —
the agency has reported, and its timeliness is judged from that report (R19).

``flag_tasks`` works on whole sets: one INSERT … SELECT per reminder band, then one
UPDATE of the flag. The flag is derived (deadline against today), not a user's change:
it is written by a Core statement, outside the per-record audit trail, and the job's run
record (audited, by the system user) says how many tasks changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, func, literal, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.notifications.reminders import (
    DUE_SOON,
    DUE_TODAY,
    OVERDUE,
    Band,
    ReminderSource,
    Texts,
    send,
)
from app.tasks.models import AssignmentDocument, Task

# Statuses in which the receiving agency owes a report (R16, R18).
AWAITING_AGENCY = ("assigned", "received", "returned")

TEXTS = {
    OVERDUE: Texts(
        _l("Task overdue: %(reference)s"),
        _l(
            "The deadline was %(deadline)s and the task has not been reported. Summary: %(summary)s"
        ),
    ),
    DUE_TODAY: Texts(
        _l("Task due today: %(reference)s"),
        _l("Report on the task by today, %(deadline)s. Summary: %(summary)s"),
    ),
    DUE_SOON: Texts(
        _l("Task due within %(days)s working days: %(reference)s"),
        _l("Deadline %(deadline)s. Summary: %(summary)s"),
    ),
}


@dataclass(frozen=True)
class TaskFlags:
    """What the daily run did to tasks: flags changed and reminders sent per band."""

    flags_changed: int
    notified: dict[str, int]


def reminder_source() -> ReminderSource:
    """Tasks awaiting their receiving agency's report, for reminders to that agency; each
    links to the task's page."""
    reference = AssignmentDocument.number.concat("/").concat(AssignmentDocument.symbol)
    return ReminderSource(
        key="task",
        kind="task",
        record_id=Task.id,
        agency_id=Task.receiving_agency_id,
        due=Task.deadline,
        reference=reference,
        link=literal("/tasks/", String).concat(cast(Task.id, String)),
        where=[
            Task.document_id == AssignmentDocument.id,
            Task.status.in_(AWAITING_AGENCY),
            Task.deleted_at.is_(None),
            AssignmentDocument.deleted_at.is_(None),
        ],
        texts=TEXTS,
        values={"summary": func.substr(AssignmentDocument.summary, 1, 300)},
    )


def overdue_condition(today: dt.date) -> ColumnElement[bool]:
    """SQL: the task is overdue on ``today`` (see the module docstring)."""
    return and_(
        Task.__table__.c.status.in_(AWAITING_AGENCY),
        Task.__table__.c.deadline < literal(today),
        Task.__table__.c.deleted_at.is_(None),
    )


def flag_tasks(session: Session, today: dt.date, bands: Sequence[Band]) -> TaskFlags:
    """R25: remind receiving agencies of tasks newly overdue, due today or due soon (once
    per task, band and deadline), then set every task's overdue flag for ``today``."""
    notified = send(session, reminder_source(), bands, extra={"overdue": [Task.overdue.is_(False)]})
    table = Task.__table__
    is_overdue = overdue_condition(today)
    changed = session.execute(
        update(table).where(table.c.overdue != is_overdue).values(overdue=is_overdue)
    ).rowcount
    return TaskFlags(changed, notified)
