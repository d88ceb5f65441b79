"""Agency tree (R1–R3): any depth, kinds as data, capabilities, validity and succession.

The tree keeps a materialised path of codes (``/DT17-UBT/DT17-866-UB/``) so that "this
agency and its subtree" is one indexed prefix filter on every database (the data scope,
app.security.scope). app.agencies.tree keeps paths current on every flush.
"""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.mixins import SoftDeleteMixin, TimestampMixin
from app.core.types import SortKey


class AgencyKind(Model):
    """A kind of agency (provincial PC, department inspectorate, commune PC …) as data."""

    __tablename__ = "agency_kind"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    receives_petitions: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    assigns_tasks: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    def __repr__(self) -> str:
        return self.name


class Agency(SoftDeleteMixin, TimestampMixin, Model):
    """One body of the province: a node of the agency tree."""

    __tablename__ = "agency"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    short_name: Mapped[str | None] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(SortKey(255), nullable=False, default="", index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("agency_kind.id"), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    path: Mapped[str] = mapped_column(String(1000), nullable=False, default="/", index=True)
    depth: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # R2: receives petitions; R3: assigns tasks, operated by ``operating_office``.
    receives_petitions: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    assigns_tasks: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    operating_office_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    admin_unit_code: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source_status: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    kind: Mapped[AgencyKind] = relationship(lazy="joined")
    parent: Mapped[Agency | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list[Agency]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Agency.name_key"
    )
    # post_update: a PC and the office operating it point at each other (R3).
    operating_office: Mapped[Agency | None] = relationship(
        remote_side=[id], foreign_keys=[operating_office_id], post_update=True
    )

    def __repr__(self) -> str:
        return self.name

    def is_within(self, other: Agency) -> bool:
        """True when this agency is ``other`` or lies in its subtree."""
        return self.path.startswith(other.path)


class AgencySuccession(SoftDeleteMixin, TimestampMixin, Model):
    """A merge, split or renaming: ``predecessor`` is succeeded by ``successor`` from a date."""

    __tablename__ = "agency_succession"
    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False)
    successor_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False)
    effective_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    change_type: Mapped[str] = mapped_column(String(30), nullable=False, default="merge")
    legal_ref: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)

    predecessor: Mapped[Agency] = relationship(foreign_keys=[predecessor_id])
    successor: Mapped[Agency] = relationship(foreign_keys=[successor_id])
