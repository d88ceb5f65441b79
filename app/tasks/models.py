"""Assignment documents, the tasks they give to subordinate agencies, reports and reviews.

An assignment document (văn bản giao nhiệm vụ) is entered by the office operating an
assigning agency (R3, R13); it gives one task to each receiving agency, each with its own
deadline and role. A receiving agency acknowledges, then reports (R15, R16); the office
accepts or returns each report (R17); a returned task is reported again (R18) and every
round is kept. The accepted report's sending time classifies the task early, on time or
late (R19; app.tasks.timing).
"""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.core.mixins import SoftDeleteMixin, TimestampMixin, VersionedMixin
from app.core.types import UTCDateTime
from app.security.models import AppUser
from app.tasks.choices import COMPLETION, DOC_TYPES, ROLES, SECRECY_GRADES, STATUSES, VERDICTS


class AssignmentDocument(TimestampMixin, SoftDeleteMixin, VersionedMixin, Model):
    """A document by which an assigning agency gives tasks (R13)."""

    __tablename__ = "assignment_document"
    __audited__ = True
    # R9: the record history names fields and coded values as the task screens do.
    __audit_labels__ = {
        "assigning_agency": _l("Assigning agency"),
        "office_agency": _l("Entered by"),
        "doc_type": _l("Document type"),
        "number": _l("Number"),
        "symbol": _l("Symbol"),
        "summary": _l("Document summary"),
        "issued_at": _l("Issued at"),
        "director_name": _l("Person directing the task"),
        "signer_name": _l("Signer"),
        "drafter_name": _l("Drafting official"),
        "secrecy_grade": _l("Secrecy grade"),
        "default_deadline": _l("Deadline of the task"),
        "other_info": _l("Other information"),
        "petition_id": _l("Petition"),
        "entered_at": _l("Entered at"),
        "entry_timeliness": _l("Entry timeliness"),
        "status": _l("Status"),
    }
    __audit_choices__ = {
        "doc_type": DOC_TYPES,
        "secrecy_grade": SECRECY_GRADES,
        "entry_timeliness": {"on_time": _l("Entered on time"), "late": _l("Entered late")},
        "status": {"active": _l("In effect")},
    }

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The assigning agency (R3: a provincial or district PC) and the office entering it.
    assigning_agency_id: Mapped[int] = mapped_column(
        ForeignKey("agency.id"), nullable=False, index=True
    )
    office_agency_id: Mapped[int] = mapped_column(
        ForeignKey("agency.id"), nullable=False, index=True
    )
    doc_type: Mapped[str] = mapped_column(String(30), nullable=False)
    number: Mapped[str] = mapped_column(String(30), nullable=False)
    symbol: Mapped[str] = mapped_column(String(60), nullable=False)
    summary: Mapped[str] = mapped_column(String(1000), nullable=False)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    director_name: Mapped[str] = mapped_column(String(150), nullable=False)
    signer_name: Mapped[str] = mapped_column(String(150), nullable=False)
    drafter_name: Mapped[str] = mapped_column(String(150), nullable=False)
    # R20: only documents without a secrecy grade are entered; the form asks explicitly.
    secrecy_grade: Mapped[str] = mapped_column(String(20), nullable=False, default="none")
    default_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    other_info: Mapped[str | None] = mapped_column(Text)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"))
    # R14: when it was entered, judged against the issue time (15:00 rule).
    entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    entry_timeliness: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="active")

    assigning_agency: Mapped[Agency] = relationship(foreign_keys=[assigning_agency_id])
    office_agency: Mapped[Agency] = relationship(foreign_keys=[office_agency_id])
    tasks: Mapped[list[Task]] = relationship(back_populates="document", order_by="Task.id")

    def __repr__(self) -> str:
        return f"{self.number}/{self.symbol} — {self.summary[:80]}"

    @property
    def reference(self) -> str:
        """Number and symbol as written on the document, e.g. "125/UBND-HC"."""
        return f"{self.number}/{self.symbol}"

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: the assigning side (agency or its office) sees the document; a receiving
        agency sees it through its task."""
        # Correlated to the document only: a query joining the tasks keeps its own.
        receives = (
            select(Task.id)
            .where(Task.document_id == cls.id, Task.receiving_agency_id.in_(agency_ids))
            .correlate(cls)
            .exists()
        )
        return or_(
            cls.assigning_agency_id.in_(agency_ids),
            cls.office_agency_id.in_(agency_ids),
            receives,
        )


class Task(TimestampMixin, SoftDeleteMixin, VersionedMixin, Model):
    """The work one receiving agency must do and report on by its deadline."""

    __tablename__ = "task"
    __table_args__ = (
        UniqueConstraint("document_id", "receiving_agency_id"),
        # The overdue lists test scope on the index alone (PostgreSQL: columns included).
        Index(
            "ix_task_status_deadline",
            "status",
            "deadline",
            postgresql_include=["receiving_agency_id", "document_id", "deleted_at"],
        ),
    )
    __audited__ = True
    __audit_labels__ = {
        "document": _l("Assignment document"),
        "receiving_agency": _l("Agency receiving the task"),
        "role": _l("Role"),
        "deadline": _l("Deadline"),
        "original_deadline": _l("Original deadline"),
        "status": _l("Status"),
        "acknowledged_at": _l("Acknowledged at"),
        "acknowledged_by": _l("Acknowledged by"),
        "completion": _l("Completion"),
        "completed_at": _l("Accepted report sent at"),
        "returns_count": _l("Times returned"),
        "recalled_reason": _l("Reason for the recall"),
        "recalled_at": _l("Recalled at"),
        "recalled_by": _l("Recalled by"),
        "overdue": _l("Overdue"),
    }
    __audit_choices__ = {"role": ROLES, "status": STATUSES, "completion": COMPLETION}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_document.id"), nullable=False, index=True
    )
    receiving_agency_id: Mapped[int] = mapped_column(
        ForeignKey("agency.id"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="lead")
    deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    original_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="assigned")
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    # R19: set when a report is accepted, from that report's sending time.
    completion: Mapped[str | None] = mapped_column(String(10))
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    returns_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    recalled_reason: Mapped[str | None] = mapped_column(Text)
    recalled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    recalled_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    # Flags kept by the daily job (issue 6); computed in SQL over whole sets.
    overdue: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    document: Mapped[AssignmentDocument] = relationship(back_populates="tasks")
    receiving_agency: Mapped[Agency] = relationship(foreign_keys=[receiving_agency_id])
    # The users who acted, by name in the record history (R9).
    acknowledged_by: Mapped[AppUser | None] = relationship(foreign_keys=[acknowledged_by_id])
    recalled_by: Mapped[AppUser | None] = relationship(foreign_keys=[recalled_by_id])
    reports: Mapped[list[TaskReport]] = relationship(
        back_populates="task", order_by="TaskReport.round"
    )
    extensions: Mapped[list[TaskExtension]] = relationship(
        back_populates="task", order_by="TaskExtension.at"
    )

    def __repr__(self) -> str:
        return f"{self.document!r} → {self.receiving_agency!r}"

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11, R15: the receiving agency sees its task; the assigning side sees every task
        it gave."""
        # Correlated to the task only: a query joining the documents keeps its own.
        assigned_by = (
            select(AssignmentDocument.id)
            .where(
                AssignmentDocument.id == cls.document_id,
                or_(
                    AssignmentDocument.assigning_agency_id.in_(agency_ids),
                    AssignmentDocument.office_agency_id.in_(agency_ids),
                ),
            )
            .correlate(cls)
            .exists()
        )
        return or_(cls.receiving_agency_id.in_(agency_ids), assigned_by)


