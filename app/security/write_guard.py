"""The write half of the data scope (R10, R11): no save may reach outside the user's scope.

FAB's ``base_filters`` decide which records a user may open; they do not look at what a
form or a JSON body puts into a record. ``check_write_scope`` does: a relation to a
scoped model (an agency, a user account, any model with ``scope_condition``) may be set
only to a record in the user's scope, and a relation that currently points outside the
scope may not be changed (it is not the user's to change).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import inspect
from sqlalchemy.orm import RelationshipDirection
from sqlalchemy.orm.state import InstanceState

from app.security.scope import ids_in_scope, is_scoped_model, scope_agency_ids

_GUARDED_DIRECTIONS = (RelationshipDirection.MANYTOONE, RelationshipDirection.MANYTOMANY)


class WriteRefused(ValueError):
    """A save refused before anything was written; ``message`` is for the user."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def guarded_relations(model: type, exclude: Iterable[str] = ()) -> dict[str, type]:
    """R11: the many-to-one and many-to-many relations of ``model`` to scoped models."""
    skipped = set(exclude)
    return {
        rel.key: rel.mapper.class_
        for rel in inspect(model).relationships
        if rel.direction in _GUARDED_DIRECTIONS
        and is_scoped_model(rel.mapper.class_)
        and rel.key not in skipped
    }


def check_write_scope(
    item: Any,
    relations: Mapping[str, type],
    user: Any,
    labels: Mapping[str, Any] | None = None,
) -> None:
    """R11: refuse a save that sets or changes a relation to a record outside the scope.

    Raises WriteRefused naming the field; province-wide users are never refused.
    """
    if not relations:
        return
    if user is None:
        raise WriteRefused("", gettext("Please log in again."))
    if scope_agency_ids(user) is None:
        return
    state = inspect(item)
    for key, target in relations.items():
        before, after = _relation_ids(state, key)
        if before == after:
            continue
        label = str((labels or {}).get(key) or key)
        inside = ids_in_scope(target, before | after, user)
        if after - inside:
            raise WriteRefused(
                key,
                gettext("“%(field)s”: the chosen record is outside your data scope.", field=label),
            )
        if before - inside:
            raise WriteRefused(
                key,
                gettext(
                    "“%(field)s” refers to a record outside your data scope; you cannot change it.",
                    field=label,
                ),
            )


def _relation_ids(state: InstanceState, key: str) -> tuple[set[Any], set[Any]]:
    """Primary keys the relation ``key`` held when loaded and holds now."""
    rel = state.mapper.relationships[key]
    if rel.direction is RelationshipDirection.MANYTOMANY:
        history = state.attrs[key].history
        unchanged = _pks(history.unchanged)
        return unchanged | _pks(history.deleted), unchanged | _pks(history.added)
    session = state.session
    with session.no_autoflush if session is not None else contextlib.nullcontext():
        related = getattr(state.object, key)
    after = _pks([related])
    before: set[Any] = set()
    for column in rel.local_columns:
        column_key = state.mapper.get_property_by_column(column).key
        history = state.attrs[column_key].history
        before |= {v for v in (*history.deleted, *history.unchanged) if v is not None}
        after |= {v for v in history.added if v is not None}
    return before, after


def _pks(objects: Iterable[Any]) -> set[Any]:
    pks = set()
    for obj in objects:
        identity = inspect(obj).identity if obj is not None else None
        if identity:
            pks.add(identity[0])
    return pks
