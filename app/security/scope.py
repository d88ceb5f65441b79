"""THE data scope (R10, R11): a user sees and touches only their agency's subtree.

Every list, show, edit, delete, download, API endpoint, export and job goes through the
functions here, as SQL conditions (never Python post-filtering). System administrators
and the Citizen Reception Board monitors see the whole province (R24).

A scoped model declares how it belongs to agencies with a classmethod
``scope_condition(agency_ids)`` returning a SQL condition, where ``agency_ids`` is the
list of the agency ids in scope, read when the condition is built: the database then
plans each list for those very agencies (an index on the agency and the date serves a
page of newest rows) instead of for an unknown subquery (issue 7 load). Models with a
plain ``agency_id`` column get that from ``AgencyScoped``. The agency tree itself and user
accounts are scoped here, and the audit log by app.audit.scope (``_BUILT_IN``), because
their models cannot import this module.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any

from flask import g, has_request_context
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.mixins import FileColumn, ImageColumn
from sqlalchemy import Select, false, inspect, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency
from app.audit.models import AuditLog
from app.audit.softdelete import INCLUDE_DELETED
from app.security.models import AppUser
from app.security.roles import PROVINCE_WIDE_ROLES


class AgencyScoped:
    """Mixin for models owned by one agency through ``agency_id``."""

    @classmethod
    def scope_condition(cls, agency_ids: list[int]) -> ColumnElement[bool]:
        """R11: the record belongs to an agency in scope."""
        return cls.agency_id.in_(agency_ids)  # type: ignore[attr-defined]


# Models whose scope is defined here: (agency ids in scope, user) -> condition.
_BUILT_IN: dict[type, Callable[[list[int], Any], ColumnElement[bool]]] = {
    Agency: lambda ids, user: Agency.id.in_(ids),
    # An account is in scope through its agency; everyone always sees their own account.
    AppUser: lambda ids, user: or_(AppUser.agency_id.in_(ids), AppUser.id == user.id),
    # The audit domain decides which entries belong to a subtree (app.audit.scope).
    AuditLog: lambda ids, user: _audit_log_condition(user),
}


def _audit_log_condition(user: Any) -> ColumnElement[bool]:
    from app.audit.scope import audit_scope_condition  # it builds on this module

    return audit_scope_condition(user)


def is_scoped_model(model: type) -> bool:
    """True when rows of ``model`` belong to agencies and must be filtered by scope."""
    return model in _BUILT_IN or hasattr(model, "scope_condition")


def request_user() -> Any | None:
    """The authenticated user of the current request, if any."""
    if not has_request_context():
        return None
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def _stored(user: Any, key: str) -> Any:
    """The value of ``user.key`` as loaded from the database, ignoring unsaved changes.

    A user editing their own account in a form changes the very object that is
    ``g.user``; their scope and rights must not follow the form before it is saved.
    """
    state = inspect(user, raiseerr=False)
    if state is None or key not in state.attrs:
        return getattr(user, key, None)
    history = state.attrs[key].history
    if not history.has_changes():
        return getattr(user, key)
    if isinstance(getattr(user, key), list):
        return [*history.unchanged, *history.deleted]
    return history.deleted[0] if history.deleted else None


def role_names(user: Any) -> set[str]:
    """Names of the roles a user holds as saved, directly or through a group."""
    return set(_identity(user)[0])


def user_agency(user: Any) -> Agency | None:
    """The agency a user belongs to as saved (unsaved edits never move their scope)."""
    return _identity(user)[1]


def _identity(user: Any) -> tuple[frozenset[str], Agency | None]:
    """Roles and agency deciding the scope; for the request's own user, as first seen in
    the request (before any form could touch their account)."""
    if has_request_context() and getattr(g, "user", None) is user:
        cached = g.get("scope_identity")
        if cached is None or cached[0] is not user:
            cached = (user, *_read_identity(user))
            g.scope_identity = cached
        return cached[1], cached[2]
    return _read_identity(user)


def _read_identity(user: Any) -> tuple[frozenset[str], Agency | None]:
    state = inspect(user, raiseerr=False)
    session = state.session if state is not None else None
    # loading roles or groups must not flush the unsaved edits being judged
    with session.no_autoflush if session is not None else contextlib.nullcontext():
        return _stored_role_names(user), _stored_agency(user)


def _stored_role_names(user: Any) -> frozenset[str]:
    names = {role.name for role in (_stored(user, "roles") or [])}
    for group in _stored(user, "groups") or []:
        names |= {role.name for role in group.roles}
    return frozenset(names)


def _stored_agency(user: Any) -> Agency | None:
    state = inspect(user, raiseerr=False)
    if state is None or state.session is None or "agency_id" not in state.attrs:
        return getattr(user, "agency", None)
    if not (
        state.attrs.agency.history.has_changes() or state.attrs.agency_id.history.has_changes()
    ):
        return user.agency
    agency_id = _stored(user, "agency_id")
    return state.session.get(Agency, agency_id) if agency_id is not None else None


def sees_whole_province(user: Any) -> bool:
    """System administrators and reception-board monitors see every agency's records."""
    return bool(role_names(user) & PROVINCE_WIDE_ROLES)


