"""Column mixins: timestamps with the acting user, soft delete, optimistic locking."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core.actor import current_actor
from app.core.clock import now_utc
from app.core.types import UTCDateTime


def _actor_id() -> int | None:
    return current_actor().user_id


class TimestampMixin:
    """When and by whom a record was created and last changed."""

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=now_utc, onupdate=now_utc, nullable=False
    )

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(Integer, ForeignKey("ab_user.id"), default=_actor_id, nullable=True)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(
            Integer,
            ForeignKey("ab_user.id"),
            default=_actor_id,
            onupdate=_actor_id,
            nullable=True,
        )


class SoftDeleteMixin:
    """Records users "delete" are only marked deleted; administrators can restore them.

    Queries hide marked rows unless executed with ``include_deleted=True``
    (see app.audit.softdelete).
    """

    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)

    @declared_attr
    def deleted_by_id(cls) -> Mapped[int | None]:
        return mapped_column(Integer, ForeignKey("ab_user.id"), nullable=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class VersionedMixin:
    """Optimistic locking: a save based on a stale version raises StaleDataError."""

    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version_id}


class AgencyOwned:
    """The record belongs to one agency (``agency_id``); that agency decides its data scope.

    app.security.scope reads ``scope_condition``: a record is in a user's scope when its
    agency is in the user's subtree (R10, R11).
    """

    @declared_attr
    def agency_id(cls) -> Mapped[int]:
        return mapped_column(Integer, ForeignKey("agency.id"), nullable=False, index=True)

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: the record's agency is one of ``agency_ids`` (a subquery)."""
        return cls.agency_id.in_(agency_ids)
