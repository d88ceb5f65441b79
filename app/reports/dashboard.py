"""The figures of the dashboard (R8, R24): petitions by month, kind, subject area and agency;
complaint dossiers by status and decisions by result; tasks by status and timeliness; what
is overdue by agency — for a period and a scope, within THE data scope.

Each figure is one ``GROUP BY`` query restricted to the scope's subtree and to the user's
data scope (app.security.scope). The period counts petitions by the day they were
received, dossiers by the day they were received, decisions by their date, tasks by the
issue of their document and completions by their acceptance; overdue items are those
open today past their deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency
from app.complaints.models import ComplaintDossier, ResolutionDecision
from app.core.clock import LOCAL_TZ, local_to_utc
from app.petitions.choices import KINDS
from app.petitions.choices import OPEN_STATUSES as OPEN_PETITION_STATUSES
from app.petitions.models import Petition, SubjectArea
from app.security.scope import scope_condition, subtree_ids
from app.tasks.flags import overdue_condition
from app.tasks.models import AssignmentDocument, Task

# How many agencies or subject areas a chart names (the largest counts).
TOP = 12


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows: a period (both days included), a scope (an agency and its
    subtree, already checked against the data scope) and the reader."""

    start: dt.date
    end: dt.date
    root: Agency
    user: Any
    today: dt.date

    @property
    def start_utc(self) -> dt.datetime:
        """Local midnight of the first day, in UTC."""
        return local_to_utc(dt.datetime.combine(self.start, dt.time()))

    @property
    def end_utc(self) -> dt.datetime:
        """Local midnight after the last day, in UTC."""
        return local_to_utc(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()))


@dataclass(frozen=True)
class Count:
    """One bar or slice: its key (kind, status, id, month …), its label and its count."""

    key: Any
    label: str
    value: int


def _in_scope(model: type, agency: ColumnElement, f: Filters) -> ColumnElement[bool]:
    return and_(agency.in_(subtree_ids(f.root)), scope_condition(model, f.user))


def _received(f: Filters) -> ColumnElement[bool]:
    return and_(
        Petition.deleted_at.is_(None),
        Petition.received_at >= f.start_utc,
        Petition.received_at < f.end_utc,
        _in_scope(Petition, Petition.agency_id, f),
    )