def subtree_ids(agency: Agency) -> Select:
    """Subquery of the ids of ``agency`` and every agency below it.

    ``autoescape``: a code containing ``_`` or ``%`` must not act as a LIKE wildcard.
    """
    return select(Agency.id).where(Agency.path.startswith(agency.path, autoescape=True))


def subtree_id_list(agency: Agency, *, include_deleted: bool = False) -> list[int]:
    """The ids of ``agency`` and every agency below it (deleted ones too when asked),
    read now without flushing the session."""
    from app.extensions import db

    query = subtree_ids(agency)
    if include_deleted:
        query = query.execution_options(**INCLUDE_DELETED)
    with db.session.no_autoflush:
        return list(db.session.scalars(query))


def scope_agency_ids(user: Any, *, include_deleted: bool = False) -> list[int] | None:
    """The agency ids the user may see (soft-deleted agencies of the subtree too when
    ``include_deleted``); None means no restriction."""
    if sees_whole_province(user):
        return None
    agency = user_agency(user)
    if agency is None:
        return []
    return subtree_id_list(agency, include_deleted=include_deleted)


def scope_signature(user: Any) -> tuple[str, int | None]:
    """R11: what decides the agencies ``user`` sees — the whole province, or an agency's
    subtree — so that figures computed for one user can be shared with every user of the
    same signature (app.figures.cache)."""
    if sees_whole_province(user):
        return ("province", None)
    agency = user_agency(user)
    return ("subtree", agency.id if agency is not None else None)


def scope_condition(model: type, user: Any) -> ColumnElement[bool]:
    """SQL condition restricting ``model`` rows to ``user``'s scope."""
    if user is None:
        return false()
    ids = scope_agency_ids(user)
    if ids is None:
        return true()
    built_in = _BUILT_IN.get(model)
    if built_in is not None:
        return built_in(ids, user)
    return model.scope_condition(ids)


def apply_scope(query, model: type, user: Any | None = None):
    """Restrict a legacy Query or a Select on ``model`` to the user's scope."""
    user = user if user is not None else request_user()
    return query.filter(scope_condition(model, user))


def ids_in_scope(model: type, ids: Iterable[Any], user: Any) -> set[Any]:
    """Which of the primary keys ``ids`` of ``model`` lie in the user's scope (one query).

    Runs without autoflush so that checking a half-edited record never writes it.
    """
    from app.extensions import db

    wanted = set(ids)
    if not wanted:
        return set()
    pk = inspect(model).primary_key[0]
    query = select(pk).where(pk.in_(wanted), scope_condition(model, user))
    with db.session.no_autoflush:
        return set(db.session.scalars(query))


def agency_in_scope(agency_id: int | None, user: Any | None = None) -> bool:
    """True when the user may act on records of agency ``agency_id`` (write guard)."""
    user = user if user is not None else request_user()
    if user is None or agency_id is None:
        return False
    return agency_id in ids_in_scope(Agency, [agency_id], user)


def file_in_scope(model: type, filename: str, user: Any) -> bool:
    """True when a record of ``model`` in the user's scope holds the uploaded ``filename``.

    FAB's download endpoint serves any file by name; this is its scope check.
    """
    from app.extensions import db

    columns = [
        column
        for column in inspect(model).columns
        if isinstance(column.type, FileColumn | ImageColumn)
    ]
    if not columns or user is None:
        return False
    pk = inspect(model).primary_key[0]
    query = select(pk).where(
        or_(*(column == filename for column in columns)), scope_condition(model, user)
    )
    return db.session.execute(query.limit(1)).first() is not None


class ScopeFilter(BaseFilter):
    """FAB base filter applying the data scope of the request's user."""

    name = "Data scope"
    arg_name = "scope"

    def apply(self, query, value):
        """R11: restrict the query to the request user's scope."""
        model = self.datamodel.obj
        return query.filter(scope_condition(model, request_user()))
