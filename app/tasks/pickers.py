"""Choices of the assignment-document form (R3, R13): the assigning agencies an officer
operates, receiving agencies searched as you type among the assigning agency's
subordinates, names of people of the assigning side, petitions to link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.agencies.services import assigning_agencies
from app.petitions.models import Petition
from app.petitions.pickers import Choice, search_agencies
from app.security.models import AppUser
from app.security.scope import agency_in_scope, scope_condition

LIMIT = 12


def operated_agencies(session: Session, user: Any) -> list[Agency]:
    """R3: the assigning agencies whose documents ``user`` may enter — those whose
    operating office (or the agency itself) lies in the user's scope."""
    return [
        agency
        for agency in assigning_agencies(session)
        if agency_in_scope(agency.operating_office_id or agency.id, user)
        or agency_in_scope(agency.id, user)
    ]


def search_receivers(
    session: Session, assigning: Agency, q: str, today: dt.date, limit: int = LIMIT
) -> list[Choice]:
    """R3: subordinates of ``assigning`` in force ``today`` matching ``q`` (diacritics and
    case ignored)."""
    below = and_(Agency.path.startswith(assigning.path, autoescape=True), Agency.id != assigning.id)
    return search_agencies(session, q, below, today, limit)


def people_names(session: Session, agencies: list[Agency]) -> list[str]:
    """R13: names of the active users of the assigning agencies and their offices, offered
    for the director, the signer and the drafting official (any name may be typed)."""
    ids = {agency.id for agency in agencies} | {
        agency.operating_office_id for agency in agencies if agency.operating_office_id
    }
    rows = session.execute(
        select(AppUser.first_name, AppUser.last_name)
        .where(AppUser.agency_id.in_(ids), AppUser.active.is_(True))
        .order_by(AppUser.last_name, AppUser.first_name)
    )
    return sorted({" ".join(filter(None, (first, last))) for first, last in rows})


def petition_label(petition: Petition) -> str:
    """ "Đơn 12/2026 — summary" as the petition picker shows it."""
    return f"{petition.register_code} — {petition.summary[:90]}"


def search_petitions(session: Session, q: str, user: Any, limit: int = LIMIT) -> list[Choice]:
    """Petitions of the user's scope whose register number ("12/2026") or summary
    contains ``q``, newest first."""
    text = q.strip()
    if not text:
        return []
    number, _sep, year = text.partition("/")
    by_number = (
        and_(Petition.register_number == int(number), Petition.register_year == int(year))
        if number.isdigit() and year.isdigit()
        else None
    )
    matches = Petition.summary.icontains(text, autoescape=True)
    if by_number is not None:
        matches = or_(matches, by_number)
    rows = session.scalars(
        select(Petition)
        .where(matches, scope_condition(Petition, user))
        .order_by(Petition.received_at.desc())
        .limit(limit)
    )
    return [Choice(p.id, petition_label(p), p.agency.name) for p in rows]


def petition_choice(session: Session, petition_id: int | None, user: Any) -> Choice | None:
    """The chosen petition as the picker shows it, when the user can see it."""
    if petition_id is None:
        return None
    petition = session.scalar(
        select(Petition).where(Petition.id == petition_id, scope_condition(Petition, user))
    )
    return Choice(petition.id, petition_label(petition)) if petition else None
