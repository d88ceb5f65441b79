"""The duplicate lookup's candidate queries (R6, R12): indexed, bounded, few round trips.

Every query here reads an index and stops at a LIMIT; none reads every petition. They
run as Core statements on the session's connection (one UNION ALL for the person routes,
one for the petitions of the persons found), so soft-deleted rows are excluded here
explicitly rather than by the ORM's filter (app.audit.softdelete).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, or_, select, union_all
from sqlalchemy.engine import Connection

from app.agencies.models import Agency
from app.petitions.matching import name_orderings, signatures
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory
from app.petitions.normalize import given_name
from app.petitions.search_index import matter_candidates

# Bounds of the candidate queries.
LIMITS = {
    "id_number": 20,
    "phone": 20,
    "signature": 200,
    "commune": 300,
    "petitions": 400,
    "matter": 50,
}


@dataclass(frozen=True)
class PersonTyped:
    """What the clerk typed of the person, folded: the keys the person routes read."""

    name_tokens: tuple[str, ...]
    id_number: str
    phone: str
    communes: tuple[int, ...]


PERSON_COLUMNS = (
    Citizen.id,
    Citizen.full_name,
    Citizen.name_folded,
    Citizen.id_number,
    Citizen.phone,
    Citizen.commune_unit_id,
    Citizen.address_folded,
)


def _starts_with(column: Any, prefix: str) -> Any:
    """``column`` starts with ``prefix``, as an index range on every database."""
    return (column >= prefix) & (column < prefix[:-1] + chr(ord(prefix[-1]) + 1))


def person_routes(typed: PersonTyped) -> list[Any]:
    """R6: the bounded, indexed queries for citizens who may be the person typed: the
    same ID number; the same phone; the same name signature (family + given name, every
    reading of the name's order), in the commune when known; and within the commune the
    same given name (typo in the family or middle name), the same family and middle
    names, or the signature's first letters (typo in the given name)."""
    base = select(*PERSON_COLUMNS).where(Citizen.deleted_at.is_(None))
    routes = []
    if typed.id_number:
        routes.append(base.where(Citizen.id_number == typed.id_number).limit(LIMITS["id_number"]))
    if typed.phone:
        routes.append(base.where(Citizen.phone == typed.phone).limit(LIMITS["phone"]))
    if not typed.name_tokens:
        return routes
    sigs = signatures(typed.name_tokens)
    by_signature = base.where(Citizen.name_signature.in_(sigs))
    if typed.communes:
        by_signature = by_signature.where(Citizen.commune_unit_id.in_(typed.communes))
    routes.append(by_signature.limit(LIMITS["signature"]))
    if not typed.communes:
        return routes
    in_commune = base.where(Citizen.commune_unit_id.in_(typed.communes))
    givens = {sig.split()[-1] for sig in sigs} | {given_name(" ".join(typed.name_tokens))}
    routes.append(in_commune.where(Citizen.given_name.in_(givens)).limit(LIMITS["commune"]))
    # family name + the given name's first letter: "nguyen h" ≤ signature < "nguyen i"
    starts = {sig[: sig.rfind(" ") + 2] for sig in sigs if " " in sig}
    if starts:
        prefixes = or_(*(_starts_with(Citizen.name_signature, start) for start in starts))
        routes.append(in_commune.where(prefixes).limit(LIMITS["commune"]))
    # family and middle names as typed: "nguyen van " (a typo anywhere in the given name)
    leads = {" ".join(r[:-1]) + " " for r in name_orderings(typed.name_tokens) if len(r) > 2}
    if leads:
        prefixes = or_(*(_starts_with(Citizen.name_folded, lead) for lead in leads))
        routes.append(in_commune.where(prefixes).limit(LIMITS["commune"]))
    return routes


def person_candidates(conn: Connection, typed: PersonTyped) -> list[Row]:
    """R6: citizens who may be the person typed, from every route in one round trip."""
    routes = person_routes(typed)
    if not routes:
        return []
    if len(routes) == 1:
        return list(conn.execute(routes[0]))
    statement = union_all(*(select(route.subquery()) for route in routes))
    return list(conn.execute(statement))


def petition_statement(condition: Any) -> Select:
    """The newest petitions meeting ``condition`` (on the petition or its signatory),
    one row per petition and signatory, with the signatory's columns."""
    return (
        select(
            Petition.id.label("petition_id"),
            Petition.case_id,
            Case.code.label("case_code"),
            Petition.agency_id,
            Agency.name.label("agency_name"),
            Petition.received_at,
            Petition.kind,
            Petition.status,
            Petition.summary,
            Petition.search_text,
            *PERSON_COLUMNS,
        )
        .join(Case, Case.id == Petition.case_id)
        .join(Agency, Agency.id == Petition.agency_id)
        .join(PetitionSignatory, PetitionSignatory.petition_id == Petition.id)
        .join(Citizen, Citizen.id == PetitionSignatory.citizen_id)
        .where(
            condition,
            Petition.deleted_at.is_(None),
            Agency.deleted_at.is_(None),
            Citizen.deleted_at.is_(None),
        )
        .order_by(Petition.received_at.desc())
        .limit(LIMITS["petitions"])
    )


def petitions_signed_by(conn: Connection, citizen_ids: Sequence[int]) -> list[Row]:
    """The newest petitions signed by any of ``citizen_ids``: one row per petition and
    signatory among them, with the signatory's columns (``PERSON_COLUMNS``)."""
    return list(conn.execute(petition_statement(PetitionSignatory.citizen_id.in_(citizen_ids))))


def petitions_by_id(conn: Connection, ids: Sequence[int]) -> list[Row]:
    """The petitions ``ids``: one row per petition and signatory, with the signatory."""
    return list(conn.execute(petition_statement(Petition.id.in_(ids))))


def matter_petition_ids(conn: Connection, terms: list[str]) -> list[int]:
    """R12: petitions holding the telling words of the matter typed, from the full-text
    index: all of them, else all but the last (least telling) one."""
    while len(terms) >= 2:
        ids = matter_candidates(conn, terms, LIMITS["matter"])
        if ids:
            return ids
        terms = terms[:-1]
    return []
