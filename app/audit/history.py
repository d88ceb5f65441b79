"""A record's own history (R9): its audit entries, newest first, ready for a page.

Render with the macro in ``templates/audit/history.html``::

    {% from "audit/history.html" import history_table %}
    {{ history_table(history_for(agency)) }}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from app.agencies.models import Agency
from app.audit.display import ChangeRow, action_label, change_rows, format_time, table_label
from app.audit.entries import record_id
from app.audit.models import AuditLog
from app.audit.softdelete import INCLUDE_DELETED
from app.extensions import db


@dataclass(frozen=True)
class HistoryEntry:
    """One audit entry as shown on a page."""

    id: int
    at: str
    username: str
    agency: str
    action: str
    action_label: str
    table_label: str
    record_id: str | None
    record_label: str
    changes: list[ChangeRow]


def agency_name(session: Session, agency_id: int | None) -> str:
    """The name of an agency, deleted or not ("" when unknown)."""
    if agency_id is None:
        return ""
    agency = session.get(Agency, agency_id, execution_options=INCLUDE_DELETED)
    return agency.name if agency is not None else f"#{agency_id}"


def describe(session: Session, entry: AuditLog) -> HistoryEntry:
    """An audit entry with Vietnamese labels, local time and readable changes."""
    return HistoryEntry(
        id=entry.id,
        at=format_time(entry.at),
        username=entry.username,
        agency=agency_name(session, entry.agency_id),
        action=entry.action,
        action_label=action_label(entry.action),
        table_label=table_label(entry.table_name),
        record_id=entry.record_id,
        record_label=entry.record_label or "",
        changes=change_rows(session, entry.table_name, entry.changes),
    )


def history_for(obj: Any, limit: int = 100) -> list[HistoryEntry]:
    """The audit entries of ``obj`` itself (its table and primary key), newest first."""
    session = object_session(obj) or db.session
    entries = session.scalars(
        select(AuditLog)
        .where(AuditLog.table_name == type(obj).__tablename__, AuditLog.record_id == record_id(obj))
        .order_by(AuditLog.id.desc())
        .limit(limit)
    )
    return [describe(session, entry) for entry in entries]
