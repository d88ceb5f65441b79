"""Base classes that put every screen and REST API under THE data scope (R10, R11).

How a domain uses them: derive its screens from ``ScopedModelView`` and its APIs from
``ScopedModelRestApi`` instead of FAB's ``ModelView`` / ``ModelRestApi``. Nothing else is
needed when the model is scoped (``app.security.scope.is_scoped_model``: it has a
``scope_condition`` classmethod, e.g. through ``AgencyScoped``)::

    class PetitionModelView(ScopedModelView):
        datamodel = SQLAInterface(Petition)

    class PetitionApi(ScopedModelRestApi):
        resource_name = "petition"
        datamodel = SQLAInterface(Petition)
        # relationship paths, never raw keys like agency_id (marshmallow 4 trap)
        list_columns = ["id", "summary", "agency.id", "agency.name"]

What the classes add to FAB, all through app.security.scope:

- the scope filter in ``base_filters``: lists, counts, show, edit, delete, related lists,
  API get/list/put/delete see only records in scope; an out-of-scope id answers 404;
- every relation to a scoped model (agency, user account, any scoped record) gets the
  scope filter in its pickers: add, edit and search forms, and the API ``_info`` values;
- a write guard in ``pre_add``/``pre_update`` (app.security.write_guard): a save that
  sets such a relation outside the scope, or changes one that points outside, is refused
  with a Vietnamese message and nothing is saved (screens: a flash; API: 422 with
  ``{"code", "message", "errors": {field: [text]}}``, app.api.errors). Raise
  ``WriteRefused`` from a domain's own ``pre_add``/``pre_update`` to refuse a save the
  same way;
- FAB's actions (``/action``, ``/action_post``) open records through the same filter;
- FAB ModelView has no CSV/xlsx export; its ``can_download`` endpoint serves uploaded
  files by name. Here it serves a file only when a record in scope holds it.

A relation that may legitimately point outside the user's scope (say, forwarding a
petition to another agency) is named in ``unscoped_relations``; the domain then filters
that picker with ``*_query_rel_fields`` and checks the value in its own service.
Reference tables that are not scoped (agency kinds, calendar overrides, time limits) use
the same classes; non-administrators get read-only permissions on them (app.security.roles).
For Vietnamese dates and values put app.ui.views.VNViewMixin after the scope mixin:
``class PetitionModelView(ScopedViewMixin, VNViewMixin, ModelView)`` (as the user screen
does); ``ScopedModelView`` leaves it out because it replaces a view's filter converter.
tests/test_security_scope_walk.py walks every registered screen and API and fails when
one over a scoped model misses any of this.
"""

from __future__ import annotations

import functools
import os.path
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, request, send_file
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.filemanager import uuid_originalname
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext
from sqlalchemy import inspect

from app.api.errors import ApiErrors
from app.security.scope import ScopeFilter, file_in_scope, is_scoped_model, request_user
from app.security.write_guard import WriteRefused, check_write_scope, guarded_relations
from app.ui.remembered_list_view import RememberedListMixin
from app.ui.views import VNViewMixin

RelFields = dict[str, list[list[Any]]]


# FAB 5.3's document of ModelRestApi answers, as FAB actually answers.
_SPEC_FIXES = {
    "": {"ids": {"type": "array", "items": {"type": "integer"}}},
    "{pk}": {"id": {"type": "integer"}},
    "_info": {
        "add_columns": {"type": "array", "items": {"type": "object"}},
        "edit_columns": {"type": "array", "items": {"type": "object"}},
    },
}


def scope_base_filters(datamodel: SQLAInterface, base_filters: list | None) -> list:
    """R11: ``base_filters`` plus the scope filter when the view's model is scoped."""
    filters = list(base_filters or [])
    already = any(flt[1] is ScopeFilter for flt in filters)
    if is_scoped_model(datamodel.obj) and not already:
        filters.append([datamodel.get_pk_name(), ScopeFilter, None])
    return filters


def scope_rel_fields(rel_fields: RelFields | None, relations: dict[str, type]) -> RelFields:
    """R11: related-field filters with the scope filter added for each guarded relation."""
    result = {key: list(filters) for key, filters in (rel_fields or {}).items()}
    for key, target in relations.items():
        filters = result.setdefault(key, [])
        if not any(flt[1] is ScopeFilter for flt in filters):
            filters.append([inspect(target).primary_key[0].key, ScopeFilter, None])
    return result


def guard_write(view: Any, item: Any) -> None:
    """R11: refuse (and roll back) a save of ``item`` reaching outside the user's scope."""
    try:
        check_write_scope(item, view.guarded_relations, request_user(), view.label_columns)
    except WriteRefused:
        view.datamodel.session.rollback()
        raise


