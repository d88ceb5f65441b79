"""Who reaches a stored file, and what may be done with it (R11; issue 7, Uploads).

A file is served only to a user in whose data scope lie both the file (its agency) and
the record owning it; the owning models are registered by their domains
(``register_owner``), so a file of an unknown kind of record is never served. Removing is
a soft delete (R9; an administrator can restore it), and an original paper handed back
to the citizen is marked with the day (TT 07/2014 Art. 10).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext
from sqlalchemy import and_, exists, false, inspect, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.audit.softdelete import soft_delete
from app.files.models import StoredFile
from app.security.scope import scope_condition

_OWNERS: dict[str, type] = {}


class FileActionRefused(ValueError):
    """The action does not apply to this file; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def register_owner(model: type) -> None:
    """Let records of ``model`` own files (the model must be scoped, app.security.scope)."""
    _OWNERS[model.__tablename__] = model


def owner_model(table: str) -> type | None:
    """The registered model of an owner table name."""
    return _OWNERS.get(table)


def file_scope_condition(user: Any) -> ColumnElement[bool]:
    """R11: the file's agency and its owning record both lie in the user's scope."""
    owned = []
    for table, model in _OWNERS.items():
        pk = inspect(model).primary_key[0]
        owner_in_scope = exists(
            select(pk).where(pk == StoredFile.owner_id, scope_condition(model, user))
        )
        owned.append(and_(StoredFile.owner_table == table, owner_in_scope))
    return and_(scope_condition(StoredFile, user), or_(*owned) if owned else false())


def stored_file_in_scope(session: Session, file_id: int, user: Any) -> StoredFile | None:
    """The (not deleted) file ``file_id`` when the user may reach it, else None."""
    return session.scalar(
        select(StoredFile).where(StoredFile.id == file_id, file_scope_condition(user))
    )


def files_of(session: Session, owner: Any) -> list[StoredFile]:
    """The files a record holds, oldest first (deleted ones left out)."""
    return list(
        session.scalars(
            select(StoredFile)
            .where(
                StoredFile.owner_table == type(owner).__tablename__,
                StoredFile.owner_id == owner.id,
            )
            .order_by(StoredFile.created_at, StoredFile.id)
        )
    )


def remove_file(session: Session, stored: StoredFile) -> None:
    """R9: mark the file deleted (its content stays for a restore)."""
    soft_delete(stored)
    session.flush()


def mark_original_returned(session: Session, stored: StoredFile, on: dt.date) -> None:
    """TT 07/2014 Art. 10: the original paper was handed back to the citizen on ``on``."""
    if not stored.is_original_document:
        raise FileActionRefused(gettext("This file is not an original paper."))
    if stored.original_returned_on is not None:
        raise FileActionRefused(gettext("This original was already returned."))
    stored.original_returned_on = on
    session.flush()
