"""Named metrics (R8, R21): what a report form's column counts, as SQL aggregations.

A form binds each numbered column to a metric and its parameters, written
``petitions_received{kind=complaint, signatories=many}`` (several values: ``kind=
recommendation|reflection``). Metrics belong to a family — one source table (with its
joins), one agency column and one set of filter parameters. The engine computes every
metric of a family a form needs in ONE ``GROUP BY agency`` query over the period and the
agencies of the chosen scope, each metric a conditional aggregate
(``SUM(CASE WHEN … THEN 1 ELSE 0 END)``, ``SUM(CASE … THEN amount …)``,
``COUNT(DISTINCT CASE … THEN key END)``); the data scope of the user is applied to the
family's model (app.security.scope). ``METRICS`` lists them all and ``describe()`` prints
them for the people who write form files.

Definitions (legal-domain.md §2–§5; the period is [start 00:00, end 24:00] local time):

* a petition is *to process* in a period when received before its end and not processed
  before its start: *carried over* when received before the start, *received* in it;
  *processed* when its processing (or filing as a repeat) falls in the period;
  *unprocessed* when still not processed at the end;
* a case (vụ việc) processed is counted once per agency, with the attributes of its
  last petition processed in the period (so that the case columns add up);
* signatories: ``many`` = 5 or more (TT 07/2014 Art. 6(4)(b)), ``one`` = 1 to 4,
  ``other`` = none (anonymous, or an organisation's petition);
* a reception visit counts by its date; a matter (vụ việc) is counted once per form of
  reception (regular, head in person, delegated) and first/repeat visit; a visit with no
  case is a matter of its own; sessions of the head are the distinct days he received;
* a dossier is *in charge* when accepted before the end and not closed before the start;
  decisions count by their date; an enforcement is *due* when its decision was taken by
  the end and it was not done before the start;
* a task is *in charge* when its document was issued before the end, it was not recalled
  and not completed before the start; *open* tasks at the end are *overdue* when their
  deadline is before the last day of the period.

Denunciations (tố cáo) are refused at intake (R20): the ``kind=denunciation`` columns of
the forms count what is stored, i.e. nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Date,
    and_,
    case,
    cast,
    distinct,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from app.complaints.models import ComplaintDossier, Enforcement, ResolutionDecision
from app.petitions.models import Case, Petition, ReceptionVisit, SubjectArea
from app.reports import models as report_indexes  # noqa: F401  (indexes on the metadata)
from app.reports.periods import Period
from app.tasks.models import AssignmentDocument, Task, TaskReport

BOOL = ("true", "false")
Values = tuple[str, ...]


@dataclass
class Context:
    """What a metric's SQL needs besides its parameters: the period and the database, and
    the tables the query being built joins once for all its columns (``outer_join``)."""

    period: Period
    session: Session
    _areas: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _joins: dict[str, tuple[FromClause, ColumnElement[bool]]] = field(default_factory=dict)

    def outer_join(
        self, name: str, build: Callable[[], tuple[FromClause, ColumnElement[bool]]]
    ) -> FromClause:
        """A table (or subquery) LEFT OUTER JOINed ONCE to the rows of the query being built,
        however many of its columns use it: ``build`` returns it and the ON clause."""
        if name not in self._joins:
            self._joins[name] = build()
        return self._joins[name][0]

    def take_joins(self) -> list[tuple[FromClause, ColumnElement[bool]]]:
        """The joins the columns built so far asked for; the next query starts with none."""
        joins = list(self._joins.values())
        self._joins.clear()
        return joins

    @property
    def dialect(self) -> str:
        """Name of the database dialect (local dates are computed per dialect)."""
        return self.session.get_bind().dialect.name

    def area_ids(self, column: str, groups: Values) -> list[int]:
        """Ids of the subject areas counted in ``groups`` of the forms' column groups."""
        key = (column, "|".join(groups))
        if key not in self._areas:
            group = getattr(SubjectArea, column)
            self._areas[key] = list(
                self.session.scalars(select(SubjectArea.id).where(group.in_(groups)))
            )
        return self._areas[key]

    def local_date(self, timestamp: ColumnElement) -> ColumnElement:
        """SQL: the Vietnamese local date of a stored UTC timestamp."""
        hours = int(self.period.utc_offset.total_seconds() // 3600)
        if self.dialect == "sqlite":
            return func.date(timestamp, f"{hours:+d} hours")
        return cast(timestamp + literal_column(f"INTERVAL '{hours} hours'"), Date)


Condition = Callable[[Values, Context], ColumnElement[bool]]


@dataclass(frozen=True)
class Param:
    """A filter parameter: its allowed values and the SQL condition for chosen values."""

    values: Values
    condition: Condition
    doc: str


@dataclass(frozen=True)
class Family:
    """Metrics over one source: its FROM clause, its agency column, its window of rows
    that can matter for the period, the model whose data scope applies, its filters."""

    name: str
    source: Callable[[], FromClause]
    agency: Callable[[], ColumnElement]
    window: Callable[[Context], ColumnElement[bool]]
    scope_model: type
    params: dict[str, Param]
    # Disjoint index-friendly conditions on the source's own table whose union holds
    # every row of the window: on SQLite the query reads those rows by id (family_query).
    branches: Callable[[Context], list[ColumnElement[bool]]] | None = None
    key: Callable[[], ColumnElement] | None = None


Aggregate = Callable[[ColumnElement[bool], dict[str, Values], Context], ColumnElement]


@dataclass(frozen=True)
class Metric:
    """A named metric: its family, its own condition, how it aggregates, its doc."""

    name: str
    family: Family
    condition: Callable[[Context], ColumnElement[bool]]
    aggregate: Aggregate
    doc: str
    value_params: dict[str, Param] = field(default_factory=dict)

    @property
    def params(self) -> dict[str, Param]:
        """Every parameter the metric accepts."""
        return {**self.family.params, **self.value_params}


def _in(column: Any) -> Condition:
    return lambda values, ctx: column.in_(values)


def _flag(column: Any) -> Condition:
    def condition(values: Values, ctx: Context) -> ColumnElement[bool]:
        wanted = {value == "true" for value in values}
        if wanted == {True, False}:
            return column.is_not(None)
        return column.is_(True) if True in wanted else column.is_(False)

    return condition


def _area(column: Any, group_column: str) -> Condition:
    return lambda values, ctx: column.in_(ctx.area_ids(group_column, values))


def count() -> Aggregate:
    """Number of rows meeting the condition."""
    return lambda condition, params, ctx: func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def total(*columns: Any) -> Aggregate:
    """Sum of the given columns over the rows meeting the condition."""

    def aggregate(condition: ColumnElement[bool], params: dict[str, Values], ctx: Context):
        amount = columns[0]
        for column in columns[1:]:
            amount = amount + column
        return func.coalesce(func.sum(case((condition, amount), else_=0)), 0)

    return aggregate


def field_total(columns: dict[str, Any]) -> Aggregate:
    """Sum of the columns named by the ``field`` parameter (several: their sum)."""

    def aggregate(condition: ColumnElement[bool], params: dict[str, Values], ctx: Context):
        return total(*(columns[name] for name in params["field"]))(condition, params, ctx)

    return aggregate


def distinct_count(key: Callable[[Context], ColumnElement]) -> Aggregate:
    """Number of distinct keys among the rows meeting the condition."""
    return lambda condition, params, ctx: func.count(distinct(case((condition, key(ctx)))))


# --- petitions -------------------------------------------------------------------------

P = Petition


def _received(ctx: Context) -> ColumnElement[bool]:
    return and_(P.received_at >= ctx.period.start_utc, P.received_at < ctx.period.end_utc)


def _to_process(ctx: Context) -> ColumnElement[bool]:
    return and_(
        P.received_at < ctx.period.end_utc,
        or_(P.processed_at.is_(None), P.processed_at >= ctx.period.start_utc),
    )


def _carried_over(ctx: Context) -> ColumnElement[bool]:
    return and_(_to_process(ctx), P.received_at < ctx.period.start_utc)


def _processed(ctx: Context) -> ColumnElement[bool]:
    return and_(
        P.received_at < ctx.period.end_utc,
        P.processed_at >= ctx.period.start_utc,
        P.processed_at < ctx.period.end_utc,
    )


def _unprocessed(ctx: Context) -> ColumnElement[bool]:
    return and_(
        _to_process(ctx), or_(P.processed_at.is_(None), P.processed_at >= ctx.period.end_utc)
    )


def _replies(ctx: Context) -> ColumnElement[bool]:
    return and_(P.reply_received_on >= ctx.period.start, P.reply_received_on <= ctx.period.end)


def _signatories(values: Values, ctx: Context) -> ColumnElement[bool]:
    parts = {
        "many": P.signatory_count >= 5,
        "one": and_(P.signatory_count >= 1, P.signatory_count < 5),
        "other": P.signatory_count < 1,
    }
    return or_(*(parts[value] for value in values))


def _origin(values: Values, ctx: Context) -> ColumnElement[bool]:
    parts = {
        "carried": P.received_at < ctx.period.start_utc,
        "received": P.received_at >= ctx.period.start_utc,
    }
    return or_(*(parts[value] for value in values))


def _petition_in_time(values: Values, ctx: Context) -> ColumnElement[bool]:
    in_time = or_(P.due_date.is_(None), ctx.local_date(P.processed_at) <= P.due_date)
    if set(values) == set(BOOL):
        return true()
    return in_time if values == ("true",) else ~in_time


def _case_closed(values: Values, ctx: Context) -> ColumnElement[bool]:
    closed = exists().where(
        Case.id == P.case_id, Case.closed_at.is_not(None), Case.closed_at < ctx.period.end_utc
    )
    if set(values) == set(BOOL):
        return true()
    return closed if values == ("true",) else ~closed


def _latest_of_case(ctx: Context) -> ColumnElement[bool]:
    """The petition is the last one of its case processed by its agency in the period: a
    case (vụ việc) is counted once, with the attributes of that petition. The last
    petitions are found once per query (one GROUP BY), and the rows outer-joined once to
    them, however many columns count cases."""

    def build() -> tuple[FromClause, ColumnElement[bool]]:
        other = aliased(Petition)
        last_ids = (
            select(func.max(other.id))
            .where(
                other.deleted_at.is_(None),
                other.processed_at >= ctx.period.start_utc,
                other.processed_at < ctx.period.end_utc,
            )
            .group_by(other.case_id, other.agency_id)
        )
        # The petition table itself, joined by its primary key (an index lookup per row on
        # SQLite, which scanned a joined GROUP BY subquery once per row), restricted to
        # the last petitions (one uncorrelated subquery, computed once).
        latest = Petition.__table__.alias("latest_of_case")
        return latest, and_(latest.c.id == P.id, latest.c.id.in_(last_ids))

    return ctx.outer_join("latest_of_case", build).c.id.is_not(None)


PETITION_KINDS = ("complaint", "recommendation", "reflection", "denunciation")
PETITION_PARAMS = {
    "kind": Param(PETITION_KINDS, _in(P.kind), "kind of petition"),
    "signatories": Param(("many", "one", "other"), _signatories, "5+, 1–4, none"),
    "eligible": Param(BOOL, _flag(P.eligible), "eligible for processing"),
    "competent": Param(BOOL, _flag(P.competent), "within the agency's competence"),
    "outcome": Param(
        ("accepted", "forwarded", "guided", "returned", "archived", "filed"),
        _in(P.status),
        "outcome of processing (status)",
    ),
    "prior": Param(
        ("none", "in_progress", "first", "second", "many", "court"),
        _in(P.prior_resolution),
        "resolution status of the matter on arrival",
    ),
    "area_2021": Param(
        (
            "admin_land_housing",
            "admin_policy",
            "admin_other",
            "judicial",
            "party",
            "other",
            "policy",
            "land",
        ),
        _area(P.subject_area_id, "group_2021"),
        "subject area group of the TT 01/2024 forms",
    ),
    "area_2013": Param(
        (
            "admin_land",
            "admin_housing",
            "admin_policy",
            "admin_officials",
            "admin_other",
            "judicial",
            "party",
            "other",
        ),
        _area(P.subject_area_id, "group_2013"),
        "subject area group of the TT 03/2013 forms",
    ),
    "multi_content": Param(BOOL, _flag(P.multi_content), "several contents"),
    "repeat": Param(BOOL, _flag(P.is_repeat), "repeat submission of a known case"),
    "channel": Param(
        ("in_person", "post", "forwarded", "online", "other"), _in(P.channel), "how it came"
    ),
    "origin": Param(("carried", "received"), _origin, "carried over or received in the period"),
    "in_time": Param(BOOL, _petition_in_time, "processed by its processing deadline"),
    "case_closed": Param(BOOL, _case_closed, "the case was closed by the end of the period"),
}

PETITIONS = Family(
    name="petitions",
    source=lambda: Petition.__table__,
    agency=lambda: P.agency_id,
    # Index-friendly: processed from the start on, never processed, or replied to.
    window=lambda ctx: and_(
        P.deleted_at.is_(None),
        or_(
            P.processed_at >= ctx.period.start_utc,
            P.processed_at.is_(None),
            P.reply_received_on >= ctx.period.start,
        ),
    ),
    scope_model=Petition,
    params=PETITION_PARAMS,
    branches=lambda ctx: [
        P.processed_at >= ctx.period.start_utc,
        P.processed_at.is_(None),
        and_(P.reply_received_on >= ctx.period.start, P.processed_at < ctx.period.start_utc),
    ],
    key=lambda: P.id,
)

# --- reception visits ------------------------------------------------------------------

V = ReceptionVisit


def _visit_prior(values: Values, ctx: Context) -> ColumnElement[bool]:
    first_petition = (
        select(P.prior_resolution)
        .where(P.visit_id == V.id, P.deleted_at.is_(None))
        .order_by(P.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(first_petition, "none").in_(values)


def _reception(values: Values, ctx: Context) -> ColumnElement[bool]:
    parts = {
        "regular": V.reception_type == "regular",
        "leader": V.reception_type.in_(("leader_periodic", "leader_adhoc")),
        "leader_periodic": V.reception_type == "leader_periodic",
        "leader_adhoc": V.reception_type == "leader_adhoc",
    }
    return or_(*(parts[value] for value in values))


def _received_by(values: Values, ctx: Context) -> ColumnElement[bool]:
    parts = {"in_person": V.leader_in_person.is_(True), "delegated": V.delegated.is_(True)}
    return or_(*(parts[value] for value in values))


def _matter_key(ctx: Context) -> ColumnElement:
    """A matter once per form of reception and first/repeat visit (module docstring)."""
    form = case((V.reception_type == "regular", 0), (V.delegated.is_(True), 2), else_=1)
    first = case((V.first_time.is_(True), 1), else_=0)
    return func.coalesce(V.case_id, -V.id) * 8 + form * 2 + first


VISIT_PARAMS = {
    "reception": Param(
        ("regular", "leader", "leader_periodic", "leader_adhoc"),
        _reception,
        "regular reception or the head's (periodic, ad hoc)",
    ),
    "by": Param(("in_person", "delegated"), _received_by, "the head in person or delegated"),
    "delegation": Param(BOOL, _flag(V.is_delegation), "a group of many people (đoàn đông người)"),
    "first_time": Param(BOOL, _flag(V.first_time), "first visit on the matter"),
    "channel": Param(("in_person", "online"), _in(V.channel), "in person or online"),
    "kind": Param(PETITION_KINDS, _in(Case.kind), "kind of the visit's case"),
    "area_2013": Param(
        PETITION_PARAMS["area_2013"].values,
        _area(Case.subject_area_id, "group_2013"),
        "subject area group (TT 03/2013) of the visit's case",
    ),
    "area_2021": Param(
        PETITION_PARAMS["area_2021"].values,
        _area(Case.subject_area_id, "group_2021"),
        "subject area group (TT 01/2024) of the visit's case",
    ),
    "prior": Param(
        PETITION_PARAMS["prior"].values,
        _visit_prior,
        "resolution status of the matter (first petition of the visit; none without one)",
    ),
}

VISITS = Family(
    name="visits",
    source=lambda: ReceptionVisit.__table__.outerjoin(
        Case.__table__, Case.id == ReceptionVisit.case_id
    ),
    agency=lambda: V.agency_id,
    window=lambda ctx: and_(
        V.deleted_at.is_(None),
        V.received_at >= ctx.period.start_utc,
        V.received_at < ctx.period.end_utc,
    ),
    scope_model=ReceptionVisit,
    params=VISIT_PARAMS,
)

# --- complaint dossiers, decisions, enforcement ----------------------------------------

D = ComplaintDossier
R = ResolutionDecision
E = Enforcement


def _in_charge(ctx: Context) -> ColumnElement[bool]:
    return and_(
        D.accepted_on <= ctx.period.end,
        or_(D.closed_on.is_(None), D.closed_on >= ctx.period.start),
    )


DOSSIER_PARAMS = {
    "instance": Param(
        ("1", "2"),
        lambda values, ctx: D.instance.in_([int(v) for v in values]),
        "first or second instance",
    ),
}

DOSSIERS = Family(
    name="dossiers",
    source=lambda: ComplaintDossier.__table__,
    agency=lambda: D.agency_id,
    window=lambda ctx: and_(D.deleted_at.is_(None), _in_charge(ctx)),
    scope_model=ComplaintDossier,
    params=DOSSIER_PARAMS,
)

DECISION_FIELDS = {
    name: getattr(R, name)
    for name in (
        "money_to_state",
        "land_to_state",
        "money_to_organisations",
        "land_to_organisations",
        "money_to_individuals",
        "land_to_individuals",
        "organisations_restored",
        "individuals_restored",
        "persons_for_sanction",
        "officials_for_sanction",
        "cases_to_investigators",
        "persons_to_investigators",
        "officials_to_investigators",
    )
}

DECISIONS = Family(
    name="decisions",
    source=lambda: ResolutionDecision.__table__.join(
        ComplaintDossier.__table__, ComplaintDossier.id == ResolutionDecision.dossier_id
    ),
    agency=lambda: D.agency_id,
    window=lambda ctx: and_(
        D.deleted_at.is_(None), R.decided_on >= ctx.period.start, R.decided_on <= ctx.period.end
    ),
    scope_model=ComplaintDossier,
    params={
        **DOSSIER_PARAMS,
        "mode": Param(("decision", "withdrawn"), _in(R.mode), "decision or withdrawal"),
        "result": Param(
            ("right", "wrong", "partly_right", "upheld", "cancelled_amended"),
            _in(R.result),
            "result of the decision",
        ),
        "in_time": Param(BOOL, _flag(R.in_time), "decided within the time limit"),
    },
)

ENFORCEMENT_FIELDS = {
    name: getattr(E, name)
    for name in (
        "money_to_recover",
        "money_recovered",
        "land_to_recover",
        "land_recovered",
        "money_to_return_organisations",
        "money_returned_organisations",
        "land_to_return_organisations",
        "land_returned_organisations",
        "money_to_return_individuals",
        "money_returned_individuals",
        "land_to_return_individuals",
        "land_returned_individuals",
        "persons_sanctioned",
        "officials_sanctioned",
        "cases_prosecuted",
        "persons_prosecuted",
        "officials_prosecuted",
    )
}

ENFORCEMENTS = Family(
    name="enforcements",
    source=lambda: Enforcement.__table__.join(
        ResolutionDecision.__table__, ResolutionDecision.id == Enforcement.decision_id
    ).join(ComplaintDossier.__table__, ComplaintDossier.id == ResolutionDecision.dossier_id),
    agency=lambda: D.agency_id,
    window=lambda ctx: and_(
        D.deleted_at.is_(None),
        R.decided_on <= ctx.period.end,
        or_(E.done_on.is_(None), E.done_on >= ctx.period.start),
    ),
    scope_model=ComplaintDossier,
    params=DOSSIER_PARAMS,
)

# --- tasks -----------------------------------------------------------------------------

T = Task
A = AssignmentDocument
TR = TaskReport


def _open_at_end(ctx: Context) -> ColumnElement[bool]:
    return or_(T.completed_at.is_(None), T.completed_at >= ctx.period.end_utc)


def _term(values: Values, ctx: Context) -> ColumnElement[bool]:
    parts = {"within": T.deadline >= ctx.period.end, "overdue": T.deadline < ctx.period.end}
    return or_(*(parts[value] for value in values))


def _first_pass(values: Values, ctx: Context) -> ColumnElement[bool]:
    if set(values) == set(BOOL):
        return true()
    return T.returns_count == 0 if values == ("true",) else T.returns_count > 0


TASKS = Family(
    name="tasks",
    source=lambda: Task.__table__.join(
        AssignmentDocument.__table__, AssignmentDocument.id == Task.document_id
    ),
    agency=lambda: T.receiving_agency_id,
    window=lambda ctx: and_(
        T.deleted_at.is_(None),
        A.deleted_at.is_(None),
        T.status != "recalled",
        A.issued_at < ctx.period.end_utc,
        or_(T.completed_at.is_(None), T.completed_at >= ctx.period.start_utc),
    ),
    scope_model=Task,
    branches=lambda ctx: [T.completed_at >= ctx.period.start_utc, T.completed_at.is_(None)],
    key=lambda: T.id,
    params={
        "role": Param(("lead", "support"), _in(T.role), "lead or supporting agency"),
        "completion": Param(("early", "on_time", "late"), _in(T.completion), "R19 timing"),
        "first_pass": Param(BOOL, _first_pass, "accepted without any report returned"),
        "term": Param(("within", "overdue"), _term, "deadline at the end of the period"),
    },
)

REPORTS = Family(
    name="task_reports",
    source=lambda: TaskReport.__table__.join(Task.__table__, Task.id == TaskReport.task_id),
    agency=lambda: T.receiving_agency_id,
    window=lambda ctx: and_(
        T.deleted_at.is_(None),
        or_(
            and_(TR.sent_at >= ctx.period.start_utc, TR.sent_at < ctx.period.end_utc),
            and_(TR.reviewed_at >= ctx.period.start_utc, TR.reviewed_at < ctx.period.end_utc),
        ),
    ),
    scope_model=Task,
    branches=lambda ctx: [
        and_(TR.sent_at >= ctx.period.start_utc, TR.sent_at < ctx.period.end_utc),
        and_(
            TR.reviewed_at >= ctx.period.start_utc,
            TR.reviewed_at < ctx.period.end_utc,
            or_(TR.sent_at < ctx.period.start_utc, TR.sent_at >= ctx.period.end_utc),
        ),
    ],
    key=lambda: TR.id,
    params={
        "entry": Param(("on_time", "late"), _in(TR.entry_timeliness), "R16 entry timeliness"),
        "verdict": Param(("accepted", "returned"), _in(TR.verdict), "R17 review verdict"),
    },
)

REVIEWS = Family(
    name="task_reviews",
    source=lambda: TaskReport.__table__.join(Task.__table__, Task.id == TaskReport.task_id).join(
        AssignmentDocument.__table__, AssignmentDocument.id == Task.document_id
    ),
    agency=lambda: A.office_agency_id,
    window=lambda ctx: and_(
        T.deleted_at.is_(None),
        TR.reviewed_at >= ctx.period.start_utc,
        TR.reviewed_at < ctx.period.end_utc,
    ),
    scope_model=AssignmentDocument,
    params={
        "review": Param(("on_time", "late"), _in(TR.review_timeliness), "R17 review timeliness")
    },
)

DOCUMENTS = Family(
    name="assignment_documents",
    source=lambda: AssignmentDocument.__table__,
    agency=lambda: A.office_agency_id,
    window=lambda ctx: and_(
        A.deleted_at.is_(None),
        A.issued_at >= ctx.period.start_utc,
        A.issued_at < ctx.period.end_utc,
    ),
    scope_model=AssignmentDocument,
    params={"entry": Param(("on_time", "late"), _in(A.entry_timeliness), "R14 entry timeliness")},
)


def _field(columns: dict[str, Any]) -> dict[str, Param]:
    return {"field": Param(tuple(columns), lambda values, ctx: true(), "the amount(s) summed")}


def _all(ctx: Context) -> ColumnElement[bool]:
    return true()


_METRICS = [
    Metric("petitions_received", PETITIONS, _received, count(), "petitions received"),
    Metric("petitions_carried_over", PETITIONS, _carried_over, count(), "carried over"),
    Metric("petitions_to_process", PETITIONS, _to_process, count(), "carried over + received"),
    Metric("petitions_processed", PETITIONS, _processed, count(), "processed in the period"),
    Metric("petitions_unprocessed", PETITIONS, _unprocessed, count(), "not processed at the end"),
    Metric(
        "cases_processed",
        PETITIONS,
        lambda ctx: and_(_processed(ctx), _latest_of_case(ctx)),
        count(),
        "cases of the petitions processed, each with its last petition's attributes",
    ),
    Metric("petitions_replies", PETITIONS, _replies, count(), "replies received on forwarding"),
    Metric("visits", VISITS, _all, count(), "reception visits (lượt)"),
    Metric("visit_people", VISITS, _all, total(V.people_count), "people received"),
    Metric("visit_cases", VISITS, _all, distinct_count(_matter_key), "matters received"),
    Metric(
        "visit_sessions",
        VISITS,
        _all,
        distinct_count(lambda ctx: ctx.local_date(V.received_at)),
        "days of reception (kỳ tiếp)",
    ),
    Metric(
        "dossiers_carried_over",
        DOSSIERS,
        lambda ctx: D.accepted_on < ctx.period.start,
        count(),
        "accepted before the period, open at its start",
    ),
    Metric(
        "dossiers_accepted",
        DOSSIERS,
        lambda ctx: D.accepted_on >= ctx.period.start,
        count(),
        "accepted in the period",
    ),
    Metric("dossiers_in_charge", DOSSIERS, _all, count(), "carried over + accepted"),
    Metric(
        "dossier_cases",
        DOSSIERS,
        _all,
        distinct_count(lambda ctx: D.case_id),
        "distinct cases of the dossiers in charge",
    ),
    Metric("decisions", DECISIONS, _all, count(), "decisions and withdrawals in the period"),
    Metric(
        "decision_cases",
        DECISIONS,
        _all,
        distinct_count(lambda ctx: D.case_id),
        "distinct cases decided",
    ),
    Metric(
        "decision_sum",
        DECISIONS,
        _all,
        field_total(DECISION_FIELDS),
        "sum of decision amounts (money in million VND, land in m²)",
        _field(DECISION_FIELDS),
    ),
    Metric("enforcements_due", ENFORCEMENTS, _all, count(), "decisions to enforce"),
    Metric(
        "enforcements_done",
        ENFORCEMENTS,
        lambda ctx: and_(
            E.done.is_(True), E.done_on >= ctx.period.start, E.done_on <= ctx.period.end
        ),
        count(),
        "enforced in the period",
    ),
    Metric(
        "enforcement_sum",
        ENFORCEMENTS,
        _all,
        field_total(ENFORCEMENT_FIELDS),
        "sum of enforcement amounts over the decisions to enforce",
        _field(ENFORCEMENT_FIELDS),
    ),
    Metric("tasks_in_charge", TASKS, _all, count(), "carried over + assigned"),
    Metric(
        "tasks_carried_over",
        TASKS,
        lambda ctx: A.issued_at < ctx.period.start_utc,
        count(),
        "assigned before the period, open at its start",
    ),
    Metric(
        "tasks_assigned",
        TASKS,
        lambda ctx: A.issued_at >= ctx.period.start_utc,
        count(),
        "assigned in the period",
    ),
    Metric(
        "tasks_by_completion",
        TASKS,
        lambda ctx: and_(
            T.completed_at >= ctx.period.start_utc, T.completed_at < ctx.period.end_utc
        ),
        count(),
        "completed in the period",
    ),
    Metric("tasks_open", TASKS, _open_at_end, count(), "not completed at the end"),
    Metric(
        "reports_sent",
        REPORTS,
        lambda ctx: and_(TR.sent_at >= ctx.period.start_utc, TR.sent_at < ctx.period.end_utc),
        count(),
        "task reports sent",
    ),
    Metric(
        "reports_reviewed",
        REPORTS,
        lambda ctx: and_(
            TR.reviewed_at >= ctx.period.start_utc, TR.reviewed_at < ctx.period.end_utc
        ),
        count(),
        "task reports reviewed (returned: verdict=returned)",
    ),
    Metric("reviews", REVIEWS, _all, count(), "reviews made by the assigning office"),
    Metric("documents_entered", DOCUMENTS, _all, count(), "assignment documents issued"),
]

METRICS: dict[str, Metric] = {metric.name: metric for metric in _METRICS}


@dataclass(frozen=True)
class MetricRef:
    """A metric with its parameters, as a form column binds it."""

    name: str
    params: tuple[tuple[str, Values], ...] = ()

    @property
    def metric(self) -> Metric:
        """The named metric (the form loader has checked it exists)."""
        return METRICS[self.name]

    def with_params(self, extra: dict[str, Values]) -> MetricRef:
        """The same metric restricted further by ``extra`` (category rows): a parameter
        both give keeps the values common to both (none: the metric counts nothing)."""
        merged = dict(self.params)
        for key, values in extra.items():
            merged[key] = (
                tuple(value for value in merged[key] if value in values)
                if key in merged
                else values
            )
        return MetricRef(self.name, tuple(sorted(merged.items())))

    def __str__(self) -> str:
        inner = ", ".join(f"{key}={'|'.join(values)}" for key, values in self.params)
        return f"{self.name}{{{inner}}}" if inner else self.name


class MetricError(ValueError):
    """A metric reference that names an unknown metric, parameter or value."""

    def __init__(self, message: str, name: str):
        super().__init__(message)
        self.name = name


def parse_ref(text: str) -> MetricRef:
    """R21: ``name{key=value|value, key=value}`` → MetricRef, checked against METRICS.

    Raises MetricError naming the unknown metric, parameter or value."""
    text = text.strip()
    name, _, rest = text.partition("{")
    name = name.strip()
    if name not in METRICS:
        raise MetricError("unknown metric", name)
    params: dict[str, Values] = {}
    if rest:
        if not rest.endswith("}"):
            raise MetricError("unbalanced braces", text)
        for item in filter(None, (part.strip() for part in rest[:-1].split(","))):
            key, sep, value = (part.strip() for part in item.partition("="))
            values = tuple(v.strip() for v in value.split("|") if v.strip())
            allowed = METRICS[name].params
            if not sep or not values:
                raise MetricError("parameter without value", f"{name}: {item}")
            if key not in allowed:
                raise MetricError("unknown parameter", f"{name}: {key}")
            unknown = [v for v in values if v not in allowed[key].values]
            if unknown:
                raise MetricError("unknown value", f"{name}: {key}={unknown[0]}")
            params[key] = values
    if "field" in METRICS[name].value_params and "field" not in params:
        raise MetricError("parameter without value", f"{name}: field")
    return MetricRef(name, tuple(sorted(params.items())))


def aggregate_sql(ref: MetricRef, ctx: Context) -> ColumnElement:
    """SQL: the aggregate of ``ref`` over its family's rows (one column of the query)."""
    metric = ref.metric
    params = dict(ref.params)
    conditions = [metric.condition(ctx)]
    for key, values in ref.params:
        if not values:
            conditions.append(false())
        elif key in metric.family.params:
            conditions.append(metric.family.params[key].condition(values, ctx))
    return metric.aggregate(and_(*conditions), params, ctx)


def family_query(
    family: Family,
    refs: list[MetricRef],
    ctx: Context,
    agency_ids: list[int],
    scope: ColumnElement[bool],
):
    """R8, R21: ONE ``GROUP BY agency`` query computing every metric in ``refs`` (all of
    ``family``) for the agencies ``agency_ids`` within the user's ``scope`` condition."""
    agency = family.agency()
    ctx.take_joins()
    columns = [aggregate_sql(ref, ctx).label(f"m{index}") for index, ref in enumerate(refs)]
    source = family.source()
    for target, onclause in ctx.take_joins():
        source = source.outerjoin(target, onclause)
    where = [family.window(ctx), scope]
    # SQLite reads the window's rows by id through the branches; PostgreSQL ORs the
    # window's own index conditions in one bitmap (the branches made it read each row
    # twice: once for its id, once by it).
    if family.branches is not None and family.key is not None and ctx.dialect == "sqlite":
        key = family.key()
        rows = union_all(*(select(key).where(branch) for branch in family.branches(ctx)))
        where.append(key.in_(rows.scalar_subquery()))
    # ``agency + 0``: the agency set is the whole scope, never selective; the period's
    # window is (SQLite would otherwise walk the agency index over every row).
    where.append((agency + 0).in_(agency_ids) if agency_ids else false())
    return (
        select(agency.label("agency_id"), *columns)
        .select_from(source)
        .where(*where)
        .group_by(agency)
    )


def describe() -> list[tuple[str, str, str, dict[str, Values]]]:
    """Every metric: name, family, what it counts, and its parameters with their values
    (for the people who write form files)."""
    return [
        (
            metric.name,
            metric.family.name,
            metric.doc,
            {key: param.values for key, param in metric.params.items()},
        )
        for metric in _METRICS
    ]