def _guarding(hook: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    @functools.wraps(hook)
    def guarded(self: Any, item: Any) -> None:
        guard_write(self, item)
        hook(self, item)

    guarded.scope_guarded = True  # type: ignore[attr-defined]
    return guarded


class WriteGuarded:
    """Runs the write guard before every ``pre_add``/``pre_update``, also one a domain
    overrides without calling ``super()``: a subclass cannot forget it."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("pre_add", "pre_update"):
            hook = cls.__dict__.get(name)
            if hook is not None and not getattr(hook, "scope_guarded", False):
                setattr(cls, name, _guarding(hook))

    def pre_add(self, item: Any) -> None:
        """R11: refuse a new record reaching outside the user's scope."""
        guard_write(self, item)
        super().pre_add(item)

    def pre_update(self, item: Any) -> None:
        """R11: refuse an edit reaching outside the user's scope."""
        guard_write(self, item)
        super().pre_update(item)


class ScopedViewMixin(WriteGuarded):
    """The data scope for a FAB CRUD screen; put it before the FAB class in the bases."""

    unscoped_relations: tuple[str, ...] = ()
    guarded_relations: dict[str, type]

    def _init_properties(self) -> None:
        self.base_filters = scope_base_filters(self.datamodel, self.base_filters)
        self.guarded_relations = guarded_relations(self.datamodel.obj, self.unscoped_relations)
        for attr in (
            "add_form_query_rel_fields",
            "edit_form_query_rel_fields",
            "search_form_query_rel_fields",
        ):
            setattr(self, attr, scope_rel_fields(getattr(self, attr), self.guarded_relations))
        super()._init_properties()

    def _get_in_scope_or_404(self, pk: Any) -> Any:
        item = self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters)
        if item is None:
            abort(404)
        return item

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name: str, pk: Any):
        """R11: FAB's single-record action, on a record in scope only (else 404)."""
        if name not in self.actions:
            abort(404)
        self._get_in_scope_or_404(pk)
        return super().action(name, pk)

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        """R11: FAB's multi-record action, on records in scope only (else 404)."""
        if request.form.get("action") not in self.actions:
            abort(404)
        for pk in request.form.getlist("rowid"):
            self._get_in_scope_or_404(pk)
        return super().action_post()

    @expose("/download/<string:filename>")
    @has_access
    def download(self, filename: str):
        """R11: an uploaded file, only when a record in the user's scope holds it."""
        if not file_in_scope(self.datamodel.obj, filename, request_user()):
            abort(404)
        return send_file(
            os.path.join(current_app.config["UPLOAD_FOLDER"], filename),
            download_name=uuid_originalname(filename),
            as_attachment=True,
        )


class ScopedModelView(RememberedListMixin, ScopedViewMixin, ModelView):
    """FAB ModelView under the data scope (see the module docstring)."""


class DomainModelView(RememberedListMixin, ScopedViewMixin, VNViewMixin, ModelView):
    """The base of domain screens: THE data scope plus Vietnamese dates and values."""


class ScopedModelRestApi(ApiErrors, WriteGuarded, ModelRestApi):
    """FAB ModelRestApi under the data scope (see the module docstring), answering errors
    as app.api.errors does."""

    unscoped_relations: tuple[str, ...] = ()
    guarded_relations: dict[str, type]

    def _init_properties(self) -> None:
        self.base_filters = scope_base_filters(self.datamodel, self.base_filters)
        self.guarded_relations = guarded_relations(self.datamodel.obj, self.unscoped_relations)
        self.add_query_rel_fields = scope_rel_fields(
            self.add_query_rel_fields, self.guarded_relations
        )
        self.edit_query_rel_fields = scope_rel_fields(
            self.edit_query_rel_fields, self.guarded_relations
        )
        super()._init_properties()

    def add_api_spec(self, api_spec) -> None:
        """FAB's document, corrected where it contradicts FAB's own answers: the list's
        ``ids`` and a record's ``id`` are integers, ``_info``'s ``add_columns`` and
        ``edit_columns`` are lists."""
        super().add_api_spec(api_spec)
        paths = api_spec._paths  # apispec keeps the operations here until the document is built
        for suffix, fixes in _SPEC_FIXES.items():
            operation = paths.get(f"{self.route_base}/{suffix}", {}).get("get", {})
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            for name, fixed in fixes.items():
                if name in schema.get("properties", {}):
                    schema["properties"][name] = fixed

    def add_apispec_components(self, api_spec) -> None:
        """The model schemas, with each relation nullable (a root agency has no parent)."""
        super().add_apispec_components(api_spec)
        for name in (self.list_model_schema_name, self.show_model_schema_name):
            properties = api_spec.components.schemas.get(name, {}).get("properties", {})
            for key, value in properties.items():
                if "$ref" in value:
                    properties[key] = {"anyOf": [value], "nullable": True}

    def _get_field_info(self, field, filter_rel_field, page=None, page_size=None):
        # FAB translates a missing description as gettext(""), which is the catalog header.
        info = super()._get_field_info(field, filter_rel_field, page=page, page_size=page_size)
        if not self.description_columns.get(field.name):
            info["description"] = ""
        return info

    def post_headless(self):
        """R11: FAB's create, answering a refused write with 422 and the field's message."""
        errors = self._relation_id_errors(self.add_columns)
        if errors:
            return self.response_422(message=errors)
        try:
            return super().post_headless()
        except WriteRefused as refused:
            return self._refused(refused)

    def put_headless(self, pk: Any):
        """R11: FAB's update, answering a refused write with 422 and the field's message."""
        errors = self._relation_id_errors(self.edit_columns)
        if errors:
            return self.response_422(message=errors)
        try:
            return super().put_headless(pk)
        except WriteRefused as refused:
            return self._refused(refused)

    def _relation_id_errors(self, columns: list[str]) -> dict[str, list[str]]:
        """A relation given as anything but a record number (FAB would look ``0.25`` up and
        fail in the database): 422 by field before FAB reads the body."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return {}
        errors = {}
        for name in columns:
            if name not in body or not self.datamodel.is_relation(name):
                continue
            value = body[name]
            values = value if isinstance(value, list) else [value]
            if not all(
                v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values
            ):
                errors[name] = [gettext("Must be the number of a record.")]
        return errors

    def _refused(self, refused: WriteRefused):
        self.datamodel.session.rollback()
        return self.response_422(message={refused.field: [refused.message]})
