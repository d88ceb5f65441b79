"""The cross-agency duplicate lookup every intake starts with (R6, R12).

R12 obliges the official receiving a petition to look it up first and to enter it only
when the citizen has not filed it elsewhere; R6 asks the software to prevent one
complaint being filed at several agencies. So the lookup deliberately searches every
agency of the province, not the clerk's data scope: a duplicate held by the provincial
inspectorate is exactly what a district clerk must see. What it shows of a petition
outside the clerk's scope is limited to the case, the agency holding it, the date, the
kind, the status, the score and its reasons — never the summary, the content or the
citizen's details beyond what the clerk typed (``citizen_name`` and ``summary`` are None).

How: candidates come from indexed columns only, each query bounded
(app.petitions.candidates): the same ID number, the same phone, the same name signature
(family + given name, so a missing middle name or another order of the parts still
meets), within the commune the same given name, family and middle names or signature
prefix (typos), and the full-text index of the matter (app.petitions.search_index). The
bounded candidate set is scored with rapidfuzz (app.petitions.matching): one score per
petition from how surely its signatory is the person typed and how alike its matter is;
each case appears once, with its best petition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.petitions.candidates import (
    PersonTyped,
    matter_petition_ids,
    person_candidates,
    petitions_by_id,
    petitions_signed_by,
)
from app.petitions.communes import place_words, resolve_communes
from app.petitions.identity import digits_only, normalize_phone
from app.petitions.matching import (
    MatterQuery,
    address_similarity,
    marked_name_penalty,
    matter_similarity,
    name_similarity,
    signatures,
)
from app.petitions.normalize import fold_address, fold_name, name_signature
from app.security.scope import scope_condition

# Score (0–100) from which a match is shown as a likely duplicate (bench/lookup_quality.py).
DEFAULT_THRESHOLD = 75.0

SAME_ID_NUMBER = "same_id_number"
SAME_PHONE = "same_phone"
NAME_ADDRESS_ALIKE = "name_address_alike"
MATTER_ALIKE = "matter_alike"
REASON_LABELS = {
    SAME_ID_NUMBER: _l("Same ID number"),
    SAME_PHONE: _l("Same phone number"),
    NAME_ADDRESS_ALIKE: _l("Name and address alike"),
    MATTER_ALIKE: _l("Matter alike"),
}

# Candidates whose person is this unlike the query are not worth a petition query.
_MIN_IDENTITY = 0.3
# At most this many candidate persons have their petitions read.
_CITIZENS_SCORED = 40
# Of many candidates with a name, only the closest names are scored in full.
_NAMES_SCORED = 80
# Likeness (0–1) from which a reason is given: name and address alike, matter alike.
_NAME_ALIKE = 0.85
_ADDRESS_ALIKE = 0.75
_MATTER_ALIKE = 0.5


@dataclass(frozen=True)
class LookupQuery:
    """What the clerk typed of what the citizen gives; any field may be empty."""

    full_name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    commune_unit_id: int | None = None
    matter: str = ""


@dataclass(frozen=True)
class LookupMatch:
    """One case found, through its best petition. ``citizen_name`` and ``summary`` are
    None when the petition lies outside the clerk's data scope."""

    petition_id: int
    case_id: int
    case_code: str
    score: float
    reasons: tuple[str, ...]
    agency_id: int
    agency_name: str
    received_at: dt.datetime
    kind: str
    status: str
    in_scope: bool
    citizen_name: str | None
    summary: str | None


@dataclass(frozen=True)
class _Prepared:
    """The query folded once: the person's keys, the address, the matter's words."""

    name: str
    person: PersonTyped
    address: str
    matter: MatterQuery | None

    @property
    def names_someone(self) -> bool:
        return bool(self.person.name_tokens or self.person.id_number or self.person.phone)


@dataclass
class _Person:
    """A candidate citizen and how surely they are the person typed."""

    id: int
    full_name: str
    name_folded: str
    id_number: str | None
    phone: str | None
    commune_id: int | None
    address_folded: str
    identity: float = 0.0
    reasons: tuple[str, ...] = ()
    scored: bool = False

    def score(self, q: _Prepared) -> None:
        """Judge how surely this citizen is the person typed (R6)."""
        self.identity, self.reasons = _identity(q, self)
        self.scored = True

    @classmethod
    def from_row(cls, row: Any) -> _Person:
        return cls(
            row.id,
            row.full_name,
            row.name_folded,
            row.id_number,
            row.phone,
            row.commune_unit_id,
            row.address_folded,
        )


def _prepare(session: Session, query: LookupQuery) -> _Prepared:
    address = fold_address(query.address)
    communes: tuple[int, ...] = ()
    if query.commune_unit_id is not None:
        communes = (query.commune_unit_id,)
    elif address:
        communes = resolve_communes(session, query.address)
    id_number = digits_only(query.id_number)
    phone = normalize_phone(query.phone)
    person = PersonTyped(
        name_tokens=tuple(fold_name(query.full_name).split()),
        id_number=id_number if len(id_number) in (9, 12) else "",
        phone=phone if len(phone) >= 9 else "",
        communes=communes,
    )
    matter = MatterQuery.from_text(query.matter, place_words(session, address, communes))
    return _Prepared(query.full_name.strip(), person, address, matter)


