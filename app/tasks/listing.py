"""The task lists of each role, as SQL under THE data scope (R11, R15, R17, R25).

- ``assigned``: tasks given by documents of the user's assigning agency or its office
  ("Nhiệm vụ đã giao");
- ``agency``: tasks received by the user's agency or an agency under it ("Nhiệm vụ của
  cơ quan");
- ``overdue``: tasks of either side still owed a report past their deadline, judged on
  today's date (app.tasks.flags.overdue_condition, the rule of the daily flag);
- ``review``: tasks whose report awaits the user's office (R17), oldest report first.

Filters: receiving agency, status, completion (early / on time / late), deadline period
and a search in the document's number, symbol and summary. A province-wide user
(administrator, monitor) sees every task of each list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency
from app.figures.counts import count_rows, exact_or_recent
from app.security.scope import scope_agency_ids, scope_condition
from app.tasks.choices import COMPLETION, OPEN_STATUSES, STATUSES
from app.tasks.flags import AWAITING_AGENCY, overdue_condition
from app.tasks.models import AssignmentDocument, Task, TaskReport
from app.ui.dates import INVALID_DATE, format_vn_date, parse_vn_date

SIDES = ("assigned", "agency", "overdue", "review")
# The document joined to listed tasks, aliased so that the scope's subqueries on
# assignment_document stay uncorrelated.
LISTED = aliased(AssignmentDocument, name="listed_document")
PAGE_SIZE = 50
# Longest search text taken.
SEARCH_LIMIT = 100


@dataclass
class TaskFilters:
    """What a list is narrowed to; empty values do not filter."""

    agency_id: int | None = None
    status: str | None = None
    completion: str | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    text: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def narrowing(self) -> bool:
        """True when a filter narrows the list."""
        return bool(self.as_args())

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (links, export)."""
        args = {
            "agency": str(self.agency_id or ""),
            "status": self.status or "",
            "completion": self.completion or "",
            "deadline_from": format_vn_date(self.deadline_from),
            "deadline_to": format_vn_date(self.deadline_to),
            "q": self.text,
        }
        return {name: value for name, value in args.items() if value}


def parse_filters(args: Mapping[str, str]) -> TaskFilters:
    """The filters of a list from its query string; an unreadable date is reported on
    its field and ignored."""
    filters = TaskFilters()
    agency = (args.get("agency") or "").strip()
    filters.agency_id = int(agency) if agency.isdigit() else None
    filters.status = args.get("status") if args.get("status") in STATUSES else None
    filters.completion = args.get("completion") if args.get("completion") in COMPLETION else None
    for name in ("deadline_from", "deadline_to"):
        text = (args.get(name) or "").strip()
        if not text:
            continue
        try:
            setattr(filters, name, parse_vn_date(text))
        except ValueError:
            filters.errors[name] = str(INVALID_DATE)
    filters.text = (args.get("q") or "").strip()[:SEARCH_LIMIT]
    return filters


def _document_side(user: Any) -> ColumnElement[bool]:
    """Tasks given by documents of the user's assigning agency or office (R3)."""
    ids = scope_agency_ids(user)
    if ids is None:
        return true()
    return Task.document_id.in_(
        select(AssignmentDocument.id).where(
            or_(
                AssignmentDocument.assigning_agency_id.in_(ids),
                AssignmentDocument.office_agency_id.in_(ids),
            )
        )
    )


def _receiving_side(user: Any) -> ColumnElement[bool]:
    """Tasks received by the user's agency or an agency under it (R15)."""
    ids = scope_agency_ids(user)
    return true() if ids is None else Task.receiving_agency_id.in_(ids)


def side_condition(side: str, user: Any, today: dt.date) -> ColumnElement[bool]:
    """SQL: the tasks of one list for ``user`` on ``today`` (see the module docstring)."""
    if side == "assigned":
        return _document_side(user)
    if side == "agency":
        return _receiving_side(user)
    if side == "review":
        return and_(_document_side(user), Task.status == "reported")
    if side == "overdue":
        return and_(scope_condition(Task, user), overdue_condition(today))
    raise ValueError(f"unknown task list {side!r}")


