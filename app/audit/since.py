"""What others changed in a record after a user opened it: the details of a conflict
message (optimistic locking; nothing lost, R9).

A versioned record's ``version_id`` goes up by one with every UPDATE of its row, and
every such UPDATE writes one audit entry (bookkeeping columns such as ``updated_at`` or
a derived search text never change on their own). So the user who saw version ``v`` of
a record now at version ``w`` missed exactly its ``w - v`` newest update entries.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from app.audit.entries import CREATE, record_id
from app.audit.history import HistoryEntry, describe
from app.audit.models import AuditLog
from app.extensions import db

# A conflict message names at most this many changes, the newest first.
MOST_CHANGES_SHOWN = 5
# Long texts (a petition's content) are cut to this many characters in the message.
VALUE_CHARS = 80


def changes_since(obj: Any, seen_version: int | None) -> list[HistoryEntry]:
    """The audit entries of the updates ``obj`` went through after ``seen_version``, the
    version the user's page showed; newest first, at most MOST_CHANGES_SHOWN."""
    current = getattr(obj, "version_id", None)
    if seen_version is None or current is None or seen_version >= current:
        return []
    session = object_session(obj) or db.session
    entries = session.scalars(
        select(AuditLog)
        .where(
            AuditLog.table_name == type(obj).__tablename__,
            AuditLog.record_id == record_id(obj),
            AuditLog.action != CREATE,
        )
        .order_by(AuditLog.id.desc())
        .limit(min(current - seen_version, MOST_CHANGES_SHOWN))
    )
    return [describe(session, entry) for entry in entries]


def _excerpt(text: str, start: int) -> str:
    """At most VALUE_CHARS characters of ``text`` from ``start``, with … where cut."""
    piece = text[start : start + VALUE_CHARS]
    head = "…" if start > 0 else ""
    tail = "…" if start + VALUE_CHARS < len(text) else ""
    return f"{head}{piece}{tail}" if piece else "—"


def _shown_pair(before: str, after: str) -> tuple[str, str]:
    """Before and after, long texts cut around where they start to differ."""
    before, after = " ".join(before.split()), " ".join(after.split())
    same = 0
    while same < min(len(before), len(after)) and before[same] == after[same]:
        same += 1
    start = max(0, same - VALUE_CHARS // 4) if max(len(before), len(after)) > VALUE_CHARS else 0
    return _excerpt(before, start), _excerpt(after, start)


def _sentence(entry: HistoryEntry) -> str:
    fields = "; ".join(
        "{}: {} → {}".format(row.label, *_shown_pair(row.before, row.after))
        for row in entry.changes
    )
    return gettext(
        "%(at)s, %(user)s changed %(fields)s.",
        at=entry.at,
        user=entry.username,
        fields=fields.rstrip(".") or entry.action_label.lower(),
    )


def what_changed(obj: Any, seen_version: int | None) -> str:
    """The sentence a conflict message adds: who changed which fields of ``obj`` from what
    to what since the user's ``seen_version`` ("" when the log has nothing to show)."""
    sentences = [_sentence(entry) for entry in changes_since(obj, seen_version)]
    if not sentences:
        return ""
    return gettext("Changed meanwhile: %(changes)s", changes=" ".join(sentences))


def what_changed_after_stale_flush(session: Session, obj: Any, seen_version: int | None) -> str:
    """After a save refused by the database's version check (StaleDataError: another save
    was committed between the user's check and this one), roll back, read ``obj`` again
    and say what changed since ``seen_version``."""
    session.rollback()
    session.refresh(obj)
    return what_changed(obj, seen_version)
