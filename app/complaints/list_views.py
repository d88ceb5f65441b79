"""The list of complaint dossiers of the user's scope (R8, R11; issue 4): filters by agency,
instance, status, deadline state, result and timeliness, words typed, pages, rows coloured
by deadline state, and "Xuất Excel" of exactly the filtered list. Filters and page size
are remembered for the session.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Response, abort, g, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext

from app.calendar.store import load_calendar
from app.complaints import choices
from app.complaints.clock_display import STATE_CSS, STATE_LABELS, current_due, list_state
from app.complaints.export import dossiers_workbook
from app.complaints.listing import (
    PAGE_SIZES,
    RESULT_FILTERS,
    STATE_FILTERS,
    WITHDRAWN_RESULT,
    agencies_with_dossiers,
    complainant,
    count_dossiers,
    dossier_query,
    page_of,
    parse_filters,
)
from app.core.clock import today_local
from app.extensions import db
from app.security.scope import sees_whole_province
from app.ui.remembered_filters import page_and_size, remembered_args

EXPORT_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}\.xlsx")


def result_labels() -> dict[str, str]:
    """Vietnamese names of the result filter's values."""
    labels = {**choices.FIRST_INSTANCE_RESULTS, **choices.SECOND_INSTANCE_RESULTS}
    labels[WITHDRAWN_RESULT] = choices.DECISION_MODES["withdrawn"]
    return {key: str(labels[key]) for key in RESULT_FILTERS}


class ComplaintDossierListView(BaseView):
    """R8, R11: the dossiers of the user's scope, filtered and exported."""

    route_base = "/complaints/dossiers"
    default_view = "list"
    method_permission_name = {"list": "list", "export": "list"}

    @expose("/")
    @has_access
    def list(self):
        """The filtered list, one page, urgent dossiers first."""
        args = remembered_args("complaints.dossiers")
        filters = parse_filters(args)
        page, size = page_and_size(args, PAGE_SIZES)
        today = today_local()
        calendar = load_calendar(db.session)
        query = dossier_query(filters, g.user, today=today, calendar=calendar)
        total = count_dossiers(db.session, query)
        pages = max((total + size - 1) // size, 1)
        page = min(page, pages)
        rows = [
            (dossier, complainant(dossier), list_state(dossier, today, calendar))
            for dossier in page_of(db.session, query, page, size)
        ]
        link_args = {**filters.as_args(), "psize": str(size)}
        return self.render_template(
            "complaints/list.html",
            rows=rows,
            total=total,
            page=page,
            pages=pages,
            size=size,
            sizes=PAGE_SIZES,
            filters=filters,
            agency_options=[
                (agency.id, agency.name) for agency in agencies_with_dossiers(db.session, g.user)
            ],
            statuses=choices.DOSSIER_STATUSES,
            state_options=[(state, STATE_LABELS[state]) for state in STATE_FILTERS],
            state_labels=STATE_LABELS,
            state_css=STATE_CSS,
            result_labels=result_labels(),
            current_due=current_due,
            query_string=urlencode(link_args),
            province_wide=sees_whole_province(g.user),
            export_name=f"ho-so-khieu-nai-{today:%Y%m%d}.xlsx",
        )

    @expose("/export/<string:filename>")
    @has_access
    def export(self, filename: str):
        """R8: "Xuất Excel" — the filtered list as a workbook (scope applied in SQL)."""
        if not EXPORT_NAME.fullmatch(filename):
            abort(404)
        filters = parse_filters(request.args)
        today = today_local()
        calendar = load_calendar(db.session)
        query = dossier_query(filters, g.user, today=today, calendar=calendar)
        title = gettext(
            "Complaint dossiers — exported on %(date)s by %(user)s",
            date=today.strftime("%d/%m/%Y"),
            user=g.user.username,
        )
        content = dossiers_workbook(db.session, query, title=title, today=today, calendar=calendar)
        return Response(
            content,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
