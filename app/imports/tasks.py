"""Importing assignment documents and their tasks from a spreadsheet (issue 7; R3, R13, R20).

One row is one task: the assignment document's fields, one receiving agency, its role
and its deadline; the rows of one document repeat its fields. A row is read by the entry
screen's own parser (app.tasks.forms.parse_document: secrecy grade (R20), deadline (R20),
dates, texts and their limits) and checked by the workflow's own rules
(app.tasks.workflow.validate_assignment: the importer may enter the assigning agency's
documents (R3, R11), the receiver is subordinate to it, the deadline is not before the
issue date …). A new document is saved by ``create_assignment`` as on the entry screen;
rows of a document already in the database add the receivers it lacks.

External key: the assigning agency + the document number and symbol + the issue date,
and for each task the receiving agency (the task table's own unique key). A task already
in the database is skipped, so importing the same file twice creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.core.clock import to_local
from app.imports.files import Column, SourceRow
from app.tasks.choices import DOC_TYPES, ROLES, SECRECY_GRADES
from app.tasks.forms import parse_document, receiver_field
from app.tasks.models import AssignmentDocument, Task
from app.tasks.workflow import AssignmentData, TaskRefused, create_assignment, validate_assignment

COLUMNS: tuple[Column, ...] = (
    Column(
        "assigning",
        "Mã cơ quan giao nhiệm vụ",
        True,
        "DT17-866-UB",
        "Mã của UBND giao nhiệm vụ (danh mục cơ quan), trong phạm vi dữ liệu của bạn.",
    ),
    Column(
        "doc_type",
        "Loại văn bản",
        True,
        "Công văn",
        "Công văn, Quyết định, Thông báo, Kế hoạch, Chỉ thị hoặc Văn bản khác.",
    ),
    Column("number", "Số văn bản", True, "125", "", text=True),
    Column("symbol", "Ký hiệu", True, "UBND-TCD", ""),
    Column("summary", "Trích yếu", True, "V/v giải quyết đơn của bà Nguyễn Thị Lan", ""),
    Column(
        "issued_at",
        "Ngày ban hành",
        True,
        "05/03/2024 09:30",
        "dd/mm/yyyy hh:mm (giờ ban hành, quy tắc 15 giờ).",
        text=True,
    ),
    Column("director_name", "Người chỉ đạo", True, "Võ Thành Long", ""),
    Column("signer_name", "Người ký", True, "Võ Thành Long", ""),
    Column("drafter_name", "Người soạn thảo", True, "Bùi Thị Hoa", ""),
    Column(
        "secrecy_grade",
        "Độ mật",
        True,
        "Không mật",
        "Không mật. Văn bản mật, tối mật, tuyệt mật không được nhập (Điều 7).",
    ),
    Column(
        "receiver",
        "Mã cơ quan nhận nhiệm vụ",
        True,
        "DT17-866-TT",
        "Mã cơ quan cấp dưới nhận nhiệm vụ; mỗi cơ quan nhận một dòng.",
    ),
    Column("role", "Vai trò", False, "Chủ trì", "Chủ trì hoặc Phối hợp. Để trống: chủ trì."),
    Column("deadline", "Thời hạn", True, "30/04/2024", "dd/mm/yyyy.", text=True),
    Column("other_info", "Thông tin khác", False, "", ""),
)
HEADERS = {column.key: column.header for column in COLUMNS}
_ERROR_COLUMNS = {
    **HEADERS,
    "assigning_agency_id": HEADERS["assigning"],
    "default_deadline": HEADERS["deadline"],
    "receivers": HEADERS["receiver"],
    receiver_field(0, "agency_id"): HEADERS["receiver"],
    receiver_field(0, "role"): HEADERS["role"],
    receiver_field(0, "deadline"): HEADERS["deadline"],
}
# The fields every row of one document must repeat identically.
_DOCUMENT_FIELDS = (
    "doc_type",
    "summary",
    "director_name",
    "signer_name",
    "drafter_name",
    "issued_at",
)
_SECRECY_WORDS = {"không": "none", "không mật": "none", "thường": "none"}


def error_column(key: str) -> str:
    """The column header an entry error key is about."""
    return _ERROR_COLUMNS.get(key, "—")


def _labels(choices: dict[str, Any]) -> dict[str, str]:
    with force_locale("vi"):
        found = {str(label).casefold(): code for code, label in choices.items()}
    found.update({code.casefold(): code for code in choices})
    return found


@dataclass
class TaskRow:
    """A valid row: the document as the entry screen reads it and the task's key."""

    line: int
    data: AssignmentData
    document_key: tuple[int, str, str, dt.date]
    key: tuple[tuple[int, str, str, dt.date], int]


