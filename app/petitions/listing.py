"""The petition list of a user's scope: filters, diacritics-insensitive search, pages (R8).

One query serves the list screen and its Excel export, so the export holds exactly the
rows the clerk filtered. The data scope (R11) and every filter are SQL conditions; the
search folds what is typed (app.petitions.normalize) and matches the folded matter
(``Petition.search_text``) and the signatories' folded names, kept on the petition's own
row (``Petition.signatory_names``, app.petitions.keys) so that a word costs no join.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency
from app.calendar.workdays import WorkingCalendar
from app.core.clock import local_to_utc
from app.figures.counts import count_rows
from app.petitions.choices import KINDS, OPEN_STATUSES, STATUSES
from app.petitions.deadlines import DUE_SOON, DUE_TODAY, ON_TRACK, OVERDUE
from app.petitions.identity import digits_only
from app.petitions.models import Citizen, Petition, PetitionSignatory
from app.petitions.normalize import fold
from app.security.scope import scope_condition
from app.ui.dates import format_vn_date, parse_vn_date

PAGE_SIZES = (20, 50, 100)
# Working days ahead within which an open petition is "due soon" (app.petitions.deadlines).
DUE_SOON_WORKING_DAYS = 3
DEADLINE_FILTERS = (OVERDUE, DUE_TODAY, DUE_SOON, ON_TRACK)
_REGISTER_CODE = re.compile(r"(\d{1,7})\s*/\s*(\d{4})")


@dataclass
class PetitionFilters:
    """What the clerk filters the list by; every field optional."""

    q: str = ""
    agency_id: int | None = None
    # Only the agency's own petitions, not those of the agencies under it.
    only_agency: bool = False
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    kind: str | None = None
    subject_area_id: int | None = None
    status: str | None = None
    deadline: str | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (dates dd/mm/yyyy), empty ones left out."""
        args = {}
        for key, value in asdict(self).items():
            if isinstance(value, dt.date):
                value = format_vn_date(value)
            if isinstance(value, bool):
                value = "1" if value else None
            if value not in (None, ""):
                args[key] = str(value)
        return args


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def parse_filters(args: Mapping[str, Any]) -> tuple[PetitionFilters, dict[str, str]]:
    """Read list filters from query-string arguments; a Vietnamese message for each
    unreadable one (it is then ignored)."""
    errors: dict[str, str] = {}

    def date(key: str) -> dt.date | None:
        text = str(args.get(key) or "").strip()
        if not text:
            return None
        try:
            return parse_vn_date(text)
        except ValueError:
            errors[key] = gettext("Invalid date, enter it as dd/mm/yyyy")
            return None

    def choice(key: str, allowed: Any) -> str | None:
        value = str(args.get(key) or "").strip()
        return value if value in allowed else None

    filters = PetitionFilters(
        q=" ".join(str(args.get("q") or "").split())[:200],
        agency_id=_int(args.get("agency_id")),
        only_agency=str(args.get("only_agency") or "") == "1",
        received_from=date("received_from"),
        received_to=date("received_to"),
        kind=choice("kind", KINDS),
        subject_area_id=_int(args.get("subject_area_id")),
        status=choice("status", STATUSES),
        deadline=choice("deadline", DEADLINE_FILTERS),
    )
    if (
        filters.received_from
        and filters.received_to
        and filters.received_to < filters.received_from
    ):
        errors["received_to"] = gettext("The end of the period is before its start.")
        filters.received_to = None
    return filters, errors


def _local_midnight(day: dt.date) -> dt.datetime:
    return local_to_utc(dt.datetime.combine(day, dt.time()))


