"""Search-as-you-type over the citizens and cases of the user's scope (reception form).

Typed digits look for an ID number or a phone number starting with them; typed words
look for names (or case codes and titles) containing each of them, diacritics and case
ignored through the folded columns. Never more than ``LIMIT`` entries, never outside the
user's data scope (R11).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.petitions.addresses import citizen_address
from app.petitions.identity import digits_only
from app.petitions.models import Case, Citizen
from app.petitions.normalize import fold
from app.petitions.pickers import Choice
from app.security.scope import scope_condition

LIMIT = 10
MIN_DIGITS = 3


def _like(words: list[str]) -> list[str]:
    return [f"%{word.replace('%', '').replace('_', '')}%" for word in words if word]


def search_citizens(session: Session, q: str, user: Any, limit: int = LIMIT) -> list[Choice]:
    """R11: citizens of the user's scope matching ``q`` by name, ID number or phone, each
    with its birth year, ID number and address as the hint."""
    digits = digits_only(q)
    words = fold(q).split()
    if len(digits) >= MIN_DIGITS and len(digits) == len(q.replace(" ", "").replace(".", "")):
        match = or_(Citizen.id_number.startswith(digits), Citizen.phone.startswith(digits))
    elif words:
        match = and_(*(Citizen.name_folded.like(pattern) for pattern in _like(words)))
    else:
        return []
    citizens = session.scalars(
        select(Citizen)
        .where(match, scope_condition(Citizen, user))
        .order_by(Citizen.name_folded, Citizen.id)
        .limit(limit)
    )
    return [Choice(citizen.id, citizen.full_name, _hint(citizen)) for citizen in citizens]


def _hint(citizen: Citizen) -> str:
    parts = []
    if citizen.birth_year:
        parts.append(str(citizen.birth_year))
    if citizen.id_number:
        parts.append(citizen.id_number)
    address = citizen_address(citizen)
    if address:
        parts.append(address)
    return " · ".join(parts)


def search_cases(session: Session, q: str, user: Any, limit: int = LIMIT) -> list[Choice]:
    """R11: cases of the user's scope whose code or title contains every word typed."""
    words = q.split()
    if not words:
        return []
    conditions = [
        or_(Case.code.ilike(pattern), Case.title.ilike(pattern)) for pattern in _like(words)
    ]
    cases = session.scalars(
        select(Case)
        .where(*conditions, scope_condition(Case, user))
        .order_by(Case.opened_at.desc())
        .limit(limit)
    )
    return [Choice(case.id, f"{case.code} — {case.title}", case.agency.name) for case in cases]