class TaskReader:
    """Checks the rows of one file with the entry screen's parser and rules."""

    def __init__(self, session: Session, user: Any):
        self.session = session
        self.user = user
        self.agencies = dict(session.execute(select(Agency.code, Agency.id)).tuples().all())
        self.doc_types = _labels(DOC_TYPES)
        self.roles = {**_labels(ROLES), "chủ trì": "lead", "phối hợp": "support"}
        self.secrecy = {**_labels(SECRECY_GRADES), **_SECRECY_WORDS}
        self.documents: dict[tuple, tuple[int, AssignmentData]] = {}

    def read_row(self, row: SourceRow) -> tuple[TaskRow | None, dict[str, str]]:
        """One row as an assignment with one receiver, or the message of each bad field."""
        values = row.values
        errors: dict[str, str] = {}

        def code(key: str, table: dict[str, Any], message: str) -> Any:
            text = values.get(key)
            if text is None:
                return None
            found = table.get(text) or table.get(text.casefold())
            if found is None:
                errors.setdefault(key, str(message) % {"value": text})
            return found

        no_agency = _l("No agency has the code “%(value)s”.")
        assigning = code("assigning", self.agencies, no_agency)
        receiver = code("receiver", self.agencies, no_agency)
        doc_type = code("doc_type", self.doc_types, _l("Unknown document type “%(value)s”."))
        role = code("role", self.roles, _l("Enter Chủ trì or Phối hợp."))
        grade = code("secrecy_grade", self.secrecy, _l("Unknown secrecy grade “%(value)s”."))
        form = {
            **{
                key: values[key] or ""
                for key in (
                    "number",
                    "symbol",
                    "summary",
                    "issued_at",
                    "director_name",
                    "signer_name",
                    "drafter_name",
                    "other_info",
                )
            },
            "assigning_agency_id": assigning,
            "doc_type": doc_type or "",
            "secrecy_grade": grade or "",
            "default_deadline": values["deadline"] or "",
        }
        receivers = [{"agency_id": receiver, "deadline": "", "role": role or "lead", "row": 0}]
        if values["receiver"] is None:
            errors.setdefault("receiver", gettext("This field is required."))
        data, parse_errors = parse_document(form, receivers)
        for key, message in parse_errors.items():
            errors.setdefault(key, message)
        if errors or data is None:
            return None, errors
        try:
            validate_assignment(self.session, data, self.user)
        except TaskRefused as refused:
            return None, {refused.field or "": refused.message}
        document_key = (
            data.assigning_agency_id,
            data.number,
            data.symbol,
            to_local(data.issued_at).date(),
        )
        first = self.documents.setdefault(document_key, (row.line, data))
        for name in _DOCUMENT_FIELDS:
            if getattr(first[1], name) != getattr(data, name):
                errors[name] = gettext(
                    "Differs from line %(line)s of the same document.", line=first[0]
                )
        if errors:
            return None, errors
        return TaskRow(row.line, data, document_key, (document_key, receiver)), {}

    def documents_by_key(self, keys: set[tuple]) -> dict[tuple, int]:
        """The documents already in the database with these keys, by key."""
        found: dict[tuple, int] = {}
        for assigning, number, symbol, day in keys:
            for document in self.session.scalars(
                select(AssignmentDocument).where(
                    AssignmentDocument.assigning_agency_id == assigning,
                    AssignmentDocument.number == number,
                    AssignmentDocument.symbol == symbol,
                )
            ):
                if to_local(document.issued_at).date() == day:
                    found[(assigning, number, symbol, day)] = document.id
        return found

    def existing_keys(self, keys: list[tuple]) -> set[tuple]:
        """The tasks already in the database (same document, same receiving agency)."""
        documents = self.documents_by_key({document_key for document_key, _ in keys})
        found = set()
        for document_key, receiver in keys:
            document_id = documents.get(document_key)
            if document_id is not None and self.session.scalar(
                select(Task.id).where(
                    Task.document_id == document_id, Task.receiving_agency_id == receiver
                )
            ):
                found.add((document_key, receiver))
        return found


def insert_tasks(
    session: Session,
    chunks: Iterable[list[TaskRow]],
    user: Any,
    note: str,
    progress: Callable[[int], None],
) -> int:
    """Issue 7, R13: save each new document with ``create_assignment`` (all its new
    receivers at once); add the missing tasks of documents already saved. Takes every
    chunk first (a document's rows may be anywhere in the file). Returns the number of
    tasks created; commits nothing."""
    reader = TaskReader(session, user)
    grouped: dict[tuple, list[TaskRow]] = {}
    for rows in chunks:
        for row in rows:
            grouped.setdefault(row.document_key, []).append(row)
    existing = reader.documents_by_key(set(grouped))
    done = 0
    for document_key, group in grouped.items():
        document_id = existing.get(document_key)
        if document_id is None:
            data = group[0].data
            data.receivers = [receiver for row in group for receiver in row.data.receivers]
            data.other_info = data.other_info or note
            create_assignment(session, data, user)
        else:
            for row in group:
                receiver = row.data.receivers[0]
                deadline = receiver.deadline or row.data.default_deadline
                session.add(
                    Task(
                        document_id=document_id,
                        receiving_agency_id=receiver.agency_id,
                        role=receiver.role,
                        deadline=deadline,
                        original_deadline=deadline,
                    )
                )
            session.flush()
        done += len(group)
        progress(done)
    return done
