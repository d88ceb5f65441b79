"""The dashboard page (R8, R24): charts of petitions, complaint dossiers, tasks and what is
overdue, for a period and a scope within THE data scope; each bar or slice opens the list
behind it: the petition list with its filters, the complaint dossier list, the overdue
task list of the agency; the tasks of the period open the agency ranking of the period
(their figures agency by agency). Charts are drawn by Chart.js served from
app/static/vendor (never a CDN); every chart also has its figures as a table with the
same links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from flask import g, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from app.agencies.models import Agency
from app.complaints.choices import DOSSIER_STATUSES, FIRST_INSTANCE_RESULTS, SECOND_INSTANCE_RESULTS
from app.core.clock import today_local
from app.extensions import db
from app.figures.cache import cached, figure_key
from app.petitions.choices import KINDS
from app.reports import dashboard
from app.reports.dashboard import Filters
from app.reports.views import default_scope, scope_choices
from app.security.scope import ids_in_scope, scope_signature
from app.tasks.choices import COMPLETION
from app.tasks.choices import STATUSES as TASK_STATUSES
from app.ui.dates import format_vn_date, format_vn_datetime, parse_vn_date

# Months shown when no period is chosen: this one and the eleven before it.
DEFAULT_MONTHS = 12
# The lists behind the charts, by endpoint.
DOSSIER_LIST = "ComplaintDossierListView.list"
OVERDUE_TASKS = "OverdueTasksView.list"


@dataclass
class Chart:
    """One chart as the page script draws it: its kind, labels and datasets, each value
    with the address of the list behind it."""

    id: str
    title: str
    kind: str
    labels: list[str] = field(default_factory=list)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    horizontal: bool = False
    stacked: bool = False

    def add(self, label: str, values: list[int], links: list[str]) -> None:
        """Add a dataset: its legend, one value and one link per label."""
        self.datasets.append({"label": label, "data": values, "links": links})

    @property
    def total(self) -> int:
        """The sum of every value of the chart."""
        return sum(sum(dataset["data"]) for dataset in self.datasets)


def default_start(today: dt.date) -> dt.date:
    """R8: the first day of the default period: the 1st of the month ``DEFAULT_MONTHS - 1``
    months before ``today``'s (this month and the eleven before it)."""
    months = today.year * 12 + today.month - 1 - (DEFAULT_MONTHS - 1)
    return dt.date(months // 12, months % 12 + 1, 1)


def _filters(args: Mapping[str, str]) -> tuple[Filters, list[str]]:
    errors = []
    today = today_local()
    first = default_start(today)
    start, end = first, today
    try:
        start = parse_vn_date(args["start"]) if args.get("start") else first
        end = parse_vn_date(args["end"]) if args.get("end") else today
    except ValueError:
        errors.append(gettext("Enter the dates as dd/mm/yyyy."))
        start, end = first, today
    if end < start:
        errors.append(gettext("The period ends before it starts."))
        start, end = first, today
    root = None
    scope = args.get("scope", "")
    if scope.isdigit() and int(scope) in ids_in_scope(Agency, [int(scope)], g.user):
        root = db.session.get(Agency, int(scope))
    elif scope:
        errors.append(gettext("This agency is outside your data scope."))
    root = root or default_scope(db.session, g.user)
    return Filters(start, end, root, g.user, today), errors


def _petition_link(f: Filters, **args: Any) -> str:
    base = {
        "agency_id": f.root.id,
        "received_from": format_vn_date(f.start),
        "received_to": format_vn_date(f.end),
    }
    return url_for("PetitionListView.list", **{**base, **args})


def _dossier_link(f: Filters, **args: Any) -> str:
    """The complaint dossier list (issue 4) with the chart's filter; it lists the user's
    whole scope, or one agency's dossiers when the dashboard shows a narrower scope."""
    whole = default_scope(db.session, f.user)
    scope = {} if whole is not None and whole.id == f.root.id else {"agency_id": f.root.id}
    return url_for(DOSSIER_LIST, **scope, **args)


def _ranking_link(f: Filters) -> str:
    """The agency ranking of the period: each agency's tasks assigned and completed."""
    return url_for(
        "RankingView.index",
        scope=f.root.id,
        kind="custom",
        start=format_vn_date(f.start),
        end=format_vn_date(f.end),
    )


def _keyed(chart: Chart, counts: dict[Any, int], labels: Mapping[str, Any], link: Any) -> Chart:
    keys = [key for key in labels if counts.get(key)] + [
        key for key in counts if key not in labels and key is not None
    ]
    chart.labels = [str(labels.get(key, key)) for key in keys]
    chart.add(chart.title, [counts[key] for key in keys], [link(key) for key in keys])
    return chart


def _month_link(f: Filters, first: dt.date) -> str:
    after = (first + dt.timedelta(days=32)).replace(day=1)
    last = min(after - dt.timedelta(days=1), f.end)
    return _petition_link(
        f, received_from=format_vn_date(max(first, f.start)), received_to=format_vn_date(last)
    )


def _ranked(chart: Chart, counts: list[dashboard.Count], legend: str, link: Any) -> Chart:
    chart.labels = [count.label for count in counts]
    chart.add(legend, [count.value for count in counts], [link(count) for count in counts])
    return chart


@dataclass
class Dashboard:
    """The charts of the page, the totals shown above them and when they were counted."""

    charts: list[Chart]
    totals: dict[str, int]
    computed_at: dt.datetime


def dashboard_figures(f: Filters) -> tuple[dashboard.Figures, dt.datetime]:
    """The dashboard's figures for ``f`` and when they were computed: shared by every
    user of the same data scope, period and language for FIGURE_CACHE_SECONDS."""
    key = figure_key(
        "dashboard",
        f.root.id,
        f.start.isoformat(),
        f.end.isoformat(),
        f.today.isoformat(),
        scope_signature(f.user),
        str(get_locale()),
    )
    stored, computed_at = cached(
        key, lambda: dashboard.figures_json(dashboard.compute_figures(db.session, f))
    )
    return dashboard.figures_from_json(stored), computed_at


def build_dashboard(f: Filters) -> Dashboard:
    """R8: every chart of the dashboard for the filters, with the links behind them, and
    the totals of the period (petitions, dossiers, tasks) and of what is overdue today;
    the figures computed at most FIGURE_CACHE_SECONDS ago for the same scope and period
    (app.figures.cache), and when."""
    figures, computed_at = dashboard_figures(f)
    petitions = gettext("Petitions")
    by_month = _ranked(
        Chart("petitions-month", gettext("Petitions received by month"), "bar"),
        figures.by_month,
        petitions,
        lambda count: _month_link(f, count.key),
    )
    by_kind = _keyed(
        Chart("petitions-kind", gettext("Petitions by kind"), "doughnut"),
        figures.by_kind,
        KINDS,
        lambda key: _petition_link(f, kind=key),
    )
    by_area = _ranked(
        Chart("petitions-area", gettext("Petitions by subject area"), "bar", horizontal=True),
        figures.by_area,
        petitions,
        lambda count: _petition_link(f, subject_area_id=count.key),
    )
    by_agency = _ranked(
        Chart("petitions-agency", gettext("Petitions by agency"), "bar", horizontal=True),
        figures.by_agency,
        petitions,
        lambda count: _petition_link(f, agency_id=count.key, only_agency=1),
    )
    dossiers = _keyed(
        Chart("dossiers-status", gettext("Complaint dossiers by status"), "doughnut"),
        figures.dossiers,
        DOSSIER_STATUSES,
        lambda key: _dossier_link(f, status=key),
    )
    decisions = _keyed(
        Chart("decisions-result", gettext("Resolution decisions by result"), "bar"),
        figures.decisions,
        {**FIRST_INSTANCE_RESULTS, **SECOND_INSTANCE_RESULTS, "withdrawn": _l("Withdrawn")},
        lambda key: _dossier_link(f, result=key),
    )
    tasks = _keyed(
        Chart("tasks-status", gettext("Tasks assigned in the period by status"), "doughnut"),
        figures.tasks,
        TASK_STATUSES,
        lambda key: _ranking_link(f),
    )
    timeliness = _keyed(
        Chart("tasks-completion", gettext("Tasks completed by timeliness"), "bar"),
        figures.timeliness,
        COMPLETION,
        lambda key: _ranking_link(f),
    )
    rows = figures.overdue
    shown = rows[: dashboard.TOP]
    overdue = Chart(
        "overdue-agency",
        gettext("Overdue today by agency"),
        "bar",
        note=gettext("Open today past their deadline, whatever the period."),
        horizontal=True,
        stacked=True,
    )
    overdue.labels = [name for _, name, _, _ in shown]
    overdue.add(
        gettext("Tasks"),
        [count for _, _, count, _ in shown],
        [url_for(OVERDUE_TASKS, agency=agency_id) for agency_id, *_ in shown],
    )
    overdue.add(
        petitions,
        [count for *_, count in shown],
        [
            url_for("PetitionListView.list", agency_id=agency_id, deadline="overdue")
            for agency_id, *_ in shown
        ],
    )
    totals = {
        "petitions": by_kind.total,
        "dossiers": dossiers.total,
        "tasks": tasks.total,
        "overdue_tasks": sum(row[2] for row in rows),
        "overdue_petitions": sum(row[3] for row in rows),
    }
    charts = [by_month, by_kind, by_area, by_agency, dossiers, decisions, tasks, timeliness]
    return Dashboard([*charts, overdue], totals, computed_at)


class DashboardView(BaseView):
    """R8, R24: the dashboard of the user's scope."""

    route_base = "/reports/dashboard"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> ResponseReturnValue:
        """R8: the charts for the chosen period and scope (default: the last twelve months
        of the user's whole scope)."""
        filters, errors = _filters(request.args)
        board = build_dashboard(filters)
        scopes = scope_choices(db.session, g.user)
        return self.render_template(
            "reports/dashboard.html",
            filters=filters,
            errors=errors,
            charts=board.charts,
            totals=board.totals,
            computed_at=format_vn_datetime(board.computed_at),
            payload=[asdict(chart) for chart in board.charts],
            scopes=scopes,
            base_depth=min((agency.depth for agency in scopes), default=0),
        )


def register(appbuilder: AppBuilder) -> None:
    """Add the dashboard to the reports menu."""
    appbuilder.add_view(
        DashboardView,
        "Dashboard",
        label=_l("Dashboard"),
        icon="fa-bar-chart",
        category="Reports and statistics",
        category_label=_l("Reports and statistics"),
    )
