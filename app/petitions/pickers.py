"""Search-as-you-type choices for the petition screens: communes and agencies.

Relation fields to tables that grow (communes of every period, the agency tree) are
never dropdowns loading every row (issue 3): the screens ask these functions for the
few entries matching what the clerk has typed, diacritics and case ignored. Both tables
hold a few hundred rows per province, so they are folded in Python after one query of
names; nothing is returned for an empty search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency
from app.agencies.services import in_force
from app.geography.models import AdminUnit
from app.petitions.normalize import fold

LIMIT = 12


@dataclass(frozen=True)
class Choice:
    """One entry of a picker: the id stored, the text shown, a hint in grey."""

    id: int
    label: str
    hint: str = ""


def _rank(words: list[str], folded: str) -> int | None:
    """0 when the text starts with the search, 1 when it contains every word, else None."""
    if not all(word in folded for word in words):
        return None
    return 0 if folded.startswith(" ".join(words)) else 1


def commune_label(unit: AdminUnit) -> str:
    """ "Phường 1, Thành phố Cao Lãnh": the commune and the district above it, if any."""
    parent = unit.parent
    if parent is not None and parent.level != "province":
        return f"{unit.name}, {parent.name}"
    return unit.name


def search_communes(session: Session, q: str, today: dt.date, limit: int = LIMIT) -> list[Choice]:
    """Communes (xã, phường, thị trấn) whose name or district matches ``q``: those in force
    ``today`` first, then the earlier ones (the demo works on the 2017 structure), each
    with its validity as a hint."""
    words = fold(q).split()
    if not words:
        return []
    parent = aliased(AdminUnit)
    rows = session.execute(
        select(AdminUnit, parent.name)
        .outerjoin(parent, parent.id == AdminUnit.parent_id)
        .where(AdminUnit.level == "commune")
        .order_by(AdminUnit.name_key)
    ).all()
    found = []
    for unit, parent_name in rows:
        rank = _rank(words, fold(f"{unit.name} {parent_name or ''}"))
        if rank is None:
            continue
        current = unit.valid_from <= today and (unit.valid_to is None or unit.valid_to >= today)
        found.append(((not current, rank), unit, current))
    found.sort(key=lambda item: item[0])
    return [
        Choice(unit.id, commune_label(unit), "" if current else _period(unit))
        for _key, unit, current in found[:limit]
    ]


def _period(unit: AdminUnit) -> str:
    end = unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else ""
    return f"{unit.valid_from:%d/%m/%Y} – {end}"


def commune_choice(session: Session, unit_id: int | None) -> Choice | None:
    """The picker entry of a chosen commune (to show it again in a form)."""
    unit = session.get(AdminUnit, unit_id) if unit_id is not None else None
    return Choice(unit.id, commune_label(unit)) if unit is not None else None


def search_agencies(
    session: Session,
    q: str,
    condition: ColumnElement[bool],
    today: dt.date,
    limit: int = LIMIT,
) -> list[Choice]:
    """Agencies in force ``today`` satisfying ``condition`` (the caller's scope, or
    "receives petitions") whose name, short name or code matches ``q``."""
    words = fold(q).split()
    if not words:
        return []
    rows = session.scalars(
        select(Agency).where(condition, in_force(today)).order_by(Agency.depth, Agency.name_key)
    ).all()
    found = []
    for agency in rows:
        rank = _rank(words, fold(f"{agency.name} {agency.short_name or ''} {agency.code}"))
        if rank is not None:
            found.append((rank, agency))
    found.sort(key=lambda item: item[0])
    return [Choice(agency.id, agency.name, agency.code) for _rank_, agency in found[:limit]]


def receiving_agencies_in(session: Session, condition: ColumnElement[bool]) -> list[Agency]:
    """R2, R11: the petition-receiving agencies satisfying ``condition`` (the user's scope),
    active, in Vietnamese name order."""
    return list(
        session.scalars(
            select(Agency)
            .where(condition, Agency.receives_petitions.is_(True), Agency.active.is_(True))
            .order_by(Agency.depth, Agency.name_key)
        )
    )


def agency_choice(session: Session, agency_id: int | None) -> Choice | None:
    """The picker entry of a chosen agency."""
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    return Choice(agency.id, agency.name, agency.code) if agency is not None else None
