"""The "Deleted records" screen (R9): soft-deleted rows of every model, with Restore."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.audit.deleted import count_deleted, deleted_page, restore_deleted, soft_deletable_models
from app.audit.display import format_time, table_label
from app.audit.entries import record_id
from app.audit.guards import DeletionRefused
from app.extensions import db
from app.security.models import AppUser
from app.ui.remembered_filters import remembered_args

PAGE_SIZE = 50


class RestoreForm(FlaskForm):
    """The Restore button: only its CSRF token."""


@dataclass(frozen=True)
class DeletedRow:
    """A deleted record as listed."""

    pk: str
    label: str
    deleted_at: str
    deleted_by: str


def _usernames(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = db.session.execute(select(AppUser.id, AppUser.username).where(AppUser.id.in_(user_ids)))
    return {user_id: username for user_id, username in rows}


class DeletedRecordsView(BaseView):
    """Administrators list soft-deleted records by kind and restore them."""

    route_base = "/deleted-records"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        """Tabs per kind of record with its count, the chosen kind's deleted rows."""
        models = soft_deletable_models()
        asked = remembered_args("audit.deleted-records")
        kind = asked.get("kind") or next(iter(models), None)
        if kind not in models:
            abort(404)
        page = int(asked["page"]) if asked.get("page", "").isdigit() else 0
        tabs = [
            (key, table_label(key), count_deleted(db.session, m, g.user))
            for key, m in models.items()
        ]
        records = deleted_page(db.session, models[kind], g.user, page, PAGE_SIZE)
        names = _usernames({r.deleted_by_id for r in records if r.deleted_by_id})
        rows = [
            DeletedRow(
                pk=record_id(record),
                label=str(record),
                deleted_at=format_time(record.deleted_at),
                deleted_by=names.get(record.deleted_by_id, "") if record.deleted_by_id else "",
            )
            for record in records
        ]
        total = next(count for key, _label, count in tabs if key == kind)
        return self.render_template(
            "audit/deleted_records.html",
            tabs=tabs,
            kind=kind,
            rows=rows,
            page=page,
            pages=max(math.ceil(total / PAGE_SIZE), 1),
            form=RestoreForm(),
        )

    @expose("/restore/<kind>/<pk>", methods=["POST"])
    @has_access
    def restore(self, kind: str, pk: str):
        """Restore one record (logged as restore) unless a rule refuses it."""
        if not RestoreForm().validate_on_submit():
            flash(gettext("The form has expired, please try again."), "danger")
            return redirect(url_for(".list", kind=kind))
        try:
            record = restore_deleted(db.session, kind, pk, g.user)
        except LookupError:
            abort(404)
        except DeletionRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "danger")
        else:
            db.session.commit()
            flash(gettext("“%(name)s” has been restored.", name=str(record)), "success")
        return redirect(url_for(".list", kind=kind))
