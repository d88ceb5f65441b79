"""The national database outbox page (issue 7): pending, sent and failed records of the
user's agencies with the reason and the national id, filters, and "Gửi lại" for a failed
record (administrators). Monitors of the Citizen Reception Board read it province-wide."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import current_app, flash, g, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.agencies.models import Agency
from app.extensions import db
from app.outbox.capture import install_outbox_capture
from app.outbox.code_views import NationalCodeModelView
from app.outbox.models import KINDS, STATUSES, OutboxItem
from app.outbox.services import (
    OutboxFilters,
    RetryRefused,
    outbox_query,
    retry,
    status_counts,
)
from app.security.scope import scope_condition, sees_whole_province
from app.ui.remembered_filters import remembered_args

PAGE_SIZE = 50
STATUS_CSS = {"pending": "info", "sending": "warning", "sent": "success", "failed": "danger"}


def _agency_options(user) -> list[tuple[int, str]]:
    held = select(OutboxItem.agency_id).where(scope_condition(OutboxItem, user)).distinct()
    agencies = db.session.scalars(
        select(Agency).where(Agency.id.in_(held)).order_by(Agency.name_key)
    )
    return [(agency.id, agency.name) for agency in agencies]


class NationalOutboxView(BaseView):
    """R7, R11: the records queued for the national database, within the data scope."""

    route_base = "/national-outbox"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self) -> ResponseReturnValue:
        """The filtered records, newest first, one page."""
        asked = remembered_args("national-outbox")
        filters = OutboxFilters.parse(asked)
        page = asked.get("page", "1")
        page = max(int(page), 1) if page.isdigit() else 1
        query = outbox_query(filters, g.user)
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        page = min(page, pages)
        items = db.session.scalars(
            query.options(selectinload(OutboxItem.petition), selectinload(OutboxItem.agency))
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        ).all()
        args = {
            "status": filters.status or "",
            "kind": filters.kind or "",
            "agency": filters.agency_id or "",
            "q": filters.text or "",
        }
        return self.render_template(
            "outbox/list.html",
            items=items,
            total=total,
            page=page,
            pages=pages,
            filters=filters,
            counts=status_counts(db.session, g.user),
            statuses=STATUSES,
            kinds=KINDS,
            status_css=STATUS_CSS,
            agency_options=_agency_options(g.user),
            query_string=urlencode({k: v for k, v in args.items() if v}),
            province_wide=sees_whole_province(g.user),
            may_retry=self.appbuilder.sm.has_access("can_retry", self.class_permission_name),
            endpoint_set=bool(current_app.config["NATIONAL_DB_URL"]),
            as_json=lambda payload: json.dumps(payload, ensure_ascii=False, indent=2),
        )

    @expose("/<int:item_id>/retry", methods=["POST"])
    @has_access
    def retry(self, item_id: int) -> ResponseReturnValue:
        """Send a failed record again (administrators; audited)."""
        try:
            item = retry(db.session, item_id, g.user)
            db.session.commit()
        except RetryRefused as refused:
            db.session.rollback()
            flash(str(refused), "danger")
        else:
            flash(
                gettext("Record #%(id)s is queued again and will be sent shortly.", id=item.id),
                "success",
            )
        return redirect(url_for(".list"))


def register(appbuilder: AppBuilder) -> None:
    """Queue records for the national database from now on; add the status page and the
    code mapping table (system administrators only: no role lists it)."""
    install_outbox_capture()
    category = {
        "category": "Interoperability",
        "category_label": _l("Interoperability"),
        "category_icon": "fa-share-alt",
    }
    appbuilder.add_view(
        NationalOutboxView,
        "National database outbox",
        label=_l("National database outbox"),
        icon="fa-exchange",
        **category,
    )
    appbuilder.add_view(
        NationalCodeModelView,
        "National codes",
        label=_l("National codes"),
        icon="fa-exchange",
        **category,
    )