def _search(q: str) -> ColumnElement[bool] | None:
    """Each folded word of ``q`` in the matter or in a signatory's name; a register code
    (12/2026) or an ID/phone number matches exactly."""
    conditions = []
    code = _REGISTER_CODE.fullmatch(q)
    if code:
        return and_(
            Petition.register_number == int(code[1]), Petition.register_year == int(code[2])
        )
    digits = digits_only(q)
    if len(digits) >= 9 and len(digits) == len(q.replace(" ", "").replace(".", "")):
        by_number = exists().where(
            PetitionSignatory.petition_id == Petition.id,
            PetitionSignatory.citizen_id == Citizen.id,
            or_(Citizen.id_number == digits, Citizen.phone == digits),
        )
        return by_number
    for word in fold(q).split():
        # The short names first: a name that matches spares reading the long matter.
        conditions.append(
            or_(
                Petition.signatory_names.contains(word, autoescape=True),
                Petition.search_text.contains(word, autoescape=True),
            )
        )
    return and_(*conditions) if conditions else None


def _deadline(kind: str, today: dt.date, calendar: WorkingCalendar) -> ColumnElement[bool]:
    """Open petitions by deadline state, as app.petitions.deadlines.deadline_state sees
    them: due soon = at most ``DUE_SOON_WORKING_DAYS`` working days left."""
    open_ = Petition.status.in_(OPEN_STATUSES)
    soon_end = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS + 1)
    due = Petition.due_date
    return {
        OVERDUE: and_(open_, due < today),
        DUE_TODAY: and_(open_, due == today),
        DUE_SOON: and_(open_, due > today, due < soon_end),
        ON_TRACK: and_(open_, due >= soon_end),
    }[kind]


def petition_query(
    session: Session,
    filters: PetitionFilters,
    user: Any,
    *,
    today: dt.date,
    calendar: WorkingCalendar,
) -> Select:
    """R8, R11: the petitions of ``user``'s scope matching ``filters``, newest first."""
    query = select(Petition).where(scope_condition(Petition, user))
    if filters.agency_id is not None and filters.only_agency:
        query = query.where(Petition.agency_id == filters.agency_id)
    elif filters.agency_id is not None:
        agency = session.get(Agency, filters.agency_id)
        path = agency.path if agency is not None else "\x00"
        subtree = select(Agency.id).where(Agency.path.startswith(path, autoescape=True))
        query = query.where(Petition.agency_id.in_(subtree))
    if filters.received_from is not None:
        query = query.where(Petition.received_at >= _local_midnight(filters.received_from))
    if filters.received_to is not None:
        end = _local_midnight(filters.received_to + dt.timedelta(days=1))
        query = query.where(Petition.received_at < end)
    if filters.kind:
        query = query.where(Petition.kind == filters.kind)
    if filters.subject_area_id is not None:
        query = query.where(Petition.subject_area_id == filters.subject_area_id)
    if filters.status:
        query = query.where(Petition.status == filters.status)
    if filters.deadline:
        query = query.where(_deadline(filters.deadline, today, calendar))
    if filters.q:
        condition = _search(filters.q)
        if condition is not None:
            query = query.where(condition)
    return query.order_by(Petition.received_at.desc(), Petition.id.desc())


def count_petitions(session: Session, query: Select) -> int:
    """How many rows ``query`` (from ``petition_query``) selects (app.figures.counts)."""
    return count_rows(session, query)


def page_of(session: Session, query: Select, page: int, page_size: int) -> list[Petition]:
    """One page (from 1) of ``query``, signatories, agency and subject area loaded."""
    rows = query.options(*row_options()).offset((page - 1) * page_size).limit(page_size)
    return list(session.scalars(rows))


def row_options() -> tuple:
    """Loader options for listing petitions without a query per row."""
    return (
        selectinload(Petition.signatories)
        .selectinload(PetitionSignatory.citizen)
        .selectinload(Citizen.commune),
        selectinload(Petition.agency),
        selectinload(Petition.subject_area),
    )


def petitioner(petition: Petition) -> Citizen | None:
    """The representative, else the first signatory; None for an anonymous petition."""
    signatories = petition.signatories
    for signatory in signatories:
        if signatory.is_representative:
            return signatory.citizen
    return signatories[0].citizen if signatories else None
