"""How tasks are shown: colours, timeliness verdicts with their explanation, the history.

The verdicts stored on the records (entry, review, completion) are what is counted; the
explanation shown next to each is computed again from the same times by the same rules
(app.tasks.timing), so a user can read how it was decided (R14, R16, R17, R19).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar.deadlines import entry_deadline
from app.calendar.results import DeadlineResult, EventKind, TimelinessResult
from app.calendar.workdays import WorkingCalendar
from app.security.models import AppUser
from app.tasks.choices import COMPLETION, ROLES, STATUSES, VERDICTS
from app.tasks.models import AssignmentDocument, Task, TaskReport
from app.tasks.timing import (
    completion_of,
    document_entry_timeliness,
    report_entry_timeliness,
    review_timeliness,
)
from app.templating import format_datetime
from app.ui.dates import format_vn_date

# Bootstrap contextual class of each status (badges and list rows).
STATUS_CSS = {
    "assigned": "info",
    "received": "primary",
    "reported": "warning",
    "returned": "danger",
    "accepted": "success",
    "recalled": "default",
}
COMPLETION_CSS = {"early": "success", "on_time": "primary", "late": "danger"}
ENTRY_CSS = {"on_time": "success", "late": "danger"}
# Font Awesome icon of each kind of history step.
STEP_ICONS = {
    "assigned": "fa-paper-plane",
    "acknowledged": "fa-check",
    "reported": "fa-upload",
    "accepted": "fa-check-circle",
    "returned": "fa-undo",
    "extended": "fa-calendar-plus-o",
    "recalled": "fa-ban",
}


def entry_result(calendar: WorkingCalendar, document: AssignmentDocument) -> TimelinessResult:
    """R14: how the document's entry time compares with its issue time."""
    return document_entry_timeliness(calendar, document.issued_at, document.entered_at)


def report_entry_result(calendar: WorkingCalendar, report: TaskReport) -> TimelinessResult:
    """R16: how the report's sending time compares with its document's date."""
    return report_entry_timeliness(calendar, report.doc_date, report.sent_at)


def review_result(calendar: WorkingCalendar, report: TaskReport) -> TimelinessResult | None:
    """R17: how the review time compares with the report's arrival; None before review."""
    if report.reviewed_at is None:
        return None
    return review_timeliness(calendar, report.sent_at, report.reviewed_at)


def review_due(calendar: WorkingCalendar, report: TaskReport) -> DeadlineResult:
    """R17: the day a pending report must be reviewed by (15:00 rule)."""
    return entry_deadline(calendar, report.sent_at, event=EventKind.RECEIVED)


def accepted_report(task: Task) -> TaskReport | None:
    """The report that completed the task (R19), if any."""
    return next((r for r in reversed(task.reports) if r.verdict == "accepted"), None)


def completion_result(task: Task) -> TimelinessResult | None:
    """R19: early / on time / late from the accepted report's sending time against the
    deadline in force; None while the task is not completed."""
    report = accepted_report(task)
    if report is None:
        return None
    return completion_of(task.deadline, report.sent_at)


def status_label(task: Task) -> str:
    """The task's status in the user's language."""
    return str(STATUSES.get(task.status, task.status))


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Full names (Vietnamese order) of the accounts ``ids``."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(AppUser.id, AppUser.first_name, AppUser.last_name).where(AppUser.id.in_(wanted))
    )
    return {pk: " ".join(filter(None, (first, last))) for pk, first, last in rows}


@dataclass(frozen=True)
class Step:
    """One line of a task's history: when, what, who, details."""

    at: dt.datetime
    kind: str
    title: str
    note: str | None
    who: str | None


def history(session: Session, task: Task) -> list[Step]:
    """R15–R19: every step of the task, oldest first — assignment, receipt, each report
    round and its review, extensions, recall."""
    document = task.document
    ids = [document.created_by_id, task.acknowledged_by_id, task.recalled_by_id]
    ids += [r.sent_by_id for r in task.reports] + [r.reviewed_by_id for r in task.reports]
    ids += [e.by_id for e in task.extensions]
    names = user_names(session, ids)
    steps = [
        Step(
            document.entered_at,
            "assigned",
            gettext(
                "Assigned by %(reference)s, deadline %(deadline)s (%(role)s)",
                reference=document.reference,
                deadline=format_vn_date(task.original_deadline),
                role=ROLES.get(task.role, task.role),
            ),
            None,
            names.get(document.created_by_id),
        )
    ]
    if task.acknowledged_at is not None:
        steps.append(
            Step(
                task.acknowledged_at,
                "acknowledged",
                gettext("Receipt acknowledged"),
                None,
                names.get(task.acknowledged_by_id),
            )
        )
    for report in task.reports:
        steps.append(
            Step(
                report.sent_at,
                "reported",
                gettext("Report round %(round)s sent", round=report.round),
                f"{report.doc_number}/{report.doc_symbol} — {report.doc_name}",
                names.get(report.sent_by_id),
            )
        )
        if report.reviewed_at is not None:
            steps.append(
                Step(
                    report.reviewed_at,
                    report.verdict or "",
                    gettext(
                        "Report round %(round)s reviewed: %(verdict)s",
                        round=report.round,
                        verdict=VERDICTS.get(report.verdict or "", report.verdict),
                    ),
                    report.verdict_reason,
                    names.get(report.reviewed_by_id),
                )
            )
    for extension in task.extensions:
        steps.append(
            Step(
                extension.at,
                "extended",
                gettext(
                    "Deadline extended from %(old)s to %(new)s",
                    old=format_vn_date(extension.old_deadline),
                    new=format_vn_date(extension.new_deadline),
                ),
                extension.reason,
                names.get(extension.by_id),
            )
        )
    if task.recalled_at is not None:
        steps.append(
            Step(
                task.recalled_at,
                "recalled",
                gettext("Task recalled"),
                task.recalled_reason,
                names.get(task.recalled_by_id),
            )
        )
    return sorted(steps, key=lambda step: step.at)


def completion_label(task: Task) -> str:
    """Early / on time / late in the user's language; empty while not completed."""
    return str(COMPLETION.get(task.completion or "", ""))


def signing_time(value: str | None) -> str:
    """A signature's signing time (ISO 8601, as stored) as HH:MM dd/mm/yyyy, Vietnamese
    time (template filter ``signing_time``)."""
    if not value:
        return ""
    return format_datetime(dt.datetime.fromisoformat(value))
