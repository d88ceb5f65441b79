"""One audit entry: who (user and agency), when, what record, which action, what changed (R9)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.audit.chain import append_entries
from app.core.actor import Actor, current_actor
from app.core.clock import now_utc

CREATE = "create"
UPDATE = "update"
DELETE = "delete"
SOFT_DELETE = "soft_delete"
RESTORE = "restore"
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
LOCKOUT = "lockout"
ACTIONS = (CREATE, UPDATE, SOFT_DELETE, RESTORE, DELETE, LOGIN, LOGIN_FAILED, LOGOUT, LOCKOUT)


def record_id(obj: Any) -> str | None:
    """The record's primary key as text (composite keys joined by commas)."""
    mapper = inspect(obj).mapper
    parts = mapper.primary_key_from_instance(obj)
    if any(part is None for part in parts):
        return None
    return ",".join(str(part) for part in parts)


def record_agency_id(obj: Any) -> int | None:
    """The agency a record belongs to: an agency itself, else its owning-agency column.

    A model whose owning agency is not ``agency_id`` names it in ``__audit_agency_attr__``.
    """
    if isinstance(obj, Agency):
        return obj.id
    attr = getattr(type(obj), "__audit_agency_attr__", "agency_id")
    value = inspect(obj).dict.get(attr)
    return value if isinstance(value, int) else None


def record_label(obj: Any) -> str:
    """A human-readable name of the record, at most 255 characters."""
    try:
        return str(obj)[:255]
    except Exception:  # a half-built object must not break the flush
        return type(obj).__name__


def build_entry(
    action: str, obj: Any, changes: dict[str, Any] | None, actor: Actor | None = None
) -> dict[str, Any]:
    """The columns of an entry for ``action`` on ``obj`` by ``actor`` (default: acting user)."""
    actor = actor or current_actor()
    return {
        "at": now_utc(),
        "user_id": actor.user_id,
        "username": actor.username,
        "agency_id": actor.agency_id,
        "action": action,
        "table_name": type(obj).__tablename__,
        "record_id": record_id(obj),
        "record_label": record_label(obj),
        "record_agency_id": record_agency_id(obj),
        "changes": changes or None,
    }


def log_event(
    session: Session,
    action: str,
    obj: Any,
    actor: Actor,
    changes: dict[str, Any] | None = None,
) -> None:
    """Append a single entry that is not a data change (login, logout, lockout) and commit it."""
    append_entries(session.connection(), [build_entry(action, obj, changes, actor)])
    session.commit()
