"""The reports domain's tables (R24) and the indexes its aggregations need (R8, R21).

Summaries (R24, issue 6): a ``Summary`` is one compilation of every form in force for a
period and a scope (an agency and its subtree): the month compiled by the scheduler for
the province and for each assigning agency, or an ad hoc request for any period. It
records when and by whom (None: the system) it was compiled, its state while it runs in
the background (queued, running with its progress, failed) and after (draft; frozen after
review: its files and figures never change again). A month recompiled after freezing is
a new version of the same series, with the cell-by-cell differences from the frozen one.
Each form's workbook is a ``SummaryFile``: the stored file (app.files, outside the web
root, with its SHA-256) and the figures as they were reported (to compare versions).

Indexes: each metric family's query selects the rows that can matter for a period
through an index-friendly window (app.reports.metrics): "processed from the start on, or
never, or replied to in the period", "completed from the start on, or never", "decided,
done, sent or reviewed in the period". These indexes let SQLite's OR optimisation and
PostgreSQL's bitmap scans read only those rows instead of every row of the table.

The migrations creating these belong with the lead (migrations/).
"""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    exists,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.complaints.models import ComplaintDossier, Enforcement, ResolutionDecision
from app.core.mixins import AgencyOwned, TimestampMixin
from app.core.types import UTCDateTime
from app.files.models import StoredFile
from app.petitions.models import Petition
from app.tasks.models import Task, TaskReport

REPORT_INDEXES: tuple[Index, ...] = (
    Index("ix_petition_processed_at", Petition.processed_at),
    Index("ix_petition_reply_received_on", Petition.reply_received_on),
    Index("ix_complaint_dossier_closed_on", ComplaintDossier.closed_on),
    Index("ix_resolution_decision_decided_on", ResolutionDecision.decided_on),
    Index("ix_enforcement_done_on", Enforcement.done_on),
    Index("ix_task_completed_at", Task.completed_at),
    Index("ix_task_report_sent_at", TaskReport.sent_at),
    Index("ix_task_report_reviewed_at", TaskReport.reviewed_at),
)

MONTHLY, ADHOC = "monthly", "adhoc"
QUEUED, RUNNING, DRAFT, FROZEN, FAILED = "queued", "running", "draft", "frozen", "failed"
SUMMARY_KINDS = {MONTHLY: _l("Monthly summary"), ADHOC: _l("Ad hoc summary")}
SUMMARY_STATUSES = {
    QUEUED: _l("Waiting to be compiled"),
    RUNNING: _l("Being compiled"),
    DRAFT: _l("Compiled, not yet frozen"),
    FROZEN: _l("Frozen after review"),
    FAILED: _l("Compilation failed"),
}


class Summary(AgencyOwned, TimestampMixin, Model):
    """R24: one compilation of the forms in force for a period over ``agency``'s subtree
    (``agency_id`` is the scope's root: whoever sees that agency sees the summary)."""

    __tablename__ = "report_summary"
    __table_args__ = (
        UniqueConstraint("series", "version", name="uq_report_summary_series_version"),
        Index("ix_report_summary_period", "period_end", "period_start"),
    )
    __audited__ = True
    # Progress and the computed differences change while compiling: not audit events.
    __audit_exclude__ = ("progress_done", "progress_total", "differences")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    # Versions of one month and scope share a series ("monthly:2026-10:calendar:12");
    # each ad hoc request is a series of its own.
    series: Mapped[str] = mapped_column(String(120), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    period_start: Mapped[dt.date] = mapped_column(Date, nullable=False)
    period_end: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # The cut-off rule of a periodic period (app.reports.periods); None for given dates.
    rule: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=QUEUED)
    progress_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    # When the figures were compiled, and by whom (None: the scheduler, as the system).
    compiled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    compiled_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    frozen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    # The frozen version this one is compared with, and the cells that differ from it.
    base_id: Mapped[int | None] = mapped_column(ForeignKey("report_summary.id"))
    differences: Mapped[list | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)

    agency: Mapped[Agency] = relationship(foreign_keys="Summary.agency_id")
    base: Mapped[Summary | None] = relationship(remote_side="Summary.id")
    files: Mapped[list[SummaryFile]] = relationship(
        back_populates="summary", order_by="SummaryFile.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"{self.series} v{self.version}"


class SummaryFile(Model):
    """R24: the workbook of one form of a summary and the figures it reported."""

    __tablename__ = "report_summary_file"
    __table_args__ = (UniqueConstraint("summary_id", "form_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        ForeignKey("report_summary.id"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    form_key: Mapped[str] = mapped_column(String(80), nullable=False)
    form_code: Mapped[str] = mapped_column(String(30), nullable=False)
    form_title: Mapped[str] = mapped_column(String(300), nullable=False)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), nullable=False)
    # SHA-256 of the figures (labels and cells), equal whenever the figures are.
    figures_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    # The table as reported: {"columns": [[ms, label]…], "rows": [[label, level, v…]…]}.
    cells: Mapped[dict] = mapped_column(JSON, nullable=False)

    summary: Mapped[Summary] = relationship(back_populates="files")
    stored_file: Mapped[StoredFile] = relationship()

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: a summary's file is seen by whoever sees the summary."""
        return exists(
            select(Summary.id).where(
                Summary.id == cls.summary_id, Summary.agency_id.in_(agency_ids)
            )
        )
