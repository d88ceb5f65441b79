"""The "Báo cáo, thống kê" page (R8, R21, R24): pick a form, a period and a scope within
the data scope, download the workbook.

The forms offered are those in force on the last day of the chosen period (a form of
another version is refused with the name of the one in force). The period is a month, a
quarter, the first 6 or 9 months or a year under a cut-off rule, or any dates; the scope
is an agency of the user's data scope and its subtree. A failed MS-row check or a form
file that cannot be used refuses the download with its message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, current_app, jsonify, request
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.agencies.models import Agency
from app.agencies.services import in_force
from app.core.clock import today_local
from app.reports.compute import ReportCheckFailed, compute_report, verify
from app.reports.forms import FormSpec, forms_in_force, load_forms
from app.reports.periods import (
    PERIOD_KINDS,
    Period,
    PeriodError,
    custom,
    cutoff_rules,
    periodic,
    previous_month,
)
from app.reports.xlsx import render, sheet_name
from app.security.scope import ids_in_scope, scope_condition, sees_whole_province, user_agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_PLACE = "Cao Lãnh"


class ReportRequestError(ValueError):
    """A download request that cannot be served; the message is shown to the user."""


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ReportRequestError(gettext("Enter the dates as dd/mm/yyyy.")) from None


def period_from(args: Any) -> Period:
    """R21, R24: the period asked for (a periodic one under a cut-off rule, or dates)."""
    kind = args.get("kind", "month")
    try:
        if kind == "custom":
            return custom(_date(args.get("start", "")), _date(args.get("end", "")))
        year = int(args.get("year") or today_local().year)
        return periodic(kind, year, int(args.get("number") or 1), args.get("rule", "calendar"))
    except (PeriodError, ValueError) as exc:
        raise ReportRequestError(str(exc)) from None


def scope_choices(session: Any, user: Any) -> list[Agency]:
    """The agencies a user may report on (their data scope), in tree order."""
    query = select(Agency).where(scope_condition(Agency, user), in_force(today_local()))
    return list(session.scalars(query.order_by(Agency.path)))


def default_scope(session: Any, user: Any) -> Agency | None:
    """The province for province-wide users, else the user's own agency."""
    if sees_whole_province(user):
        return session.scalar(
            select(Agency).where(Agency.depth == 0, in_force(today_local())).order_by(Agency.path)
        )
    return user_agency(user)


def _scope(session: Any, user: Any, value: str | None) -> Agency:
    if not value:
        agency = default_scope(session, user)
    else:
        try:
            agency_id = int(value)
        except ValueError:
            agency_id = -1
        agency = (
            session.get(Agency, agency_id)
            if agency_id in ids_in_scope(Agency, [agency_id], user)
            else None
        )
    if agency is None:
        raise ReportRequestError(gettext("This agency is outside your data scope."))
    return agency


def _form(key: str, period: Period) -> FormSpec:
    forms, errors = load_forms()
    if key not in forms:
        broken = [error for error in errors if error.file.rsplit(".", 1)[0] == key]
        raise ReportRequestError(str(broken[0]) if broken else gettext("Unknown report form."))
    form = forms[key]
    if not form.in_force(period.end):
        current = [f for f in forms_in_force(forms, period.end) if f.series == form.series]
        raise ReportRequestError(
            gettext(
                "Form %(code)s is not in force on %(date)s; use %(current)s.",
                code=form.code,
                date=period.end.strftime("%d/%m/%Y"),
                current=", ".join(f.code for f in current) or "—",
            )
        )
    return form


def build_workbook(session: Any, user: Any, args: Any) -> tuple[bytes, str]:
    """R21: the workbook asked for by ``args`` (form, period, scope) and its file name;
    ReportRequestError or ReportCheckFailed with the user's message otherwise."""
    period = period_from(args)
    form = _form(args.get("form", ""), period)
    root = _scope(session, user, args.get("scope"))
    table = compute_report(session, form, period, root, user)
    verify(table)
    place = current_app.config.get("REPORT_PLACE", DEFAULT_PLACE)
    content = render([table], root.name, place)
    name = f"{sheet_name(form.code)}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    return content, name


class ReportFormsView(BaseView):
    """Báo cáo, thống kê: official and our own report forms for any period and scope."""

    route_base = "/reports"
    default_view = "index"

    def _page(self, errors: list[str], status: int = 200) -> tuple[str, int]:
        session = self.appbuilder.session
        user = self.appbuilder.sm.current_user
        args = request.args
        try:
            period = period_from(args)
        except ReportRequestError as exc:
            errors = [*errors, str(exc)]
            period = previous_month(today_local())
        forms, broken = load_forms()
        scope = default_scope(session, user)
        scopes = scope_choices(session, user)
        page = self.render_template(
            "reports/index.html",
            forms=forms_in_force(forms, period.end),
            all_forms=sorted(forms.values(), key=lambda f: (f.series, f.code)),
            broken=broken,
            period=period,
            kinds=PERIOD_KINDS,
            rules=cutoff_rules(),
            scopes=scopes,
            base_depth=min((agency.depth for agency in scopes), default=0),
            args=args,
            default_scope_id=scope.id if scope else None,
            today=today_local(),
            errors=errors,
        )
        return page, status

    @expose("/")
    @has_access
    def index(self):
        """R21, R24: the page choosing form, period and scope."""
        return self._page([])

    @expose("/download")
    @has_access
    def download(self):
        """R21: the chosen form as an Excel workbook, or the page with the reason."""
        session = self.appbuilder.session
        user = self.appbuilder.sm.current_user
        try:
            content, name = build_workbook(session, user, request.args)
        except ReportCheckFailed as exc:
            return self._page([str(exc)], 422)
        except ReportRequestError as exc:
            return self._page([str(exc)], 400)
        response = Response(content, mimetype=XLSX)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @expose("/forms")
    @has_access
    def forms(self):
        """R21: the forms in force on the last day of the chosen period (JSON)."""
        try:
            period = period_from(request.args)
        except ReportRequestError as exc:
            return jsonify({"error": str(exc)}), 400
        forms, _ = load_forms()
        return jsonify(
            {
                "start": period.start.strftime("%d/%m/%Y"),
                "end": period.end.strftime("%d/%m/%Y"),
                "forms": [
                    {"key": form.key, "code": form.code, "title": form.title}
                    for form in forms_in_force(forms, period.end)
                ],
            }
        )


def register(appbuilder: AppBuilder) -> None:
    """Add the report page to the menu (R21, R24) and the summaries' REST API."""
    from app.reports.api import SummaryApi

    appbuilder.add_api(SummaryApi)
    appbuilder.add_view(
        ReportFormsView,
        "Report forms",
        label=_l("Report forms"),
        icon="fa-table",
        category="Reports and statistics",
        category_label=_l("Reports and statistics"),
    )
