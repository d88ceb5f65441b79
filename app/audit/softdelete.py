"""Soft delete (R9): rows marked deleted are hidden from every ORM query unless asked for.

Users never hard-delete domain records: FAB's delete becomes a mark (``soft_delete``)
that an administrator can list (``include_deleted``) and undo (``restore``); both are
logged by the audit listener as ``soft_delete`` and ``restore``.

The filter is added to every ORM SELECT, including its subqueries and joins, and rides
along to the lazy loads of the objects it returns: a deleted agency is missing from
lists, counts, ``session.get``, ``agency.children`` and ``user.agency``. A statement run
with ``execution_options(include_deleted=True)`` sees everything, and so do the lazy
loads of what it returns.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.audit.guards import check_delete, check_restore
from app.core.actor import current_actor
from app.core.clock import now_utc
from app.core.mixins import SoftDeleteMixin

# Execution options that show soft-deleted rows too (administrators' screens, the log).
INCLUDE_DELETED = {"include_deleted": True}
_installed = False


def install_soft_delete_filter() -> None:
    """Hide soft-deleted rows from SELECTs unless ``include_deleted=True``; add the
    agency deletion rules."""
    global _installed
    if _installed:
        return
    from app.audit.agency_guards import register_agency_guards

    register_agency_guards()
    event.listen(Session, "do_orm_execute", _hide_deleted)
    _installed = True


def _hide_deleted(state: ORMExecuteState) -> None:
    if (
        state.is_select
        and not state.is_column_load
        and not state.is_relationship_load
        and not state.execution_options.get("include_deleted", False)
    ):
        state.statement = state.statement.options(
            with_loader_criteria(
                SoftDeleteMixin,
                lambda cls: cls.deleted_at.is_(None),
                include_aliases=True,
            )
        )


def is_soft_deletable(obj_or_cls: Any) -> bool:
    """True for records (or models) that use SoftDeleteMixin."""
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return issubclass(cls, SoftDeleteMixin)


def soft_delete(obj: Any) -> None:
    """Mark a record deleted by the acting user (R9; logged as soft_delete).

    Raises DeletionRefused when a registered rule forbids it (app.audit.guards).
    """
    if not is_soft_deletable(obj):
        raise TypeError(f"{type(obj).__name__} does not use SoftDeleteMixin")
    if obj.is_deleted:
        return
    check_delete(obj)
    obj.deleted_at = now_utc()
    obj.deleted_by_id = current_actor().user_id


def restore(obj: Any) -> None:
    """Undo a soft delete (R9; logged as restore).

    Raises DeletionRefused when a registered rule forbids it (app.audit.guards).
    """
    if not is_soft_deletable(obj):
        raise TypeError(f"{type(obj).__name__} does not use SoftDeleteMixin")
    if not obj.is_deleted:
        return
    check_restore(obj)
    obj.deleted_at = None
    obj.deleted_by_id = None
