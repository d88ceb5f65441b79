"""Petitions on file for the lookup tests: realistic citizens and matters at several
agencies of the demo province, saved through the ORM (so the lookup keys listener runs)."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.core.actor import SYSTEM_ACTOR, acting_as
from app.geography.models import AdminUnit
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory
from app.petitions.numbering import next_register_number

_case_numbers = itertools.count(1)


def agency(session: Session, code: str) -> Agency:
    """The demo agency with ``code``."""
    return session.scalar(select(Agency).where(Agency.code == code))


def commune(session: Session, code: str) -> AdminUnit:
    """The 2017 commune with GSO ``code``."""
    return session.scalar(
        select(AdminUnit).where(AdminUnit.code == code, AdminUnit.level == "commune")
    )


def file_petition(
    session: Session,
    *,
    agency_code: str,
    full_name: str,
    summary: str,
    commune_code: str,
    hamlet: str,
    id_number: str | None = None,
    phone: str | None = None,
    received: dt.datetime | None = None,
    case: Case | None = None,
    citizen: Citizen | None = None,
    kind: str = "complaint",
) -> Petition:
    """Save a petition received by ``agency_code`` from a (new or given) citizen, opening
    a case unless one is given; return it."""
    with acting_as(SYSTEM_ACTOR):
        holder = agency(session, agency_code)
        received = received or dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)
        if citizen is None:
            citizen = Citizen(
                agency_id=holder.id,
                full_name=full_name,
                id_number=id_number,
                phone=phone,
                commune_unit_id=commune(session, commune_code).id,
                address_detail=hamlet,
            )
            session.add(citizen)
        number = next_register_number(session, holder.id, received.year)
        if case is None:
            case = Case(
                code=f"VV-TEST-{next(_case_numbers):06d}",
                agency_id=holder.id,
                title=summary[:200],
                kind=kind,
                opened_at=received,
            )
            session.add(case)
        petition = Petition(
            agency_id=holder.id,
            register_year=received.year,
            register_number=number,
            received_at=received,
            channel="in_person",
            case=case,
            kind=kind,
            summary=summary,
            content=f"Kính gửi {holder.name}. {summary}.",
        )
        session.add(petition)
        session.flush()
        session.add(
            PetitionSignatory(
                petition_id=petition.id, citizen_id=citizen.id, is_representative=True
            )
        )
        session.commit()
        return petition
