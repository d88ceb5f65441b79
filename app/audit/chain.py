"""The audit hash chain (R9): each entry's hash covers its content and the previous hash.

Appending locks the single chain-head row for the rest of the transaction, so concurrent
writers queue up behind each other and never fork the chain: ``SELECT … FOR UPDATE`` on
PostgreSQL; on SQLite a no-op write first takes the database write lock before the head
is read. Editing, deleting or reordering entries afterwards breaks a link that
``verify_chain`` finds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from app.audit.models import AuditChainHead, AuditLog

GENESIS_HASH = "0" * 64
HEAD_ID = 1
# The columns an entry's hash covers, besides the previous hash.
HASHED_FIELDS = (
    "at",
    "user_id",
    "username",
    "agency_id",
    "action",
    "table_name",
    "record_id",
    "record_label",
    "record_agency_id",
    "changes",
)


def _canonical_time(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON (R9 tamper evidence)."""
    payload = {field: entry.get(field) for field in HASHED_FIELDS}
    payload["at"] = _canonical_time(entry["at"])
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _lock_head(connection: Connection) -> Any:
    """Lock and return the chain head row (None when the chain has no head yet)."""
    head = AuditChainHead.__table__
    if connection.dialect.name == "sqlite":
        connection.execute(update(head).where(head.c.id == HEAD_ID).values(last_id=head.c.last_id))
        return connection.execute(select(head.c.last_hash).where(head.c.id == HEAD_ID)).first()
    return connection.execute(
        select(head.c.last_hash).where(head.c.id == HEAD_ID).with_for_update()
    ).first()


def append_entries(connection: Connection, entries: Iterable[dict[str, Any]]) -> int:
    """Append entries to the chain inside the caller's transaction; returns how many.

    The head row stays locked until the caller's transaction ends (R9: one unforked chain).
    """
    entries = list(entries)
    if not entries:
        return 0
    head = _lock_head(connection)
    prev_hash = head.last_hash if head else GENESIS_HASH
    last_id = 0
    for entry in entries:
        digest = entry_hash(prev_hash, entry)
        result = connection.execute(
            insert(AuditLog.__table__).values(**entry, prev_hash=prev_hash, hash=digest)
        )
        last_id = result.inserted_primary_key[0]
        prev_hash = digest
    values = {"last_hash": prev_hash, "last_id": last_id}
    if head:
        connection.execute(
            update(AuditChainHead.__table__).where(AuditChainHead.id == HEAD_ID).values(**values)
        )
    else:
        connection.execute(insert(AuditChainHead.__table__).values(id=HEAD_ID, **values))
    return len(entries)


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a chain verification: entries checked, and the first broken link.

    ``reason`` is ``"link"`` (an entry before it was removed or inserted), ``"content"``
    (the entry was edited) or ``"head"`` (the newest entries were removed).
    """

    entries: int
    broken_id: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None and self.reason is None


def verify_chain(connection: Connection, batch_size: int = 1000) -> ChainReport:
    """Recompute every hash in id order and report the first broken link (R9).

    A changed entry fails its own hash; a deleted or inserted entry breaks the next
    entry's link; deleting the newest entries leaves the head pointing past the end.
    """
    table = AuditLog.__table__
    prev_hash = GENESIS_HASH
    count = 0
    last_id = 0
    rows = connection.execution_options(stream_results=True, yield_per=batch_size).execute(
        select(table).order_by(table.c.id)
    )
    with rows:
        for row in rows.mappings():
            count += 1
            if row["prev_hash"] != prev_hash:
                return ChainReport(count, row["id"], "link")
            if entry_hash(prev_hash, dict(row)) != row["hash"]:
                return ChainReport(count, row["id"], "content")
            prev_hash = row["hash"]
            last_id = row["id"]
    head = connection.execute(
        select(AuditChainHead.last_hash, AuditChainHead.last_id).where(AuditChainHead.id == HEAD_ID)
    ).first()
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_hash != prev_hash:
        expected = head.last_id if head else None
        return ChainReport(count, expected or last_id, "head")
    return ChainReport(count)