def _identity(q: _Prepared, person: _Person) -> tuple[float, tuple[str, ...]]:
    """R6: how surely the stored citizen is the person typed, and why."""
    typed = q.person
    reasons: list[str] = []
    name = name_similarity(typed.name_tokens, person.name_folded) if typed.name_tokens else 0.0
    if name:
        name = max(0.0, name - marked_name_penalty(q.name, person.full_name))
    commune = None
    if typed.communes:
        commune = person.commune_id if person.commune_id in typed.communes else typed.communes[0]
    address = address_similarity(q.address, commune, person.address_folded, person.commune_id)
    identity = name * (0.45 + 0.55 * address) if address is not None else name * 0.7
    if name >= _NAME_ALIKE and address is not None and address >= _ADDRESS_ALIKE:
        reasons.append(NAME_ADDRESS_ALIKE)
    if typed.phone and person.phone == typed.phone:
        reasons.insert(0, SAME_PHONE)
        identity = max(identity, 0.75 + 0.25 * name if typed.name_tokens else 0.85)
    if typed.id_number and person.id_number:
        if person.id_number == typed.id_number:
            reasons.insert(0, SAME_ID_NUMBER)
            identity = 1.0 if not typed.name_tokens or name >= 0.5 else 0.9
        elif len(person.id_number) == len(typed.id_number):
            # two numbers of one kind that differ: two people (a CMND and a CCCD may be one)
            identity *= 0.5
    return identity, tuple(reasons)


def _score(identity: float, matter: float | None) -> float:
    """One score out of 100: the person's likeness, weighed by the matter's when typed
    (the same person with another matter, or another person with the same matter, stays
    below the threshold)."""
    if matter is None:
        return round(90.0 * identity, 1)
    return round(100.0 * identity * (0.5 + 0.5 * matter), 1)


def _worth_scoring(q: _Prepared, persons: dict[int, _Person]) -> list[_Person]:
    """The candidates to score in full: everyone with the ID number, the phone or the
    name signature typed, and the ``_NAMES_SCORED`` names closest to the one typed (one
    rapidfuzz pass in C; a subset of the other's words counts as close, for the missing
    middle names)."""
    typed = q.person
    if len(persons) <= _NAMES_SCORED or not typed.name_tokens:
        return list(persons.values())
    sigs = set(signatures(typed.name_tokens))
    chosen = {
        p.id: p
        for p in persons.values()
        if (typed.id_number and p.id_number == typed.id_number)
        or (typed.phone and p.phone == typed.phone)
        or name_signature(p.name_folded) in sigs
    }
    closest = process.extract(
        " ".join(typed.name_tokens),
        {p.id: p.name_folded for p in persons.values()},
        scorer=fuzz.token_set_ratio,
        limit=_NAMES_SCORED,
    )
    chosen.update((key, persons[key]) for _name, _score, key in closest)
    return list(chosen.values())


def _candidate_rows(conn: Connection, q: _Prepared) -> tuple[dict[int, _Person], list[Any]]:
    """The candidate persons (scored) and the rows of their petitions and of the
    petitions holding the matter's telling words."""
    persons = {row.id: _Person.from_row(row) for row in person_candidates(conn, q.person)}
    for person in _worth_scoring(q, persons):
        person.score(q)
    likely = sorted(
        (p for p in persons.values() if p.identity >= _MIN_IDENTITY or p.reasons),
        key=lambda p: p.identity,
        reverse=True,
    )[:_CITIZENS_SCORED]
    rows = petitions_signed_by(conn, [p.id for p in likely]) if likely else []
    if q.matter is not None:
        found = {row.petition_id for row in rows}
        ids = [i for i in matter_petition_ids(conn, q.matter.distinctive(3)) if i not in found]
        if ids:
            extra = petitions_by_id(conn, ids)
            for row in extra:
                person = persons.setdefault(row.id, _Person.from_row(row))
                if not person.scored:
                    person.score(q)
            rows.extend(extra)
    return persons, rows


def _in_scope_agencies(session: Session, agency_ids: set[int], user: Any) -> set[int]:
    if not agency_ids:
        return set()
    statement = select(Agency.id).where(Agency.id.in_(agency_ids), scope_condition(Agency, user))
    return set(session.scalars(statement))


def lookup(
    session: Session,
    query: LookupQuery,
    user: Any,
    *,
    limit: int = 10,
    threshold: float | None = None,
) -> list[LookupMatch]:
    """R6, R12: petitions of every agency of the province that may be the one typed,
    one per case, best first, scored 0–100 with reasons; masked outside ``user``'s scope.

    ``threshold`` (default ``DEFAULT_THRESHOLD``) drops weaker matches; pass 0 to list
    everything found, e.g. the same citizen's other matters.
    """
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    q = _prepare(session, query)
    if not (q.names_someone or q.matter):
        return []
    persons, rows = _candidate_rows(session.connection(), q)
    best: dict[int, tuple[float, tuple[str, ...], Any, _Person]] = {}
    for row in rows:
        person = persons[row.id]
        matter = matter_similarity(q.matter, row.search_text) if q.matter is not None else None
        reasons = person.reasons
        if matter is not None and matter >= _MATTER_ALIKE:
            reasons = (*reasons, MATTER_ALIKE)
        score = _score(person.identity if q.names_someone else 0.0, matter)
        current = best.get(row.case_id)
        if current is None or score > current[0]:
            best[row.case_id] = (score, reasons, row, person)
    ranked = sorted(
        (entry for entry in best.values() if entry[0] >= threshold),
        key=lambda entry: (-entry[0], -entry[2].received_at.timestamp()),
    )[:limit]
    in_scope = _in_scope_agencies(session, {entry[2].agency_id for entry in ranked}, user)
    return [
        LookupMatch(
            petition_id=row.petition_id,
            case_id=row.case_id,
            case_code=row.case_code,
            score=score,
            reasons=reasons,
            agency_id=row.agency_id,
            agency_name=row.agency_name,
            received_at=row.received_at,
            kind=row.kind,
            status=row.status,
            in_scope=row.agency_id in in_scope,
            citizen_name=person.full_name if row.agency_id in in_scope else None,
            summary=row.summary if row.agency_id in in_scope else None,
        )
        for score, reasons, row, person in ranked
    ]
