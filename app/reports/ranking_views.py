"""The agency ranking page (R26): the agencies of a scope ranked for a period, with the
scoring method written on the page (weights from the settings) and the Excel export (the
XH-01 figures and the scored ranking, rendered by the form engine)."""

from __future__ import annotations

from flask import Response, current_app, g, request
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.agencies.models import Agency
from app.core.clock import today_local
from app.extensions import db
from app.reports.compute import ReportCheckFailed, verify
from app.reports.periods import PERIOD_KINDS, cutoff_rules, previous_month
from app.reports.ranking import INDICATORS, RankingUnavailable, rank_agencies, scored_table
from app.reports.summaries import DEFAULT_PLACE
from app.reports.views import (
    XLSX,
    ReportRequestError,
    default_scope,
    period_from,
    scope_choices,
)
from app.reports.xlsx import render
from app.security.scope import ids_in_scope


def _root(value: str) -> Agency:
    if not value:
        root = default_scope(db.session, g.user)
    elif value.isdigit() and int(value) in ids_in_scope(Agency, [int(value)], g.user):
        root = db.session.get(Agency, int(value))
    else:
        root = None
    if root is None:
        raise ReportRequestError(gettext("This agency is outside your data scope."))
    return root


class RankingView(BaseView):
    """R26: agency ranking per period and scope, with its method and Excel export."""

    route_base = "/reports/ranking"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> ResponseReturnValue:
        """R26: the ranking of the chosen period (default: last month) and scope."""
        errors, ranking = [], None
        args = request.args
        try:
            period = period_from(args) if args else previous_month(today_local())
            root = _root(args.get("scope", ""))
            ranking = rank_agencies(db.session, period, root, g.user)
        except (ReportRequestError, RankingUnavailable) as exc:
            errors.append(str(exc))
            period = previous_month(today_local())
        scopes = scope_choices(db.session, g.user)
        default = default_scope(db.session, g.user)
        return self.render_template(
            "reports/ranking.html",
            ranking=ranking,
            rows=ranking.frame.to_dict("records") if ranking else [],
            indicators=INDICATORS,
            errors=errors,
            period=period,
            period_kinds=PERIOD_KINDS,
            rules=cutoff_rules(),
            args=args,
            scopes=scopes,
            base_depth=min((agency.depth for agency in scopes), default=0),
            default_scope_id=default.id if default else None,
        ), (400 if errors else 200)

    @expose("/export")
    @has_access
    def export(self) -> ResponseReturnValue:
        """R26: the ranking as a workbook: the scored ranking and the XH-01 figures."""
        try:
            period = period_from(request.args)
            root = _root(request.args.get("scope", ""))
            ranking = rank_agencies(db.session, period, root, g.user)
            verify(ranking.figures)
        except (ReportRequestError, RankingUnavailable, ReportCheckFailed) as exc:
            return Response(str(exc), status=400, mimetype="text/plain")
        place = current_app.config.get("REPORT_PLACE") or DEFAULT_PLACE
        content = render([scored_table(ranking), ranking.figures], root.name, place)
        name = f"XepHang_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
        response = Response(content, mimetype=XLSX)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def register(appbuilder: AppBuilder) -> None:
    """Add the ranking page to the reports menu."""
    appbuilder.add_view(
        RankingView,
        "Agency ranking",
        label=_l("Agency ranking"),
        icon="fa-trophy",
        category="Reports and statistics",
        category_label=_l("Reports and statistics"),
    )
