"""The "Tổng hợp báo cáo" pages (R24): the stored summaries of the user's data scope with
their downloads, ad hoc summaries compiled in the background with a progress bar polled
by htmx, freezing a month after review and compiling it again with the differences.

Who may do what: reading, downloading and asking for ad hoc summaries is for the report
roles (app.security.roles READ_SUMMARIES); freezing and compiling a month again is for
the Citizen Reception Board's monitors (FREEZE_SUMMARIES). Every summary, file and scope
is checked against THE data scope (404 outside it).
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.agencies.models import Agency
from app.core.clock import today_local
from app.extensions import db
from app.files.access import register_owner
from app.files.storage import stored_path
from app.reports import background
from app.reports.models import (
    DRAFT,
    MONTHLY,
    QUEUED,
    RUNNING,
    SUMMARY_KINDS,
    SUMMARY_STATUSES,
    Summary,
    SummaryFile,
)
from app.reports.periods import PERIOD_KINDS, cutoff_rules, previous_month
from app.reports.summaries import (
    SummaryActionRefused,
    freeze,
    latest_versions,
    mark_interrupted,
    request_adhoc,
    request_recompile,
    versions,
)
from app.reports.summary_cells import display_number
from app.reports.views import ReportRequestError, default_scope, period_from, scope_choices
from app.security.models import AppUser
from app.security.scope import ids_in_scope, scope_condition

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _summary_or_404(pk: int) -> Summary:
    summary = db.session.scalar(
        select(Summary).where(Summary.id == pk, scope_condition(Summary, g.user))
    )
    return summary if summary is not None else abort(404)


def _user_names(ids: set[int | None]) -> dict[int, str]:
    """Full names in Vietnamese order: family and middle names (FAB's first name), then
    the given name (as app.home.profile.full_name)."""
    wanted = {user_id for user_id in ids if user_id is not None}
    if not wanted:
        return {}
    query = select(AppUser.id, AppUser.first_name, AppUser.last_name, AppUser.username)
    rows = db.session.execute(query.where(AppUser.id.in_(wanted)))
    return {
        row.id: " ".join(part for part in (row.first_name, row.last_name) if part) or row.username
        for row in rows
    }


def _can(permission: str) -> bool:
    return current_app.appbuilder.sm.has_access(permission, SummaryView.__name__)


class SummaryView(BaseView):
    """R24: stored summaries, ad hoc requests, freezing and recompiling."""

    route_base = "/reports/summaries"
    default_view = "list"
    method_permission_name = {
        "list": "list",
        "show": "list",
        "progress": "list",
        "download": "list",
        "request_adhoc": "request",
        "freeze": "freeze",
        "recompile": "freeze",
    }

    def _list_page(self, errors: list[str], status: int = 200) -> ResponseReturnValue:
        text = request.args.get("page", "")
        page = max(int(text), 1) if text.isdigit() else 1
        in_scope = scope_condition(Summary, g.user)
        query = (
            select(Summary)
            .join(Agency, Agency.id == Summary.agency_id)
            .where(in_scope, Summary.id.in_(latest_versions()))
            .options(selectinload(Summary.files), selectinload(Summary.agency))
            .order_by(Summary.period_end.desc(), Summary.kind.desc(), Agency.path, Summary.id)
        )
        summaries = list(
            db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
        )
        period = previous_month(today_local())
        scopes = scope_choices(db.session, g.user)
        default = default_scope(db.session, g.user)
        names = _user_names(
            {s.compiled_by_id for s in summaries} | {s.requested_by_id for s in summaries}
        )
        return (
            self.render_template(
                "reports/summaries.html",
                summaries=summaries[:PAGE_SIZE],
                page=page,
                more=len(summaries) > PAGE_SIZE,
                names=names,
                kinds=SUMMARY_KINDS,
                statuses=SUMMARY_STATUSES,
                period_kinds=PERIOD_KINDS,
                rules=cutoff_rules(),
                period=period,
                scopes=scopes,
                base_depth=min((agency.depth for agency in scopes), default=0),
                default_scope_id=default.id if default else None,
                args=request.form if request.method == "POST" else {},
                errors=errors,
                can_request=_can("can_request"),
            ),
            status,
        )

    @expose("/")
    @has_access
    def list(self) -> ResponseReturnValue:
        """R24: the latest version of each summary in the user's scope, newest period
        first, with the ad hoc request form."""
        return self._list_page([])

    @expose("/request", methods=["POST"])
    @has_access
    def request_adhoc(self) -> ResponseReturnValue:
        """R24: queue an ad hoc summary of any period and scope within the data scope and
        compile it in the background; the summary's page shows the progress."""
        try:
            period = period_from(request.form)
        except ReportRequestError as exc:
            return self._list_page([str(exc)], 400)
        scope_id = request.form.get("scope", "")
        agency = None
        if scope_id.isdigit() and int(scope_id) in ids_in_scope(Agency, [int(scope_id)], g.user):
            agency = db.session.get(Agency, int(scope_id))
        if agency is None:
            return self._list_page([gettext("This agency is outside your data scope.")], 400)
        rule = (
            None if request.form.get("kind") == "custom" else request.form.get("rule", "calendar")
        )
        summary = request_adhoc(db.session, period, rule, agency, g.user)
        db.session.commit()
        background.start(current_app._get_current_object(), summary.id, g.user.id)
        return redirect(url_for(".show", pk=summary.id))

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int) -> ResponseReturnValue:
        """R24: a summary: its state or progress, its files, the differences from the
        frozen version, its other versions; freeze and compile again."""
        summary = _summary_or_404(pk)
        if mark_interrupted(db.session, summary):
            db.session.commit()
        series = versions(db.session, summary.series)
        names = _user_names(
            {s.compiled_by_id for s in series}
            | {s.requested_by_id for s in series}
            | {s.frozen_by_id for s in series}
        )
        return self.render_template(
            "reports/summary.html",
            summary=summary,
            series=series,
            names=names,
            kinds=SUMMARY_KINDS,
            statuses=SUMMARY_STATUSES,
            number=display_number,
            can_freeze=_can("can_freeze") and summary.kind == MONTHLY and summary.status == DRAFT,
            can_recompile=_can("can_freeze")
            and summary.kind == MONTHLY
            and summary.status not in (QUEUED, RUNNING)
            and summary.id == series[0].id,
        )

    @expose("/<int:pk>/progress")
    @has_access
    def progress(self, pk: int) -> ResponseReturnValue:
        """R24: the state block of a summary, polled by its page while it is compiled
        (htmx); once finished, the page reloads to show the files."""
        summary = _summary_or_404(pk)
        if mark_interrupted(db.session, summary):
            db.session.commit()
        body = self.render_template(
            "reports/_summary_progress.html", summary=summary, statuses=SUMMARY_STATUSES
        )
        if summary.status in (QUEUED, RUNNING):
            return body
        return body, 200, {"HX-Refresh": "true"}

    @expose("/<int:pk>/files/<int:file_id>")
    @has_access
    def download(self, pk: int, file_id: int) -> ResponseReturnValue:
        """R24: one form's workbook of a summary in the user's scope (404 otherwise)."""
        summary = _summary_or_404(pk)
        file = db.session.scalar(
            select(SummaryFile).where(
                SummaryFile.id == file_id, SummaryFile.summary_id == summary.id
            )
        )
        if file is None or file.stored_file.deleted_at is not None:
            abort(404)
        path = stored_path(file.stored_file)
        if not path.is_file():
            abort(404)
        response = send_file(
            path,
            mimetype=XLSX,
            as_attachment=True,
            download_name=file.stored_file.original_name,
            max_age=0,
            etag=file.stored_file.sha256,
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/<int:pk>/freeze", methods=["POST"])
    @has_access
    def freeze(self, pk: int) -> ResponseReturnValue:
        """R24: freeze the summary after review."""
        summary = _summary_or_404(pk)
        try:
            freeze(db.session, summary, g.user)
        except SummaryActionRefused as exc:
            flash(str(exc), "warning")
            return redirect(url_for(".show", pk=pk))
        db.session.commit()
        flash(gettext("The summary is frozen: its figures will not change."), "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/recompile", methods=["POST"])
    @has_access
    def recompile(self, pk: int) -> ResponseReturnValue:
        """R24: compile the month again in the background (a new version once frozen)."""
        summary = _summary_or_404(pk)
        try:
            target = request_recompile(db.session, summary, g.user)
        except SummaryActionRefused as exc:
            flash(str(exc), "warning")
            return redirect(url_for(".show", pk=pk))
        db.session.commit()
        background.start(current_app._get_current_object(), target.id, g.user.id)
        return redirect(url_for(".show", pk=target.id))


def register(appbuilder: AppBuilder) -> None:
    """Add the summaries page to the reports menu; summaries own their stored files."""
    register_owner(Summary)
    appbuilder.add_view(
        SummaryView,
        "Summaries",
        label=_l("Summaries"),
        icon="fa-archive",
        category="Reports and statistics",
        category_label=_l("Reports and statistics"),
    )
