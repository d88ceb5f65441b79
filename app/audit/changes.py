"""What changed in one record, as ``{field: [before, after]}`` with JSON-safe values (R9).

Secrets never reach the log: password-like fields are written as ``***``. Derived and
bookkeeping columns (updated_at, version_id, a model's ``__audit_exclude__``) are left out.
Many-to-many collections (a user's roles, a role's permissions) are listed by their
members' names.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.base import NO_VALUE

MASKED = "***"
# Columns that only repeat what the entry itself records (who, when) or are bookkeeping.
ALWAYS_SKIPPED = frozenset(
    {
        "created_at",
        "created_by_id",
        "created_on",
        "created_by_fk",
        "updated_at",
        "updated_by_id",
        "changed_on",
        "changed_by_fk",
        "version_id",
    }
)
# Secret fields of any model; a model adds its own in ``__audit_mask__``.
SECRET_FIELDS = frozenset(
    {"password", "password_hash", "secret", "api_key", "token", "access_token", "refresh_token"}
)


def is_audited(cls: type) -> bool:
    """True when the model class asks for an audit trail (``__audited__ = True``)."""
    return bool(getattr(cls, "__audited__", False))


def skipped_fields(cls: type) -> frozenset[str]:
    """Fields of ``cls`` never written to the log."""
    return ALWAYS_SKIPPED | frozenset(getattr(cls, "__audit_exclude__", ()))


def is_masked(cls: type, key: str) -> bool:
    """Password-like fields and a model's ``__audit_mask__`` are logged as ``***``."""
    return key in SECRET_FIELDS or key in getattr(cls, "__audit_mask__", ())


def jsonable(value: Any) -> Any:
    """A value as JSON that reads back identically (the hash chain depends on it)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _shown(cls: type, key: str, value: Any) -> Any:
    if value is None:
        return None
    return MASKED if is_masked(cls, key) else jsonable(value)


def _members(items: Any) -> list[str]:
    return sorted(str(item) for item in (items or ()))


def _collections(mapper: Mapper) -> list[Any]:
    return [rel for rel in mapper.relationships if rel.secondary is not None]


def created_values(obj: Any) -> dict[str, list[Any]]:
    """Every non-empty field of a new record but its key (the entry names it), as
    ``[None, value]``."""
    cls = type(obj)
    state = inspect(obj)
    skipped = skipped_fields(cls)
    keys = {state.mapper.get_property_by_column(column).key for column in state.mapper.primary_key}
    values: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        value = state.dict.get(attr.key)
        if attr.key not in skipped and attr.key not in keys and value is not None:
            values[attr.key] = [None, _shown(cls, attr.key, value)]
    for rel in _collections(state.mapper):
        members = _members(state.dict.get(rel.key))
        if rel.key not in skipped and members:
            values[rel.key] = [[], members]
    return values


def deleted_values(obj: Any) -> dict[str, list[Any]]:
    """Every known non-empty field of a record being removed, as ``[value, None]``."""
    cls = type(obj)
    state = inspect(obj)
    skipped = skipped_fields(cls)
    values: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        value = state.dict.get(attr.key, NO_VALUE)
        if attr.key in skipped or value is NO_VALUE or value is None:
            continue
        values[attr.key] = [_shown(cls, attr.key, value), None]
    return values


def changed_values(obj: Any) -> dict[str, list[Any]]:
    """Each changed field of a flushed record, as ``[before, after]``."""
    cls = type(obj)
    state = inspect(obj)
    skipped = skipped_fields(cls)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in skipped:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if is_masked(cls, attr.key):
            changes[attr.key] = [MASKED, MASKED]
        else:
            changes[attr.key] = [jsonable(old), jsonable(new)]
    for rel in _collections(state.mapper):
        if rel.key in skipped:
            continue
        history = state.attrs[rel.key].history
        if history.added or history.deleted:
            before = _members(list(history.unchanged) + list(history.deleted))
            after = _members(list(history.unchanged) + list(history.added))
            if before != after:
                changes[rel.key] = [before, after]
    return changes
