"""One uploaded import file: what it holds, what its dry run found, how the import went."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.agencies.models import Agency
from app.core.mixins import TimestampMixin
from app.core.types import UTCDateTime

# Where a batch stands: checked by the dry run (with or without bad rows), waiting for
# its thread, importing, imported, or failed (nothing of it saved).
CHECKED = "checked"
INVALID = "invalid"
QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
STATUS_LABELS = {
    CHECKED: _l("Checked, ready to import"),
    INVALID: _l("Has bad rows"),
    QUEUED: _l("Waiting to start"),
    RUNNING: _l("Importing"),
    DONE: _l("Imported"),
    FAILED: _l("Failed, nothing saved"),
}
KIND_LABELS = {
    "petitions": _l("Petitions and citizens"),
    "tasks": _l("Assignment documents and tasks"),
}


class ImportBatch(TimestampMixin, Model):
    """An import file as uploaded (kept until imported), its dry-run report and outcome.

    ``errors`` lists every bad row as ``{"line", "column", "message"}``; ``rows_new``
    counts the rows the import would create, ``rows_existing`` those already imported
    before (same external key, skipped). The import itself is audited as this record's
    change to ``done`` (R9), with the file's SHA-256.
    """

    __tablename__ = "import_batch"
    __audited__ = True
    __audit_exclude__ = ("content", "errors")
    __audit_labels__ = {
        "kind": _l("Contents"),
        "filename": _l("File"),
        "sha256": _l("File fingerprint (SHA-256)"),
        "status": _l("Status"),
        "rows_total": _l("Data rows"),
        "rows_new": _l("New rows"),
        "rows_existing": _l("Already imported"),
        "rows_created": _l("Rows imported"),
    }
    __audit_choices__ = {"kind": KIND_LABELS, "status": STATUS_LABELS}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    # The importer's agency: the batch belongs to it (data scope, R11).
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=CHECKED)
    rows_total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_new: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_existing: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_created: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    errors: Mapped[list | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    agency: Mapped[Agency] = relationship()

    def __repr__(self) -> str:
        return f"{self.filename} (SHA-256 {self.sha256})"

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: a batch is seen within the data scope of its importer's agency."""
        return cls.agency_id.in_(agency_ids)
