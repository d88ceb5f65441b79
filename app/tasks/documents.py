"""Files of assignment documents and reports (R13, R16), stored through app.files.

- An assignment document needs its signed document, a PDF (R13: "có ký tên, đóng dấu (sử
  dụng chữ ký số)"); related documents are optional and of any accepted type.
- A report needs its report file: a digitally signed PDF or a scan of the signed and
  stamped paper (PDF, JPEG or PNG; R16c); other documents are optional.
- The embedded signatures of every PDF are read on upload (app.files.signatures): an
  unsigned document is flagged on its page, never refused (scans exist).

A document's files belong to the office entering it, a report's to the receiving agency;
both sides of a task reach them through ``task_file_in_scope`` (the record's scope, not
the file's agency: the agency must read the document it was given). Services flush; the
caller commits, or discards the written files when the transaction fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from app.files.models import StoredFile
from app.files.signatures import ERROR, INVALID, UNSIGNED, VALID_TRUSTED, VALID_UNTRUSTED
from app.files.storage import Incoming, UploadRefused, discard, store_files
from app.security.scope import scope_condition
from app.tasks.models import AssignmentDocument, TaskReport
from app.tasks.workflow import TaskRefused

SIGNED_DOCUMENT = "signed_document"
RELATED_DOCUMENT = "related_document"
REPORT_DOCUMENT = "report_document"
REPORT_RELATED = "report_related"
# Name extensions accepted for the signed document and for the report file (R13, R16c).
SIGNED_EXTENSIONS = (".pdf",)
REPORT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")


@dataclass(frozen=True)
class SignatureBadge:
    """How a file's signature state is shown: a label and a Bootstrap contextual class."""

    label: Any
    css: str
    icon: str


SIGNATURE_BADGES = {
    VALID_TRUSTED: SignatureBadge(_l("Valid digital signature"), "success", "fa-check-circle"),
    VALID_UNTRUSTED: SignatureBadge(
        _l("Signature intact, authority not verified"), "info", "fa-check"
    ),
    INVALID: SignatureBadge(_l("Changed after signing"), "danger", "fa-exclamation-triangle"),
    ERROR: SignatureBadge(_l("Signature unreadable"), "danger", "fa-exclamation-triangle"),
    UNSIGNED: SignatureBadge(_l("No digital signature"), "warning", "fa-exclamation-circle"),
}


def signature_badge(stored: StoredFile) -> SignatureBadge | None:
    """The badge of a file's signature state; None for files that are not PDFs."""
    info = stored.signature_info or None
    return SIGNATURE_BADGES.get(info.get("status")) if info else None


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower()


def _store(
    session: Session,
    owner: Any,
    agency_id: int,
    uploads: list[Incoming],
    purpose: str,
    field: str,
) -> list[StoredFile]:
    try:
        return store_files(session, owner, agency_id, uploads, purpose=purpose)
    except UploadRefused as refused:
        raise TaskRefused(refused.message, field) from refused


def check_main_file(
    main: Incoming | None, extensions: tuple[str, ...], field: str, missing: str, wrong: str
) -> None:
    """The required file of a form is there and has one of ``extensions`` (its content
    is checked against the name when stored)."""
    if main is None or not main.filename:
        raise TaskRefused(missing, field)
    if _extension(main.filename) not in extensions:
        raise TaskRefused(wrong, field)


def check_document_file(signed: Incoming | None) -> None:
    """R13: the signed assignment document is required and is a PDF."""
    check_main_file(
        signed,
        SIGNED_EXTENSIONS,
        "signed_file",
        gettext("Attach the signed assignment document (PDF)."),
        gettext("The signed assignment document must be a PDF file."),
    )


def check_report_file(main: Incoming | None) -> None:
    """R16c: the report file is required: a signed PDF or a scan (PDF, JPEG, PNG)."""
    check_main_file(
        main,
        REPORT_EXTENSIONS,
        "report_file",
        gettext("Attach the report document (signed PDF or scan)."),
        gettext("The report document must be a PDF file or a scan (JPEG, PNG)."),
    )


def store_document_files(
    session: Session,
    document: AssignmentDocument,
    signed: Incoming | None,
    related: Iterable[Incoming],
    written: list[StoredFile],
) -> None:
    """R13: store the signed document and the related documents of a saved document (its
    signatures read); the files written are added to ``written`` for the caller to
    discard if the transaction fails."""
    check_document_file(signed)
    owner_agency = document.office_agency_id
    written += _store(session, document, owner_agency, [signed], SIGNED_DOCUMENT, "signed_file")
    add_related_files(session, document, related, written)


def add_related_files(
    session: Session,
    document: AssignmentDocument,
    related: Iterable[Incoming],
    written: list[StoredFile],
) -> None:
    """R13: add related documents (optional) to an entered document."""
    related = [upload for upload in related if upload.filename]
    if related:
        written += _store(
            session, document, document.office_agency_id, related, RELATED_DOCUMENT, "related_files"
        )


def store_report_files(
    session: Session,
    report: TaskReport,
    main: Incoming | None,
    others: Iterable[Incoming],
    written: list[StoredFile],
) -> None:
    """R16c: store the report file and the other documents of a saved report."""
    check_report_file(main)
    agency = report.task.receiving_agency_id
    written += _store(session, report, agency, [main], REPORT_DOCUMENT, "report_file")
    others = [upload for upload in others if upload.filename]
    if others:
        written += _store(session, report, agency, others, REPORT_RELATED, "other_files")


def files_of_owners(session: Session, owners: Iterable[Any]) -> dict[tuple[str, int], list]:
    """The (not deleted) files of several records, oldest first, by (table, id)."""
    keys = {(type(owner).__tablename__, owner.id) for owner in owners}
    if not keys:
        return {}
    rows = session.scalars(
        select(StoredFile)
        .where(
            or_(
                *(
                    and_(StoredFile.owner_table == table, StoredFile.owner_id == pk)
                    for table, pk in keys
                )
            )
        )
        .order_by(StoredFile.created_at, StoredFile.id)
    )
    found: dict[tuple[str, int], list] = {key: [] for key in keys}
    for stored in rows:
        found[(stored.owner_table, stored.owner_id)].append(stored)
    return found


def task_file_in_scope(session: Session, file_id: int, user: Any) -> StoredFile | None:
    """R11: a file of an assignment document or a report whose record lies in the user's
    scope (both sides of the task), else None."""
    document_in_scope = exists(
        select(AssignmentDocument.id).where(
            AssignmentDocument.id == StoredFile.owner_id,
            scope_condition(AssignmentDocument, user),
        )
    )
    report_in_scope = exists(
        select(TaskReport.id).where(
            TaskReport.id == StoredFile.owner_id, scope_condition(TaskReport, user)
        )
    )
    return session.scalar(
        select(StoredFile).where(
            StoredFile.id == file_id,
            or_(
                and_(StoredFile.owner_table == AssignmentDocument.__tablename__, document_in_scope),
                and_(StoredFile.owner_table == TaskReport.__tablename__, report_in_scope),
            ),
        )
    )


def discard_written(written: list[StoredFile]) -> None:
    """Remove from disk the files of a transaction that was not committed."""
    discard(written)
    written.clear()