class TaskReport(TimestampMixin, Model):
    """One report on a task (R16) and its review (R17); rounds are numbered from 1."""

    __tablename__ = "task_report"
    __table_args__ = (UniqueConstraint("task_id", "round"),)
    __audited__ = True
    __audit_labels__ = {
        "task": _l("Task"),
        "round": _l("Round"),
        "doc_name": _l("Name of the document"),
        "doc_number": _l("Number"),
        "doc_symbol": _l("Symbol"),
        "doc_summary": _l("Document summary"),
        "doc_date": _l("Dated"),
        "doc_signer": _l("Signer"),
        "other_info": _l("Other information"),
        "sent_at": _l("Sent at"),
        "sent_by": _l("Sent by"),
        "entry_timeliness": _l("Entry timeliness"),
        "verdict": _l("Review verdict"),
        "verdict_reason": _l("Reason"),
        "reviewed_at": _l("Reviewed at"),
        "reviewed_by": _l("Reviewed by"),
        "review_timeliness": _l("Review timeliness"),
    }
    __audit_choices__ = {
        "entry_timeliness": {"on_time": _l("Sent on time"), "late": _l("Sent late")},
        "verdict": VERDICTS,
        "review_timeliness": {"on_time": _l("Reviewed on time"), "late": _l("Reviewed late")},
    }

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), nullable=False, index=True)
    round: Mapped[int] = mapped_column(Integer, nullable=False)
    doc_name: Mapped[str] = mapped_column(String(255), nullable=False)
    doc_number: Mapped[str] = mapped_column(String(30), nullable=False)
    doc_symbol: Mapped[str] = mapped_column(String(60), nullable=False)
    doc_summary: Mapped[str] = mapped_column(String(1000), nullable=False)
    doc_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    doc_signer: Mapped[str] = mapped_column(String(150), nullable=False)
    other_info: Mapped[str | None] = mapped_column(Text)
    # Stamped by the server when the report is sent (R19).
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    entry_timeliness: Mapped[str] = mapped_column(String(10), nullable=False)
    verdict: Mapped[str | None] = mapped_column(String(20))
    verdict_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    review_timeliness: Mapped[str | None] = mapped_column(String(10))

    task: Mapped[Task] = relationship(back_populates="reports")
    sent_by: Mapped[AppUser | None] = relationship(foreign_keys=[sent_by_id])
    reviewed_by: Mapped[AppUser | None] = relationship(foreign_keys=[reviewed_by_id])

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: a report is seen by whoever sees its task."""
        return (
            select(Task.id)
            .where(Task.id == cls.task_id, Task.scope_condition(agency_ids))
            .correlate(cls)
            .exists()
        )


class TaskExtension(Model):
    """A deadline extension granted by the assigning office, with its reason."""

    __tablename__ = "task_extension"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), nullable=False, index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    old_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    new_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)

    task: Mapped[Task] = relationship(back_populates="extensions")
