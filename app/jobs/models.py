"""The record of each job run; its unique (job, occurrence) makes every occurrence run once.

An occurrence is a job's scheduled moment as a key, e.g. ``daily-flags:2026-11-27``; a
run started by hand has a key of its own (``…:manual:<random>``). The row is inserted when
the run is claimed (status ``running``) and updated when it ends (``succeeded`` or
``failed``, with the outcome or the error). The row is audited: the audit log shows the
system user running each job. ``version_id`` lets only one process take over a crashed
run (app.jobs.runner).
"""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.mixins import VersionedMixin
from app.core.types import UTCDateTime

RUNNING, SUCCEEDED, FAILED = "running", "succeeded", "failed"
# How a run was started.
SCHEDULE, CATCH_UP, MANUAL, CLI = "schedule", "catch_up", "manual", "cli"
STATUS_LABELS = {
    RUNNING: _l("Run in progress"),
    SUCCEEDED: _l("Run succeeded"),
    FAILED: _l("Run failed"),
}
TRIGGER_LABELS = {
    SCHEDULE: _l("Schedule"),
    CATCH_UP: _l("Catch-up at start"),
    MANUAL: _l("Run by hand"),
    CLI: _l("Command line"),
}


class JobRun(VersionedMixin, Model):
    """One run of a scheduled job: which occurrence, who started it, how it ended."""

    __tablename__ = "job_run"
    __table_args__ = (
        UniqueConstraint("job", "occurrence", name="uq_job_run_occurrence"),
        Index("ix_job_run_job_started", "job", "started_at"),
    )
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(50), nullable=False)
    occurrence: Mapped[str] = mapped_column(String(120), nullable=False)
    # The day the run works for (the day flagged; the 1st whose previous month is compiled).
    run_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    trigger: Mapped[str] = mapped_column(String(20), nullable=False)
    # The administrator who ran it by hand; None for the scheduler and the command line.
    triggered_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    # 1, then 2, 3 … when a crashed run is taken over.
    attempt: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return self.occurrence
