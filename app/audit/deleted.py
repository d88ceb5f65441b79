"""The deleted records of every soft-deletable model, for administrators to restore (R9).

Listing and restoring stay within the user's data scope (app.security.scope): a model
without an agency scope is shown only to users who see the whole province.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder import Model
from sqlalchemy import Select, false, func, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency
from app.audit.softdelete import INCLUDE_DELETED, is_soft_deletable, restore
from app.security.scope import scope_condition, sees_whole_province


def soft_deletable_models() -> dict[str, type]:
    """Every model using SoftDeleteMixin, keyed by table name, in table-name order."""
    models = {
        mapper.local_table.name: mapper.class_
        for mapper in Model.registry.mappers
        if is_soft_deletable(mapper.class_)
    }
    return dict(sorted(models.items()))


def _in_scope(model: type, user: Any) -> ColumnElement[bool]:
    if model is Agency or hasattr(model, "scope_condition"):
        return scope_condition(model, user)
    return true() if user is not None and sees_whole_province(user) else false()


def _deleted(model: type, user: Any) -> Select:
    return select(model).where(model.deleted_at.is_not(None), _in_scope(model, user))


def count_deleted(session: Session, model: type, user: Any) -> int:
    """How many deleted ``model`` records the user may see."""
    statement = select(func.count()).select_from(_deleted(model, user).subquery())
    return session.scalar(statement, execution_options=INCLUDE_DELETED) or 0


def deleted_page(
    session: Session, model: type, user: Any, page: int = 0, page_size: int = 50
) -> list[Any]:
    """One page of deleted ``model`` records in the user's scope, most recently deleted first."""
    statement = (
        _deleted(model, user)
        .order_by(model.deleted_at.desc())
        .offset(page * page_size)
        .limit(page_size)
    )
    return list(session.scalars(statement, execution_options=INCLUDE_DELETED))


def find_deleted(session: Session, model: type, pk: Any, user: Any) -> Any | None:
    """The deleted ``model`` record ``pk`` if the user may see it, else None."""
    (pk_column,) = model.__mapper__.primary_key
    try:
        pk = pk_column.type.python_type(pk)
    except (TypeError, ValueError):
        return None
    statement = _deleted(model, user).where(pk_column == pk)
    return session.scalars(statement, execution_options=INCLUDE_DELETED).first()


def restore_deleted(session: Session, table_name: str, pk: Any, user: Any) -> Any:
    """Restore a deleted record in the user's scope and flush (logged as restore).

    Raises LookupError for an unknown table or a record the user cannot see, and
    DeletionRefused when a rule forbids the restore.
    """
    model = soft_deletable_models().get(table_name)
    if model is None:
        raise LookupError(table_name)
    record = find_deleted(session, model, pk, user)
    if record is None:
        raise LookupError(pk)
    restore(record)
    session.flush()
    return record
