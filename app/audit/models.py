"""The audit log: who changed which record, when, from what to what (R9)."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.core.types import UTCDateTime


class AuditLog(Model):
    """One change; entries are chained by hash so tampering is detectable.

    ``agency_id`` is the acting user's agency; ``record_agency_id`` the agency the changed
    record belonged to when it changed. Together they decide which agency administrators
    see the entry (app.audit.scope). No foreign keys: the log outlives what it describes.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(128), nullable=False)
    agency_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    table_name: Mapped[str] = mapped_column(String(80), nullable=False)
    record_id: Mapped[str | None] = mapped_column(String(64))
    record_label: Mapped[str | None] = mapped_column(String(255))
    record_agency_id: Mapped[int | None] = mapped_column(Integer, index=True)
    changes: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)

    agency: Mapped[Agency | None] = relationship(
        Agency, primaryjoin="foreign(AuditLog.agency_id) == Agency.id", viewonly=True
    )

    def __repr__(self) -> str:
        return f"{self.action} {self.table_name} #{self.record_id}"


class AuditChainHead(Model):
    """Single row holding the hash of the newest entry; locked while appending."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    last_id: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