def _local_month(session: Session, timestamp: ColumnElement) -> ColumnElement:
    hours = int(dt.datetime(2000, 1, 1, tzinfo=LOCAL_TZ).utcoffset().total_seconds() // 3600)
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", timestamp, f"{hours:+d} hours")
    return func.to_char(timestamp + literal_column(f"INTERVAL '{hours} hours'"), "YYYY-MM")


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def petitions_by_month(session: Session, f: Filters) -> list[Count]:
    """R8: petitions received per calendar month of the period (every month listed)."""
    month = _local_month(session, Petition.received_at).label("month")
    rows = dict(
        session.execute(
            select(month, func.count(Petition.id)).where(_received(f)).group_by(month)
        ).all()
    )
    return [
        Count(first, f"{first:%m/%Y}", int(rows.get(f"{first:%Y-%m}", 0)))
        for first in _months(f.start, f.end)
    ]


def petitions_by(session: Session, f: Filters, column: ColumnElement) -> dict[Any, int]:
    """R8: petitions received in the period, counted by the values of ``column``."""
    query = select(column, func.count(Petition.id)).where(_received(f)).group_by(column)
    return {key: int(count) for key, count in session.execute(query)}


def _area_label(name: str, applies_to: str) -> str:
    """A subject area as the petition list names it: the same name is used for complaints
    and for recommendations ("Chế độ, chính sách"), so the kind it applies to follows."""
    return f"{name} ({KINDS[applies_to]})" if applies_to in KINDS else name


def petitions_by_area(session: Session, f: Filters) -> list[Count]:
    """R8: petitions received by subject area, the largest first (``TOP`` of them)."""
    query = (
        select(
            SubjectArea.id,
            SubjectArea.name,
            SubjectArea.applies_to,
            func.count(Petition.id).label("n"),
        )
        .join(SubjectArea, SubjectArea.id == Petition.subject_area_id)
        .where(_received(f))
        .group_by(SubjectArea.id, SubjectArea.name, SubjectArea.applies_to)
        .order_by(func.count(Petition.id).desc(), SubjectArea.name)
        .limit(TOP)
    )
    return [
        Count(row.id, _area_label(row.name, row.applies_to), int(row.n))
        for row in session.execute(query)
    ]


def petitions_by_agency(session: Session, f: Filters) -> list[Count]:
    """R8: petitions received by the agency holding them, the largest first (``TOP``)."""
    counted = (
        select(Petition.agency_id, func.count(Petition.id).label("n"))
        .where(_received(f))
        .group_by(Petition.agency_id)
        .subquery()
    )
    query = (
        select(Agency.id, Agency.name, counted.c.n)
        .join(counted, counted.c.agency_id == Agency.id)
        .order_by(counted.c.n.desc(), Agency.name_key)
        .limit(TOP)
    )
    return [Count(row.id, row.name, int(row.n)) for row in session.execute(query)]


def dossiers_by_status(session: Session, f: Filters) -> dict[str, int]:
    """R8: complaint dossiers received in the period, by their status today."""
    D = ComplaintDossier
    query = (
        select(D.status, func.count(D.id))
        .where(
            D.deleted_at.is_(None),
            D.received_on >= f.start,
            D.received_on <= f.end,
            _in_scope(D, D.agency_id, f),
        )
        .group_by(D.status)
    )
    return {status: int(count) for status, count in session.execute(query)}


def decisions_by_result(session: Session, f: Filters) -> dict[str, int]:
    """R8: resolution decisions of the period by result; withdrawals as ``withdrawn``."""
    D, R = ComplaintDossier, ResolutionDecision
    result = func.coalesce(R.result, R.mode).label("result")
    query = (
        select(result, func.count(R.id))
        .join(D, D.id == R.dossier_id)
        .where(
            D.deleted_at.is_(None),
            R.decided_on >= f.start,
            R.decided_on <= f.end,
            _in_scope(D, D.agency_id, f),
        )
        .group_by(result)
    )
    return {key: int(count) for key, count in session.execute(query)}


def _tasks(f: Filters) -> ColumnElement[bool]:
    return and_(
        Task.deleted_at.is_(None),
        AssignmentDocument.deleted_at.is_(None),
        _in_scope(Task, Task.receiving_agency_id, f),
    )


def tasks_by_status(session: Session, f: Filters) -> dict[str, int]:
    """R8, R15–R19: tasks of the documents issued in the period, by their status today."""
    query = (
        select(Task.status, func.count(Task.id))
        .join(AssignmentDocument, AssignmentDocument.id == Task.document_id)
        .where(
            _tasks(f),
            AssignmentDocument.issued_at >= f.start_utc,
            AssignmentDocument.issued_at < f.end_utc,
        )
        .group_by(Task.status)
    )
    return {status: int(count) for status, count in session.execute(query)}


def tasks_by_completion(session: Session, f: Filters) -> dict[str, int]:
    """R19: tasks completed in the period, early, on time or late."""
    query = (
        select(Task.completion, func.count(Task.id))
        .join(AssignmentDocument, AssignmentDocument.id == Task.document_id)
        .where(_tasks(f), Task.completed_at >= f.start_utc, Task.completed_at < f.end_utc)
        .group_by(Task.completion)
    )
    return {completion: int(count) for completion, count in session.execute(query)}


def overdue_by_agency(session: Session, f: Filters) -> list[tuple[int, str, int, int]]:
    """R25: per agency, the tasks overdue today as the daily flags and the overdue task
    list count them (still owed by the agency past their deadline; app.tasks.flags) and
    the petitions not processed past their deadline (agency id, name, tasks, petitions),
    the most overdue first."""
    tasks = (
        select(
            Task.receiving_agency_id.label("agency_id"),
            func.count(Task.id).label("tasks"),
            literal_column("0").label("petitions"),
        )
        .join(AssignmentDocument, AssignmentDocument.id == Task.document_id)
        .where(_tasks(f), overdue_condition(f.today))
        .group_by(Task.receiving_agency_id)
    )
    petitions = (
        select(
            Petition.agency_id.label("agency_id"),
            literal_column("0").label("tasks"),
            func.count(Petition.id).label("petitions"),
        )
        .where(
            Petition.deleted_at.is_(None),
            Petition.status.in_(OPEN_PETITION_STATUSES),
            Petition.due_date < f.today,
            _in_scope(Petition, Petition.agency_id, f),
        )
        .group_by(Petition.agency_id)
    )
    both = tasks.union_all(petitions).subquery()
    total = (func.sum(both.c.tasks) + func.sum(both.c.petitions)).label("total")
    query = (
        select(Agency.id, Agency.name, func.sum(both.c.tasks), func.sum(both.c.petitions))
        .join(both, both.c.agency_id == Agency.id)
        .group_by(Agency.id, Agency.name, Agency.name_key)
        .order_by(total.desc(), Agency.name_key)
    )
    return [(row[0], row[1], int(row[2]), int(row[3])) for row in session.execute(query)]


@dataclass(frozen=True)
class Figures:
    """Every count the dashboard shows for one set of filters."""

    by_month: list[Count]
    by_kind: dict[str, int]
    by_area: list[Count]
    by_agency: list[Count]
    dossiers: dict[str, int]
    decisions: dict[str, int]
    tasks: dict[str, int]
    timeliness: dict[str, int]
    overdue: list[tuple[int, str, int, int]]


def compute_figures(session: Session, f: Filters) -> Figures:
    """R8: every figure of the dashboard for ``f`` (one query each)."""
    return Figures(
        by_month=petitions_by_month(session, f),
        by_kind=petitions_by(session, f, Petition.kind),
        by_area=petitions_by_area(session, f),
        by_agency=petitions_by_agency(session, f),
        dossiers=dossiers_by_status(session, f),
        decisions=decisions_by_result(session, f),
        tasks=tasks_by_status(session, f),
        timeliness=tasks_by_completion(session, f),
        overdue=overdue_by_agency(session, f),
    )


def _counts_json(counts: list[Count]) -> list[list[Any]]:
    return [[count.key, count.label, count.value] for count in counts]


def _keyed_json(counts: dict[Any, int]) -> dict[str, int]:
    """A count by key as JSON; rows without a key (never charted) are left out."""
    return {key: count for key, count in counts.items() if key is not None}


def figures_json(figures: Figures) -> dict[str, Any]:
    """``figures`` as JSON, to be stored and shared (app.figures.cache)."""
    return {
        "by_month": [[c.key.isoformat(), c.label, c.value] for c in figures.by_month],
        "by_kind": _keyed_json(figures.by_kind),
        "by_area": _counts_json(figures.by_area),
        "by_agency": _counts_json(figures.by_agency),
        "dossiers": _keyed_json(figures.dossiers),
        "decisions": _keyed_json(figures.decisions),
        "tasks": _keyed_json(figures.tasks),
        "timeliness": _keyed_json(figures.timeliness),
        "overdue": [list(row) for row in figures.overdue],
    }


def figures_from_json(data: dict[str, Any]) -> Figures:
    """The figures ``figures_json`` stored."""
    return Figures(
        by_month=[Count(dt.date.fromisoformat(k), label, n) for k, label, n in data["by_month"]],
        by_kind=data["by_kind"],
        by_area=[Count(*row) for row in data["by_area"]],
        by_agency=[Count(*row) for row in data["by_agency"]],
        dossiers=data["dossiers"],
        decisions=data["decisions"],
        tasks=data["tasks"],
        timeliness=data["timeliness"],
        overdue=[tuple(row) for row in data["overdue"]],
    )
