"""The folded lookup keys of citizens and petitions, kept current on every save (R6, R12).

The duplicate lookup (app.petitions.lookup) finds its candidates through indexed columns:
``Citizen.name_folded``, ``name_signature``, ``given_name``, ``address_folded`` and the
digits of ``id_number`` and ``phone``; ``Petition.search_text`` holds the folded matter
that the full-text index covers (app.petitions.search_index), ``Petition.signatory_names``
the signatories' folded names that the list's search word reads (app.petitions.listing).
The functions here compute them; ``install_lookup_keys_listener`` recomputes them before
every flush, and the bulk inserts (import, synthetic data) call the pure ``*_value(s)``
functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.geography.models import AdminUnit
from app.petitions.identity import digits_only, normalize_phone
from app.petitions.models import Citizen, Petition, PetitionSignatory
from app.petitions.normalize import fold, fold_address, fold_name, given_name, name_signature

# Longest matter text indexed: the summary and the first pages of the content.
SEARCH_TEXT_LIMIT = 4000
# Length of Petition.signatory_names.
SIGNATORY_NAMES_LIMIT = 500

_installed = False


def name_key_values(full_name: str | None) -> dict[str, str]:
    """R6: the folded name columns of a citizen."""
    return {
        "name_folded": fold_name(full_name)[:150],
        "name_signature": name_signature(full_name)[:100],
        "given_name": given_name(full_name)[:50],
    }


def folded_address(address_detail: str | None, place_names: tuple[str, ...] = ()) -> str:
    """R6: the folded address of a citizen: the hamlet/street text followed by
    ``place_names`` (commune, district), as a clerk would type it."""
    address = ", ".join(part for part in (address_detail, *place_names) if part)
    return fold_address(address)[:500]


def citizen_key_values(
    full_name: str | None,
    address_detail: str | None = None,
    place_names: tuple[str, ...] = (),
) -> dict[str, str]:
    """R6: the folded name columns and the folded address of a citizen."""
    return {
        **name_key_values(full_name),
        "address_folded": folded_address(address_detail, place_names),
    }


def petition_search_text(*parts: str | None) -> str:
    """R12: the folded matter of a petition (summary, act complained about, its author,
    content) for the full-text index, cut at ``SEARCH_TEXT_LIMIT`` characters."""
    return fold(" ".join(part for part in parts if part))[:SEARCH_TEXT_LIMIT]


def place_names(session: Session | None, commune_unit_id: int | None) -> tuple[str, ...]:
    """Names of a commune and of the district above it, for the folded address."""
    if session is None or commune_unit_id is None:
        return ()
    commune = session.get(AdminUnit, commune_unit_id)
    if commune is None:
        return ()
    names = [commune.name]
    if commune.parent is not None and commune.parent.level != "province":
        names.append(commune.parent.name)
    return tuple(names)


def refresh_citizen_keys(citizen: Citizen, session: Session | None = None) -> None:
    """R6: recompute the citizen's folded name and address columns; store the ID number
    and the phone as digits so equal numbers typed differently meet in the index."""
    if citizen.id_number:
        citizen.id_number = digits_only(citizen.id_number) or None
    if citizen.phone:
        citizen.phone = normalize_phone(citizen.phone) or None
    commune_id = citizen.commune_unit_id
    if commune_id is None and citizen.commune is not None:
        commune_id = citizen.commune.id
    for key, value in citizen_key_values(
        citizen.full_name, citizen.address_detail, place_names(session, commune_id)
    ).items():
        if getattr(citizen, key) != value:
            setattr(citizen, key, value)


def refresh_petition_search_text(petition: Petition) -> None:
    """R12: recompute the folded matter the full-text index of the lookup reads."""
    text = petition_search_text(
        petition.summary, petition.contested_act, petition.contested_author, petition.content
    )
    if petition.search_text != text:
        petition.search_text = text


def signatory_names_value(folded_names: Iterable[str | None]) -> str:
    """R12: ``Petition.signatory_names`` from the signatories' folded names in signing
    order."""
    return " ".join(name for name in folded_names if name)[:SIGNATORY_NAMES_LIMIT]


def refresh_signatory_names(petition: Petition, session: Session) -> None:
    """R12: recompute the petition's ``signatory_names`` from its signatories still in
    the session (those being deleted left out)."""
    signatories = sorted(
        (s for s in petition.signatories if s not in session.deleted),
        key=lambda s: s.position,
    )
    names = signatory_names_value(_folded_name(session, s) for s in signatories)
    if petition.signatory_names != names:
        petition.signatory_names = names


def _folded_name(session: Session, signatory: PetitionSignatory) -> str | None:
    citizen = signatory.citizen
    if citizen is None and signatory.citizen_id is not None:
        citizen = session.get(Citizen, signatory.citizen_id)
    return citizen.name_folded if citizen is not None else None


def _petitions_signed_by(session: Session, citizens: list[Citizen]) -> list[Petition]:
    ids = [citizen.id for citizen in citizens if citizen.id is not None]
    if not ids:
        return []
    signed = select(PetitionSignatory.petition_id).where(PetitionSignatory.citizen_id.in_(ids))
    return list(session.scalars(select(Petition).where(Petition.id.in_(signed))))


def _refresh_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    renamed: list[Citizen] = []
    petitions: dict[int, Petition] = {}
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Citizen):
            before = obj.name_folded
            refresh_citizen_keys(obj, session)
            if obj.name_folded != before and obj not in session.new:
                renamed.append(obj)
        elif isinstance(obj, Petition):
            refresh_petition_search_text(obj)
            if obj in session.new:
                petitions[id(obj)] = obj
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, PetitionSignatory) and obj.petition is not None:
            petitions[id(obj.petition)] = obj.petition
    with session.no_autoflush:
        for petition in _petitions_signed_by(session, renamed):
            petitions[id(petition)] = petition
        for petition in petitions.values():
            if petition not in session.deleted:
                refresh_signatory_names(petition, session)


def install_lookup_keys_listener() -> None:
    """Keep the lookup keys current: recompute them before every flush (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "before_flush", _refresh_before_flush)
    _installed = True
