"""A file stored outside the web root under a generated name, owned by one record."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import JSON, Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.mixins import AgencyOwned, SoftDeleteMixin, TimestampMixin


class StoredFile(AgencyOwned, TimestampMixin, SoftDeleteMixin, Model):
    """An uploaded or generated file; ``owner_table``/``owner_id`` name the record it belongs to."""

    __tablename__ = "stored_file"
    __table_args__ = (Index("ix_stored_file_owner", "owner_table", "owner_id"),)
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_table: Mapped[str] = mapped_column(String(80), nullable=False)
    owner_id: Mapped[int] = mapped_column(Integer, nullable=False)
    purpose: Mapped[str] = mapped_column(String(40), nullable=False, default="attachment")
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    stored_name: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    # TT 07/2014 Art. 10: original papers handed in are returned to the citizen.
    is_original_document: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # The day the original was handed back to the citizen (None: still held).
    original_returned_on: Mapped[dt.date | None] = mapped_column(Date)
    # Embedded PDF signatures as read by pyHanko (signer, time, intact …), if any.
    signature_info: Mapped[dict | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return self.original_name
