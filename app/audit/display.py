"""How audit entries read on screen (R9): Vietnamese labels, local times, named values.

Field labels come from the model's ``__audit_labels__`` or else the screens over the
model (their ``label_columns``), so the log speaks the same words as the forms; a foreign
key shows the record it points to; a field listed in ``__audit_choices__`` shows the label
of its coded value ("forwarded" → "Cơ quan khác chuyển đến").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context
from flask_appbuilder import Model
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.types import TypeDecorator

from app.audit import entries
from app.audit.changes import MASKED
from app.audit.softdelete import INCLUDE_DELETED
from app.core.clock import to_local

TIME_FORMAT = "%d/%m/%Y %H:%M"
DATE_FORMAT = "%d/%m/%Y"

ACTION_LABELS = {
    entries.CREATE: _l("Created"),
    entries.UPDATE: _l("Updated"),
    entries.SOFT_DELETE: _l("Deleted"),
    entries.RESTORE: _l("Restored"),
    entries.DELETE: _l("Permanently deleted"),
    entries.LOGIN: _l("Logged in"),
    entries.LOGIN_FAILED: _l("Failed login"),
    entries.LOGOUT: _l("Logged out"),
    entries.LOCKOUT: _l("Sign-in locked"),
    # Written by `flask restore` (app.backup.service) when a backup replaces the database.
    "database_restore": _l("Database restored from a backup"),
}
# Names of the record kinds in the log; a new audited model adds its table here.
TABLE_LABELS = {
    "agency": _l("Agency"),
    "agency_succession": _l("Agency succession"),
    "ab_user": _l("User account"),
    "ab_role": _l("Role"),
    "login_attempt": _l("Sign-in attempt"),
    "calendar_override": _l("Calendar day override"),
    "time_limit_rule": _l("Time limit rule"),
    "database": _l("Database"),
}


@dataclass(frozen=True)
class ChangeRow:
    """One changed field of an entry, ready to show."""

    field: str
    label: str
    before: str
    after: str


def format_time(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnamese local time (Asia/Ho_Chi_Minh)."""
    return "" if value is None else to_local(value).strftime(TIME_FORMAT)


def action_label(action: str) -> str:
    """The Vietnamese name of an audit action."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def table_label(table_name: str) -> str:
    """The Vietnamese name of a kind of record."""
    label = TABLE_LABELS.get(table_name)
    return str(label) if label is not None else table_name


def table_choices() -> list[tuple[str, str]]:
    """(table name, label) pairs for the audit log's record-kind filter."""
    return [(name, str(label)) for name, label in TABLE_LABELS.items()]


def action_choices() -> list[tuple[str, str]]:
    """(action, label) pairs for the audit log's action filter."""
    return [(code, str(label)) for code, label in ACTION_LABELS.items()]


def model_for_table(table_name: str) -> type | None:
    """The most derived model mapped to ``table_name`` (AppUser rather than FAB's User)."""
    found: type | None = None
    for mapper in Model.registry.mappers:
        if mapper.local_table.name != table_name:
            continue
        if found is None or issubclass(mapper.class_, found):
            found = mapper.class_
    return found


def _labels_for(model: type) -> dict[str, Any]:
    labels: dict[str, Any] = {}
    if has_app_context():
        for view in current_app.appbuilder.baseviews:
            datamodel = getattr(view, "datamodel", None)
            if datamodel is not None and datamodel.obj is model and view.label_columns:
                labels = {**view.label_columns, **labels}
    return {**labels, **getattr(model, "__audit_labels__", {})}


def _relationship_of(mapper: Mapper, field: str) -> Any | None:
    for rel in mapper.relationships:
        if rel.direction.name == "MANYTOONE" and any(
            mapper.get_property_by_column(column).key == field for column in rel.local_columns
        ):
            return rel
    return None


def field_label(model: type | None, field: str) -> str:
    """The label the model's screen uses for ``field`` (a foreign key: its relation's)."""
    labels = _labels_for(model) if model is not None else {}
    rel = _relationship_of(model.__mapper__, field) if model is not None else None
    if rel is not None:
        for key in (rel.key, f"{rel.key}.name"):
            if key in labels:
                return str(labels[key])
    if field in labels:
        return str(labels[field])
    return field.replace("_", " ").capitalize()


def _referenced_model(model: type, field: str) -> type | None:
    """The model a foreign key points to: its relation's, or the mapped model of the
    referenced table when the column has no relation (``processed_by_id`` → the user)."""
    rel = _relationship_of(model.__mapper__, field)
    if rel is not None:
        return rel.mapper.class_
    column = model.__table__.columns.get(field) if hasattr(model, "__table__") else None
    keys = list(column.foreign_keys) if column is not None else []
    if len(keys) != 1:
        return None
    return model_for_table(keys[0].column.table.name)


def _column_type(model: type, field: str) -> Any | None:
    column = model.__table__.columns.get(field) if hasattr(model, "__table__") else None
    if column is None:
        return None
    return column.type.impl if isinstance(column.type, TypeDecorator) else column.type


def value_text(session: Session, model: type | None, field: str, value: Any) -> str:
    """A logged value as a user reads it: names for references, dd/mm/yyyy dates, Có/Không."""
    if value is None or value == []:
        return ""
    if value == MASKED:
        return MASKED
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if model is not None:
        choices = getattr(model, "__audit_choices__", {}).get(field)
        if choices is not None and value in choices:
            return str(choices[value])
        target_model = _referenced_model(model, field)
        if target_model is not None:
            target = session.get(target_model, value, execution_options=INCLUDE_DELETED)
            return str(target) if target is not None else f"#{value}"
        column_type = _column_type(model, field)
        if isinstance(value, str) and isinstance(column_type, DateTime | Date):
            return _date_text(value, column_type)
    return str(value)


def _date_text(value: str, column_type: Any) -> str:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if isinstance(column_type, Date) and not isinstance(column_type, DateTime):
        return parsed.strftime(DATE_FORMAT)
    return format_time(parsed)


def change_rows(
    session: Session, table_name: str, changes: dict[str, Any] | None
) -> list[ChangeRow]:
    """The changes of an entry as rows (field, before, after), in the model's column order."""
    if not changes:
        return []
    model = model_for_table(table_name)
    order = list(model.__mapper__.attrs.keys()) if model is not None else []
    fields = sorted(changes, key=lambda f: (order.index(f) if f in order else len(order), f))
    return [
        ChangeRow(
            field=field,
            label=field_label(model, field),
            before=value_text(session, model, field, changes[field][0]),
            after=value_text(session, model, field, changes[field][1]),
        )
        for field in fields
    ]
