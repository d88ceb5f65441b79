"""Queueing records for the national database in the transaction that makes them.

Why session events rather than one call in each service function: the records are
created by many paths — intake and processing screens, their REST APIs, receipt of a
forwarded petition, the complaint steps, the bulk import — several of them written by
other domains and still changing. Two listeners here see them all without touching any
of them, the way the audit log does:

* ``after_flush`` notes what happened: a petition inserted (its case record), a petition
  whose status moved to a processing outcome, a dossier accepted or not accepted, a
  resolution decision inserted, an enforcement record inserted or changed;
* ``before_commit`` (of the outermost transaction only: a savepoint's commit is not the
  end) flushes what is left, then adds one ``OutboxItem`` per noted record with its
  payload built now — after the service has added everything (a petition's signatories
  are added after it is inserted). The items are flushed by the commit itself, so the
  change and its queued record are committed or rolled back together.

What was noted is forgotten when the outermost transaction ends, committed or not.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from app.complaints.models import ComplaintDossier, Enforcement, ResolutionDecision
from app.core.clock import now_utc
from app.outbox.models import (
    ACCEPTANCE,
    CASE,
    ENFORCEMENT,
    KINDS,
    PENDING,
    PROCESSING,
    RESOLUTION,
    OutboxItem,
)
from app.outbox.payloads import build_payload, source_of
from app.petitions.choices import OUTCOMES
from app.petitions.models import Petition

_NOTED = "outbox.noted"
_ORDER = {kind: position for position, kind in enumerate(KINDS)}
_installed = False


def install_outbox_capture() -> None:
    """Register the listeners once per process."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _note)
    event.listen(Session, "before_commit", _queue)
    event.listen(Session, "after_transaction_end", _forget)
    _installed = True


def _changed_to(obj: Any, key: str) -> Any:
    """The new value of ``key`` when this flush changed it, else None."""
    history = inspect(obj).attrs[key].history
    if not history.added or history.added[0] in history.deleted:
        return None
    return history.added[0]


def _kinds_of_new(obj: Any) -> list[str]:
    if isinstance(obj, Petition):
        return [CASE]
    if isinstance(obj, ResolutionDecision):
        return [RESOLUTION]
    if isinstance(obj, Enforcement):
        return [ENFORCEMENT]
    return []


def _kinds_of_changed(session: Session, obj: Any) -> list[str]:
    if isinstance(obj, Petition) and _changed_to(obj, "status") in OUTCOMES:
        return [PROCESSING]
    # An acceptance after a suspension is a resumption, not a new decision.
    if (
        isinstance(obj, ComplaintDossier)
        and _changed_to(obj, "status") in ("accepted", "not_accepted")
        and inspect(obj).attrs.status.history.deleted[:1] in ([], ["pending"])
    ):
        return [ACCEPTANCE]
    if isinstance(obj, Enforcement) and session.is_modified(obj):
        return [ENFORCEMENT]
    return []


def _note(session: Session, _context: Any) -> None:
    noted: dict[tuple[str, int], tuple[str, Any]] = session.info.setdefault(_NOTED, {})
    for obj in session.new:
        for kind in _kinds_of_new(obj):
            noted[(kind, id(obj))] = (kind, obj)
    for obj in session.dirty:
        for kind in _kinds_of_changed(session, obj):
            noted[(kind, id(obj))] = (kind, obj)


def _queue(session: Session) -> None:
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    noted = session.info.pop(_NOTED, {})
    records = sorted(noted.values(), key=lambda pair: _ORDER[pair[0]])
    for kind, record in records:
        state = inspect(record)
        if not state.persistent or state.session is not session:
            continue  # rolled back with a savepoint
        session.add(new_item(session, kind, record))


def new_item(session: Session, kind: str, record: Any) -> OutboxItem:
    """A pending outbox item for ``record`` as a record of ``kind``, due now."""
    return OutboxItem(**item_values(session, kind, record))


def item_values(session: Session, kind: str, record: Any) -> dict[str, Any]:
    """R7: the column values of a pending outbox item for ``record`` as a record of
    ``kind``, due now (also for bulk inserts: app.imports.outbox)."""
    petition, agency = source_of(kind, record)
    message_id = str(uuid.uuid4())
    return {
        "message_id": message_id,
        "kind": kind,
        "agency_id": agency.id,
        "petition_id": petition.id,
        "record_table": type(record).__tablename__,
        "record_id": record.id,
        "payload": build_payload(session, kind, record, message_id),
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now_utc(),
    }


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_NOTED, None)
