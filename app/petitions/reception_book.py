"""Reading the citizen reception book: the visits of the user's scope, filtered by period,
agency and reception type, as the book's columns print them (Luật TCD Art. 25(2);
TT 06/2014 Art. 27, Mẫu số 06-TCD).

Columns: STT | Ngày tiếp | Họ tên, địa chỉ | Số người | Nội dung vụ việc | Kết quả tiếp |
Hướng xử lý | Cán bộ tiếp.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.core.clock import local_to_utc
from app.petitions.addresses import citizen_address
from app.petitions.choices import RECEPTION_TYPES, STATUSES, VISIT_OUTCOMES
from app.petitions.models import Petition, ReceptionVisit
from app.petitions.reception import representative_ids, visit_petitions
from app.security.scope import scope_condition

# The book's columns (msgids; the Vietnamese catalog gives the book's own words).
BOOK_COLUMNS = (
    _l("Serial number"),
    _l("Reception date"),
    _l("Full name, address"),
    _l("Number of people"),
    _l("Content of the matter"),
    _l("Result of the reception"),
    _l("Handling"),
    _l("Receiving official"),
)


@dataclass(frozen=True)
class BookFilter:
    """The period (local days, both included), agency and reception type asked for."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    agency_id: int | None = None
    reception_type: str | None = None


@dataclass(frozen=True)
class BookRow:
    """One line of the book."""

    number: int
    visit: ReceptionVisit
    people: list[str]
    people_count: str
    matter: str
    result: str
    handling: list[str]
    official: str


def book_query(user: Any, wanted: BookFilter) -> Select:
    """R11: the visits of the user's scope matching ``wanted``, in the book's order."""
    query = select(ReceptionVisit).where(scope_condition(ReceptionVisit, user))
    if wanted.date_from is not None:
        start = local_to_utc(dt.datetime.combine(wanted.date_from, dt.time()))
        query = query.where(ReceptionVisit.received_at >= start)
    if wanted.date_to is not None:
        end = local_to_utc(dt.datetime.combine(wanted.date_to + dt.timedelta(days=1), dt.time()))
        query = query.where(ReceptionVisit.received_at < end)
    if wanted.agency_id is not None:
        query = query.where(ReceptionVisit.agency_id == wanted.agency_id)
    if wanted.reception_type in RECEPTION_TYPES:
        query = query.where(ReceptionVisit.reception_type == wanted.reception_type)
    return query.order_by(ReceptionVisit.received_at, ReceptionVisit.id)


def count_visits(session: Session, user: Any, wanted: BookFilter) -> int:
    """How many visits of the user's scope match ``wanted``."""
    subquery = book_query(user, wanted).order_by(None).subquery()
    return session.scalar(select(func.count()).select_from(subquery)) or 0


def book_visits(
    session: Session, user: Any, wanted: BookFilter, *, offset: int = 0, limit: int | None = None
) -> list[ReceptionVisit]:
    """The visits of one page of the book (all of them without ``limit``)."""
    query = book_query(user, wanted).options(selectinload(ReceptionVisit.citizens))
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def _petition_line(petition: Petition) -> str:
    return gettext(
        "Petition %(number)s: %(status)s",
        number=petition.register_code,
        status=STATUSES.get(petition.status, petition.status),
    )


def book_row(session: Session, number: int, visit: ReceptionVisit, user: Any) -> BookRow:
    """The book's line of ``visit`` (the petitions shown are those in the user's scope)."""
    representatives = representative_ids(session, visit)
    people = []
    for citizen in visit.citizens:
        name = citizen.full_name
        if citizen.id in representatives:
            name = gettext("%(name)s (representative)", name=name)
        address = citizen_address(citizen)
        people.append(f"{name} — {address}" if address else name)
    count = str(visit.people_count)
    if visit.is_delegation:
        count = gettext("%(count)s (delegation)", count=count)
    result = gettext(
        "%(outcome)s — %(times)s",
        outcome=VISIT_OUTCOMES.get(visit.outcome, visit.outcome),
        times=gettext("first reception") if visit.first_time else gettext("repeat reception"),
    )
    handling = [visit.outcome_note] if visit.outcome_note else []
    handling += [_petition_line(p) for p in visit_petitions(session, visit, user)]
    official = visit.official_name
    if visit.leader_in_person:
        official = gettext("%(name)s (the head in person)", name=official)
    elif visit.delegated:
        official = gettext("%(name)s (delegated by the head)", name=official)
    return BookRow(
        number=number,
        visit=visit,
        people=people,
        people_count=count,
        matter=visit.matter_summary,
        result=result,
        handling=handling,
        official=official,
    )


def book_rows(
    session: Session, user: Any, wanted: BookFilter, *, offset: int = 0, limit: int | None = None
) -> list[BookRow]:
    """The book's lines, numbered from ``offset + 1`` (STT follows the book's order)."""
    visits = book_visits(session, user, wanted, offset=offset, limit=limit)
    return [book_row(session, offset + i + 1, visit, user) for i, visit in enumerate(visits)]
