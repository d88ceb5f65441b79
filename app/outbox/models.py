"""Outbox items queued for the national database, and the local → national code table.

An item is one record in the national shape (app.outbox.payloads): pending until the
sender claims it (sending), then sent with the id the national database returned, or
back to pending with the next attempt time after a failure, or failed with the reason
once retries are exhausted or the payload was refused. Rows are never deleted; every
status change is in the audit log (R9).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.core.mixins import TimestampMixin
from app.core.types import UTCDateTime
from app.petitions.models import Petition

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
STATUSES = {
    PENDING: _l("Waiting to be sent"),
    SENDING: _l("Being sent"),
    SENT: _l("Sent"),
    FAILED: _l("Failed"),
}
# The five kinds of record the national database takes (national-database.md), in the
# order the records of one commit are queued: the case before what depends on it.
CASE, PROCESSING, ACCEPTANCE, RESOLUTION, ENFORCEMENT = (
    "case",
    "processing_result",
    "acceptance_decision",
    "resolution_decision",
    "enforcement",
)
KINDS = {
    CASE: _l("Petition (case)"),
    PROCESSING: _l("Processing result"),
    ACCEPTANCE: _l("Acceptance decision"),
    RESOLUTION: _l("Resolution decision"),
    ENFORCEMENT: _l("Enforcement of the decision"),
}
# What a local code is mapped for (NationalCode.kind).
CODE_KINDS = ("agency", "subject_area", "petition_kind")


class OutboxItem(TimestampMixin, Model):
    """One record queued for the national database, with where its sending stands."""

    __tablename__ = "national_outbox_item"
    __table_args__ = (
        Index("ix_national_outbox_due", "status", "next_attempt_at"),
        Index("ix_national_outbox_petition_kind", "petition_id", "kind"),
    )
    __audited__ = True
    # The payload holds citizens' identity numbers: the log keeps the status changes only.
    __audit_exclude__ = ("payload", "claim_token")
    __audit_labels__ = {
        "status": _l("Sending status"),
        "attempts": _l("Attempts"),
        "next_attempt_at": _l("Next attempt"),
        "national_id": _l("National id"),
        "last_error": _l("Reason of the failure"),
    }
    __audit_choices__ = {"status": STATUSES, "kind": KINDS}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Sent as the Idempotency-Key header: the receiver can drop a repeat after a crash.
    message_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    # The agency whose record it is (the data scope of the status page, R11).
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False, index=True)
    # The petition the record belongs to: its national case id keys every later record.
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), nullable=False)
    record_table: Mapped[str] = mapped_column(String(50), nullable=False)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The id the national database gave the record (for a case: the national case id).
    national_id: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)

    agency: Mapped[Agency] = relationship()
    petition: Mapped[Petition] = relationship()

    def __repr__(self) -> str:
        return f"{KINDS.get(self.kind, self.kind)} #{self.id}"

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: an item is seen by the users of its agency's subtree (and the province)."""
        return cls.agency_id.in_(agency_ids)


class NationalCode(TimestampMixin, Model):
    """A local code (agency, subject area, petition kind) and the national database's
    code for it; a code not mapped is sent as the local code (national-database.md)."""

    __tablename__ = "national_code"
    __table_args__ = (UniqueConstraint("kind", "local_code"),)
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    local_code: Mapped[str] = mapped_column(String(50), nullable=False)
    national_code: Mapped[str] = mapped_column(String(50), nullable=False)

    def __repr__(self) -> str:
        return f"{self.kind}:{self.local_code} → {self.national_code}"
