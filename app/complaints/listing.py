"""The dossiers of a user's scope, filtered (R8, R11; issue 4): by agency, instance, status,
deadline state, result, timeliness and words typed. One query serves the list screen,
its Excel export, the REST list and the landing page's cards.

The deadline state is that of the clock now running (acceptance while awaiting it,
resolution once accepted), as app.complaints.clock_display computes it, in SQL; "stopped"
is a suspended dossier. Urgent dossiers come first: earliest running deadline, then the
others newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency
from app.calendar.workdays import WorkingCalendar
from app.complaints.choices import (
    DOSSIER_STATUSES,
    FIRST_INSTANCE_RESULTS,
    SECOND_INSTANCE_RESULTS,
)
from app.complaints.clock_display import RUNNING_STATES, STOPPED
from app.complaints.models import ComplaintDossier, ResolutionDecision
from app.figures.counts import count_rows
from app.petitions.deadlines import DUE_SOON, DUE_TODAY, ON_TRACK, OVERDUE
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory
from app.petitions.normalize import fold
from app.petitions.queue import DUE_SOON_WORKING_DAYS
from app.security.scope import scope_condition

PAGE_SIZES = (20, 50, 100)
STATE_FILTERS = (*RUNNING_STATES, STOPPED)
WITHDRAWN_RESULT = "withdrawn"
RESULT_FILTERS = (*FIRST_INSTANCE_RESULTS, *SECOND_INSTANCE_RESULTS, WITHDRAWN_RESULT)
TIMELINESS = ("yes", "no")

D = ComplaintDossier


@dataclass
class DossierFilters:
    """What the list is filtered by; every field optional."""

    q: str = ""
    agency_id: int | None = None
    instance: int | None = None
    status: str | None = None
    state: str | None = None
    result: str | None = None
    in_time: str | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments, empty ones left out."""
        return {key: str(value) for key, value in asdict(self).items() if value not in (None, "")}


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def parse_filters(args: Mapping[str, Any]) -> DossierFilters:
    """List filters from query-string arguments; unknown values are ignored."""

    def choice(key: str, allowed: Any) -> str | None:
        value = str(args.get(key) or "").strip()
        return value if value in allowed else None

    instance = _int(args.get("instance"))
    return DossierFilters(
        q=" ".join(str(args.get("q") or "").split())[:200],
        agency_id=_int(args.get("agency_id")),
        instance=instance if instance in (1, 2) else None,
        status=choice("status", DOSSIER_STATUSES),
        state=choice("state", STATE_FILTERS),
        result=choice("result", RESULT_FILTERS),
        in_time=choice("in_time", TIMELINESS),
    )


def running_due() -> ColumnElement[dt.date]:
    """SQL: the due date of the clock now running (None while suspended or closed)."""
    return case(
        (D.status == "pending", D.acceptance_due),
        (D.status == "accepted", D.resolution_due),
        else_=None,
    )


def state_condition(state: str, today: dt.date, calendar: WorkingCalendar) -> ColumnElement[bool]:
    """SQL: dossiers in deadline ``state`` on ``today`` (app.complaints.clock_display)."""
    if state == STOPPED:
        return D.status == "suspended"
    due = running_due()
    soon_end = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS + 1)
    return {
        OVERDUE: due < today,
        DUE_TODAY: due == today,
        DUE_SOON: and_(due > today, due < soon_end),
        ON_TRACK: due >= soon_end,
    }[state]


def _search(q: str) -> ColumnElement[bool] | None:
    """Each word typed in the case code, the matter or a complainant's name."""
    conditions = []
    for word in fold(q).split():
        by_name = exists().where(
            PetitionSignatory.petition_id == D.petition_id,
            PetitionSignatory.citizen_id == Citizen.id,
            Citizen.name_folded.contains(word, autoescape=True),
        )
        by_matter = exists().where(
            Petition.id == D.petition_id, Petition.search_text.contains(word, autoescape=True)
        )
        by_code = exists().where(
            Case.id == D.case_id, func.lower(Case.code).contains(word, autoescape=True)
        )
        conditions.append(or_(by_code, by_matter, by_name))
    return and_(*conditions) if conditions else None


def _result(result: str) -> ColumnElement[bool]:
    decided = select(ResolutionDecision.id).where(ResolutionDecision.dossier_id == D.id)
    if result == WITHDRAWN_RESULT:
        return exists(decided.where(ResolutionDecision.mode == "withdrawn"))
    return exists(decided.where(ResolutionDecision.result == result))


def dossier_query(
    filters: DossierFilters, user: Any, *, today: dt.date, calendar: WorkingCalendar
) -> Select:
    """R8, R11: the dossiers of ``user``'s scope matching ``filters``, urgent first."""
    query = select(D).where(scope_condition(D, user))
    if filters.agency_id is not None:
        query = query.where(D.agency_id == filters.agency_id)
    if filters.instance is not None:
        query = query.where(D.instance == filters.instance)
    if filters.status:
        query = query.where(D.status == filters.status)
    if filters.state:
        query = query.where(state_condition(filters.state, today, calendar))
    if filters.result:
        query = query.where(_result(filters.result))
    if filters.in_time:
        query = query.where(D.resolved_in_time.is_(filters.in_time == "yes"))
    if filters.q:
        condition = _search(filters.q)
        if condition is not None:
            query = query.where(condition)
    due = running_due()
    return query.order_by(due.is_(None), due, D.received_on.desc(), D.id.desc())


def count_dossiers(session: Session, query: Select) -> int:
    """How many rows ``query`` selects (app.figures.counts)."""
    return count_rows(session, query)


def row_options() -> tuple:
    """Loader options for listing dossiers without a query per row."""
    return (
        selectinload(D.agency),
        selectinload(D.case),
        selectinload(D.decision),
        selectinload(D.petition)
        .selectinload(Petition.signatories)
        .selectinload(PetitionSignatory.citizen),
    )


def page_of(session: Session, query: Select, page: int, size: int) -> list[ComplaintDossier]:
    """One page (from 1) of ``query``."""
    rows = query.options(*row_options()).offset((page - 1) * size).limit(size)
    return list(session.scalars(rows))


def complainant(dossier: ComplaintDossier) -> Citizen | None:
    """The representative of the complainants, else the first; None when anonymous."""
    signatories = dossier.petition.signatories
    for signatory in signatories:
        if signatory.is_representative:
            return signatory.citizen
    return signatories[0].citizen if signatories else None


def agencies_with_dossiers(session: Session, user: Any) -> list[Agency]:
    """The agencies of the user's scope holding dossiers (the list's agency filter)."""
    held = select(D.agency_id).where(scope_condition(D, user)).distinct()
    query = select(Agency).where(Agency.id.in_(held)).order_by(Agency.name_key)
    return list(session.scalars(query))
