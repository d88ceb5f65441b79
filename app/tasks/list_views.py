"""The task lists of each role (issue 5 "Lists per role"; R11, R15, R17, R25): tasks
assigned, tasks of my agency, overdue tasks, reports awaiting review — filters, rows
coloured by status, pages, and "Xuất Excel" of exactly the filtered list. Filters and page
size are remembered for the user's session (issue 8 ergonomics).
"""

from __future__ import annotations

from flask import Response, g
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext

from app.calendar.store import load_calendar
from app.core.clock import today_local
from app.extensions import db
from app.tasks.choices import COMPLETION, ROLES, STATUSES
from app.tasks.display import COMPLETION_CSS, STATUS_CSS, review_due
from app.tasks.export import tasks_workbook
from app.tasks.listing import (
    count,
    is_overdue,
    list_title,
    page_of,
    parse_filters,
    receiving_agencies,
    status_counts,
    task_query,
)
from app.tasks.workflow import pending_report
from app.ui.remembered_filters import PAGE_SIZES, page_and_size, remembered_args


class _TaskListView(BaseView):
    """One list of tasks of the user's scope (``side``, app.tasks.listing)."""

    side = ""
    default_view = "list"
    method_permission_name = {"list": "list", "export": "list"}

    @expose("/")
    @has_access
    def list(self) -> ResponseReturnValue:
        """The filtered list, one page, rows coloured by status (overdue rows in red)."""
        args = remembered_args(f"tasks.{self.side}")
        filters = parse_filters(args)
        today = today_local()
        query = task_query(self.side, filters, g.user, today)
        total = count(db.session, query)
        # Without filters the list is every task of its side: its count serves the
        # status chips and the agency filter too.
        unfiltered = None if filters.narrowing else total
        page, size = page_and_size(args)
        pages = max((total + size - 1) // size, 1)
        page = min(page, pages)
        tasks = page_of(db.session, query, page, size)
        calendar = load_calendar(db.session)
        pending = {task.id: pending_report(task) for task in tasks}
        return self.render_template(
            "tasks/list.html",
            side=self.side,
            title=list_title(self.side),
            endpoint=type(self).__name__,
            tasks=tasks,
            total=total,
            page=page,
            pages=pages,
            filters=filters,
            args={**filters.as_args(), "psize": str(size)},
            size=size,
            sizes=PAGE_SIZES,
            counts=status_counts(
                db.session,
                task_query(self.side, filters, g.user, today, with_status=False),
                rows=unfiltered,
            ),
            agencies=receiving_agencies(db.session, self.side, g.user, today, rows=unfiltered),
            overdue={task.id for task in tasks if is_overdue(task, today)},
            pending=pending,
            review_dues={
                pk: review_due(calendar, report) for pk, report in pending.items() if report
            },
            today=today,
            statuses=STATUSES,
            status_css=STATUS_CSS,
            completion=COMPLETION,
            completion_css=COMPLETION_CSS,
            roles=ROLES,
        )

    @expose("/export")
    @has_access
    def export(self) -> ResponseReturnValue:
        """The filtered list as an Excel workbook, every row."""
        filters = parse_filters(remembered_args(f"tasks.{self.side}"))
        today = today_local()
        query = task_query(self.side, filters, g.user, today)
        title = gettext(
            "%(title)s — exported %(date)s", title=list_title(self.side), date=f"{today:%d/%m/%Y}"
        )
        content = tasks_workbook(db.session, query, title=title, today=today)
        name = f"nhiem-vu-{self.side}-{today:%Y%m%d}.xlsx"
        return Response(
            content,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


class AssignedTasksView(_TaskListView):
    """R3, R17: tasks given by the user's assigning agency or office."""

    route_base = "/tasks/assigned"
    side = "assigned"


class AgencyTasksView(_TaskListView):
    """R15: "Nhiệm vụ của cơ quan" — tasks received by the user's agency and those under it."""

    route_base = "/tasks/inbox"
    side = "agency"


class OverdueTasksView(_TaskListView):
    """R25: tasks of either side owed a report past their deadline."""

    route_base = "/tasks/overdue"
    side = "overdue"


class ReviewQueueView(_TaskListView):
    """R17: reports waiting for the office's review, oldest first."""

    route_base = "/tasks/review"
    side = "review"
