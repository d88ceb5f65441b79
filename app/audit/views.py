"""Audit log screens (R9): the log with filters, one entry's changes, deleted records."""

from __future__ import annotations

from flask import url_for
from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from app.audit.deleted_views import DeletedRecordsView
from app.audit.display import (
    ACTION_LABELS,
    TABLE_LABELS,
    action_label,
    change_rows,
    format_time,
    table_label,
)
from app.audit.filters import AuditLogInterface
from app.audit.models import AuditLog
from app.audit.scope import AuditScopeFilter
from app.security.scope import ScopeFilter
from app.security.views_base import ScopedModelView

_COLUMNS = ["at", "username", "agency", "action", "table_name", "record_id", "record_label"]


def record_history_url(table_name: str, record_id: str | None) -> str:
    """The audit log list filtered to one record's entries."""
    return url_for(
        "AuditLogModelView.list", _flt_0_table_name=table_name, _flt_0_record_id=record_id or ""
    )


class AuditLogModelView(ScopedModelView):
    """Read-only log, newest first, within the reader's audit scope (R9, R10)."""

    datamodel = AuditLogInterface(AuditLog)
    base_permissions = ["can_list", "can_show"]
    base_filters = [["id", AuditScopeFilter, lambda: None]]
    base_order = ("id", "desc")
    page_size = 50
    list_title = _l("Audit log")
    show_title = _l("Audit log entry")
    show_template = "audit/entry_show.html"
    list_columns = _COLUMNS
    show_columns = [*_COLUMNS, "hash"]
    search_columns = ["username", "agency", "action", "table_name", "record_id", "at"]
    search_form_extra_fields = {
        "action": SelectField(_l("Action"), choices=list(ACTION_LABELS.items())),
        "table_name": SelectField(_l("Record kind"), choices=list(TABLE_LABELS.items())),
        "at": StringField(_l("When"), render_kw={"placeholder": "dd/mm/yyyy"}),
    }
    search_form_query_rel_fields = {"agency": [["id", ScopeFilter, lambda: None]]}
    label_columns = {
        "at": _l("When"),
        "username": _l("Performed by"),
        "agency": _l("Agency"),
        "action": _l("Action"),
        "table_name": _l("Record kind"),
        "record_id": _l("Record id"),
        "record_label": _l("Record"),
        "hash": _l("Hash"),
    }
    formatters_columns = {
        "at": format_time,
        "action": action_label,
        "table_name": table_label,
        "agency": lambda agency: agency.name if agency is not None else "",
    }

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        widgets = super()._get_show_widget(
            pk, item, widgets=widgets, actions=actions, show_fieldsets=show_fieldsets
        )
        widgets["changes"] = change_rows(self.datamodel.session, item.table_name, item.changes)
        widgets["record_history_url"] = (
            record_history_url(item.table_name, item.record_id) if item.record_id else None
        )
        return widgets


def register(appbuilder: AppBuilder) -> None:
    """Add the audit log and the deleted records to the Security menu."""
    appbuilder.add_view(
        AuditLogModelView,
        "Audit log",
        label=_l("Audit log"),
        icon="fa-history",
        category="Security",
    )
    appbuilder.add_view(
        DeletedRecordsView,
        "Deleted records",
        label=_l("Deleted records"),
        icon="fa-undo",
        category="Security",
    )
