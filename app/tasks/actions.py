"""The steps of the task loop as the screens and the REST API take them (R13–R20).

Each action checks the version the user saw (optimistic locking), runs the state
machine (app.tasks.workflow: who may act, from which state), stores the files
(app.tasks.documents) and notifies the other side (app.tasks.notify). Actions flush;
``saving`` commits, or rolls back and removes the files written, turning a concurrent
write caught by the database (StaleDataError) into ``TaskConflict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit.since import what_changed_after_stale_flush
from app.files.models import StoredFile
from app.files.storage import Incoming
from app.tasks import notify, workflow
from app.tasks.documents import (
    add_related_files,
    discard_written,
    store_document_files,
    store_report_files,
)
from app.tasks.models import AssignmentDocument, Task, TaskReport
from app.tasks.workflow import AssignmentData, DocumentCorrection, ReportData, TaskConflict


@contextmanager
def saving(
    session: Session, record: Any = None, seen_version: int | None = None
) -> Iterator[list[StoredFile]]:
    """Commit what the block did; on a refusal or a failure roll back and remove the
    files written (the block appends them to the list it is given). A save beaten by a
    concurrent one on ``record`` says what changed since ``seen_version``."""
    written: list[StoredFile] = []
    try:
        yield written
        session.commit()
    except StaleDataError as error:
        changed = (
            what_changed_after_stale_flush(session, record, seen_version)
            if record is not None
            else ""
        )
        session.rollback()
        discard_written(written)
        raise TaskConflict(changed) from error
    except BaseException:
        session.rollback()
        discard_written(written)
        raise


def enter_document(
    session: Session,
    data: AssignmentData,
    signed: Incoming | None,
    related: list[Incoming],
    user: Any,
    written: list[StoredFile],
) -> AssignmentDocument:
    """R13, R14, R20: save the document, its tasks and files; tell each receiving agency."""
    document = workflow.create_assignment(session, data, user)
    store_document_files(session, document, signed, related, written)
    for task in document.tasks:
        notify.task_assigned(session, task)
    return document


def correct_document(
    session: Session,
    document: AssignmentDocument,
    version_id: int | None,
    correction: DocumentCorrection,
    related: list[Incoming],
    user: Any,
    written: list[StoredFile],
) -> None:
    """R13, R25: correct a document's descriptive fields and add related documents."""
    workflow.check_version(document, version_id)
    workflow.correct_document(session, document, correction, user)
    add_related_files(session, document, related, written)


def acknowledge(session: Session, task: Task, version_id: int | None, user: Any) -> None:
    """R15: the receiving agency confirms receipt."""
    workflow.check_version(task, version_id)
    workflow.acknowledge(session, task, user)


def report(
    session: Session,
    task: Task,
    version_id: int | None,
    data: ReportData,
    main: Incoming | None,
    others: list[Incoming],
    user: Any,
    written: list[StoredFile],
) -> TaskReport:
    """R16, R18: send a report with its file; the office is told."""
    workflow.check_version(task, version_id)
    sent = workflow.submit_report(session, task, data, user)
    store_report_files(session, sent, main, others, written)
    notify.report_received(session, sent)
    return sent


def accept(session: Session, task: Task, version_id: int | None, user: Any) -> TaskReport:
    """R17, R19: accept the pending report; the agency is told the completion."""
    workflow.check_version(task, version_id)
    reviewed = workflow.accept_report(session, task, user)
    notify.report_accepted(session, reviewed)
    return reviewed


def return_report(
    session: Session, task: Task, version_id: int | None, reason: str, user: Any
) -> TaskReport:
    """R17, R18: return the pending report with its reason; the agency is told."""
    workflow.check_version(task, version_id)
    reviewed = workflow.return_report(session, task, user, reason)
    notify.report_returned(session, reviewed)
    return reviewed


def extend(
    session: Session,
    task: Task,
    version_id: int | None,
    new_deadline: dt.date | None,
    reason: str,
    user: Any,
) -> None:
    """Extend the deadline with a reason (limited, logged); the agency is told."""
    workflow.check_version(task, version_id)
    extension = workflow.extend_deadline(session, task, user, new_deadline, reason)
    notify.deadline_extended(session, extension)


def recall(session: Session, task: Task, version_id: int | None, reason: str, user: Any) -> None:
    """Recall the task with a reason; the agency is told."""
    workflow.check_version(task, version_id)
    workflow.recall(session, task, user, reason)
    notify.task_recalled(session, task)
