"""Session events that write the audit log for every audited change (R9).

One place logs every create, update, soft delete, restore and delete of a model that
declares ``__audited__ = True``: who (the acting user or the system actor), their agency,
when, which record, and each changed field from what to what. Entries are appended to
the hash chain (app.audit.chain) inside the same transaction as the change, so a change
and its log entry are committed or rolled back together.

ORM bulk ``update()``/``delete()`` statements skip the flush and so the log: on an
audited model they are refused.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import event
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from app.audit.chain import append_entries
from app.audit.changes import (
    changed_values,
    created_values,
    deleted_values,
    is_audited,
    skipped_fields,
)
from app.audit.entries import CREATE, DELETE, RESTORE, SOFT_DELETE, UPDATE, build_entry

_installed = False


class AuditBypassError(RuntimeError):
    """A bulk statement would change audited rows without logging them."""


def install_audit_listeners() -> None:
    """Register the flush listener and the bulk-statement guard once per process."""
    global _installed
    if _installed:
        return
    Role.__audited__ = True  # role and permission changes are security events (R9, R11)
    for mapper in Role.registry.mappers:
        if mapper.configured:
            _track_old_values(mapper, mapper.class_)
    event.listen(Mapper, "mapper_configured", _track_old_values)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _refuse_bulk_changes)
    _installed = True


def _track_old_values(mapper: Mapper, cls: type) -> None:
    """Load a field's old value when it is set while unloaded, so "before" is never lost."""
    if not is_audited(cls) or getattr(mapper, "_audit_tracked", False):
        return
    skipped = skipped_fields(cls)
    for attr in mapper.column_attrs:
        if attr.key not in skipped:
            event.listen(getattr(cls, attr.key), "set", _noop, active_history=True)
    mapper._audit_tracked = True


def _noop(*_args: Any) -> None:
    """The set listener only asks SQLAlchemy for the old value; it changes nothing."""


def _action_for(changes: dict[str, list[Any]]) -> str:
    if "deleted_at" in changes:
        return SOFT_DELETE if changes["deleted_at"][1] else RESTORE
    return UPDATE


def _after_flush(session: Session, _flush_context: Any) -> None:
    entries: list[dict[str, Any]] = []
    for obj in session.new:
        if is_audited(type(obj)):
            entries.append(build_entry(CREATE, obj, created_values(obj)))
    for obj in session.dirty:
        if not is_audited(type(obj)) or not session.is_modified(obj):
            continue
        changes = changed_values(obj)
        if changes:
            entries.append(build_entry(_action_for(changes), obj, changes))
    for obj in session.deleted:
        if is_audited(type(obj)):
            entries.append(build_entry(DELETE, obj, deleted_values(obj)))
    if entries:
        append_entries(session.connection(), entries)


def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and is_audited(mapper.class_):
        raise AuditBypassError(
            f"Bulk {'UPDATE' if state.is_update else 'DELETE'} of {mapper.class_.__name__} "
            "would bypass the audit log: change the objects through the session instead."
        )