def _filtered(query: Select, filters: TaskFilters) -> Select:
    if filters.agency_id is not None:
        query = query.where(Task.receiving_agency_id == filters.agency_id)
    if filters.status:
        query = query.where(Task.status == filters.status)
    if filters.completion:
        query = query.where(Task.completion == filters.completion)
    if filters.deadline_from:
        query = query.where(Task.deadline >= filters.deadline_from)
    if filters.deadline_to:
        query = query.where(Task.deadline <= filters.deadline_to)
    if filters.text:
        reference = LISTED.number.concat("/").concat(LISTED.symbol)
        query = query.where(
            or_(
                LISTED.summary.icontains(filters.text, autoescape=True),
                reference.icontains(filters.text, autoescape=True),
            )
        )
    return query


def task_query(
    side: str, filters: TaskFilters, user: Any, today: dt.date, *, with_status: bool = True
) -> Select:
    """The tasks of one list, filtered: open ones first by deadline (the review queue:
    the oldest report first), then the closed ones, latest deadline first."""
    query = (
        select(Task)
        .join(LISTED, LISTED.id == Task.document_id)
        .where(side_condition(side, user, today))
    )
    if not with_status:
        filters = TaskFilters(**{**filters.__dict__, "status": None})
    query = _filtered(query, filters)
    if side == "review":
        sent = (
            select(func.max(TaskReport.sent_at))
            .where(TaskReport.task_id == Task.id)
            .scalar_subquery()
        )
        return query.order_by(sent, Task.id)
    still_open = case((Task.status.in_(OPEN_STATUSES), 0), else_=1)
    return query.order_by(still_open, Task.deadline, Task.id.desc())


def row_options() -> tuple:
    """Loader options of a list's rows (document, agencies, reports)."""
    return (
        selectinload(Task.document).selectinload(AssignmentDocument.assigning_agency),
        selectinload(Task.receiving_agency),
        selectinload(Task.reports),
    )


def count(session: Session, query: Select) -> int:
    """How many rows ``query`` selects (app.figures.counts)."""
    return count_rows(session, query)


def page_of(session: Session, query: Select, page: int, size: int = PAGE_SIZE) -> list[Task]:
    """One page (from 1) of the rows of ``query``."""
    return list(
        session.scalars(query.options(*row_options()).offset((page - 1) * size).limit(size))
    )


def status_counts(session: Session, query: Select, rows: int | None = None) -> dict[str, int]:
    """How many tasks of ``query`` (without its status filter) are in each status
    (app.figures.counts: of the last minutes for a list of thousands; ``rows``: the
    number of tasks of ``query`` when known)."""
    listed = query.order_by(None).subquery()
    counted = select(listed.c.status, func.count()).group_by(listed.c.status)
    return exact_or_recent(
        session,
        query,
        "task-status-counts",
        lambda: {status: number for status, number in session.execute(counted)},
        rows=rows,
    )


def receiving_agencies(
    session: Session, side: str, user: Any, today: dt.date, rows: int | None = None
) -> list[Agency]:
    """The receiving agencies appearing in a list (its agency filter), by name
    (app.figures.counts: of the last minutes for a list of thousands; ``rows``: the
    number of tasks of the unfiltered list when known)."""
    tasks = select(Task.receiving_agency_id).where(side_condition(side, user, today))
    ids = exact_or_recent(
        session,
        tasks,
        "task-list-agencies",
        lambda: sorted(set(session.scalars(tasks.distinct()))),
        rows=rows,
    )
    return list(session.scalars(select(Agency).where(Agency.id.in_(ids)).order_by(Agency.name_key)))


def is_overdue(task: Task, today: dt.date) -> bool:
    """The task is owed a report past its deadline (the rule of app.tasks.flags)."""
    return task.status in AWAITING_AGENCY and task.deadline < today


def list_title(side: str) -> str:
    """The title of a list."""
    return {
        "assigned": gettext("Tasks assigned"),
        "agency": gettext("Tasks of my agency"),
        "overdue": gettext("Overdue tasks"),
        "review": gettext("Reports awaiting review"),
    }[side]
