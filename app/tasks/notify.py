"""Notifications of the task loop (R15, R17, R18; issue 5 "Attention and reminders").

Each step tells the other side, in the application (the bell) and by e-mail when SMTP is
configured: a new task, an extension and a recall go to the receiving agency; a report
to the office operating the assigning agency; the review (accepted or returned) back to
the receiving agency. Each notification has a dedup key, so a step notifies once. The
due-soon, due-today and overdue reminders are the daily job's (app.tasks.flags).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from app.notifications.email import queue_agency_email
from app.notifications.service import notify_agency
from app.tasks.choices import COMPLETION
from app.tasks.models import Task, TaskExtension, TaskReport
from app.ui.dates import format_vn_date, format_vn_datetime

# How much of a summary a notification repeats.
SUMMARY_LENGTH = 300


def task_path(task_id: int) -> str:
    """The path of a task's page (TaskView.show), also outside a request (jobs)."""
    return f"/tasks/{task_id}"


def _send(
    session: Session,
    agency_id: int,
    task: Task,
    kind: str,
    dedup_key: str,
    title: LazyString,
    body: LazyString,
) -> None:
    link = task_path(task.id)
    sent = notify_agency(
        session,
        agency_id,
        title,
        body=body,
        link=link,
        kind=f"task.{kind}",
        dedup_key=dedup_key,
    )
    if sent is not None:
        queue_agency_email(session, agency_id, sent.title, sent.body or "", link)


def _summary(task: Task) -> str:
    return task.document.summary[:SUMMARY_LENGTH]


def task_assigned(session: Session, task: Task) -> None:
    """R15: the receiving agency is told of its new task."""
    document = task.document
    _send(
        session,
        task.receiving_agency_id,
        task,
        "assigned",
        f"task-assigned:{task.id}",
        _l("New task: %(reference)s", reference=document.reference),
        _l(
            "Assigned by %(agency)s, deadline %(deadline)s. Summary: %(summary)s",
            agency=document.assigning_agency.name,
            deadline=format_vn_date(task.deadline),
            summary=_summary(task),
        ),
    )


def report_received(session: Session, report: TaskReport) -> None:
    """R17: the assigning office is told a report arrived, to review it the same day."""
    task = report.task
    _send(
        session,
        task.document.office_agency_id,
        task,
        "reported",
        f"task-reported:{report.id}",
        _l(
            "Report to review: %(reference)s from %(agency)s",
            reference=task.document.reference,
            agency=task.receiving_agency.name,
        ),
        _l(
            "Round %(round)s, sent at %(time)s. Review it the same working day (Art. 5(5)).",
            round=report.round,
            time=format_vn_datetime(report.sent_at),
        ),
    )


def report_accepted(session: Session, report: TaskReport) -> None:
    """R17: the receiving agency is told its report was accepted, and the completion."""
    task = report.task
    _send(
        session,
        task.receiving_agency_id,
        task,
        "accepted",
        f"task-accepted:{report.id}",
        _l("Report accepted: %(reference)s", reference=task.document.reference),
        _l(
            "The task is completed (%(completion)s). Summary: %(summary)s",
            completion=COMPLETION.get(task.completion or "", ""),
            summary=_summary(task),
        ),
    )


def report_returned(session: Session, report: TaskReport) -> None:
    """R17, R18: the receiving agency is told its report is not yet satisfactory, why,
    and that it must report again."""
    task = report.task
    _send(
        session,
        task.receiving_agency_id,
        task,
        "returned",
        f"task-returned:{report.id}",
        _l("Report not yet satisfactory: %(reference)s", reference=task.document.reference),
        _l(
            "Continue the task and report again. Reason: %(reason)s",
            reason=report.verdict_reason or "",
        ),
    )


def deadline_extended(session: Session, extension: TaskExtension) -> None:
    """The receiving agency is told of the new deadline and why."""
    task = extension.task
    _send(
        session,
        task.receiving_agency_id,
        task,
        "extended",
        f"task-extended:{extension.id}",
        _l("Deadline extended: %(reference)s", reference=task.document.reference),
        _l(
            "New deadline %(deadline)s (was %(old)s). Reason: %(reason)s",
            deadline=format_vn_date(extension.new_deadline),
            old=format_vn_date(extension.old_deadline),
            reason=extension.reason,
        ),
    )


def task_recalled(session: Session, task: Task) -> None:
    """The receiving agency is told the task was withdrawn, and why."""
    _send(
        session,
        task.receiving_agency_id,
        task,
        "recalled",
        f"task-recalled:{task.id}",
        _l("Task recalled: %(reference)s", reference=task.document.reference),
        _l("Reason: %(reason)s", reason=task.recalled_reason or ""),
    )
