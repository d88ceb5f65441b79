"""Petitions written straight into the database for the slip, attachment and reception
tests: realistic Vietnamese citizens of the demo province, in any state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from app.agencies.models import Agency
from app.core.clock import local_to_utc
from app.extensions import db
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory, ReasonCode
from tests.petitions_intake_helpers import commune

# Friday 20/11/2026 14:30 in Vietnam.
RECEIVED = local_to_utc(dt.datetime(2026, 11, 20, 14, 30))


def agency(code: str) -> Agency:
    """The agency with this code."""
    return db.session.scalar(select(Agency).where(Agency.code == code))


def reason(code: str) -> ReasonCode:
    """A reason of the managed list."""
    return db.session.scalar(select(ReasonCode).where(ReasonCode.code == code))


def citizen(agency_code: str = "DT17-866-TCD", **changes: Any) -> Citizen:
    """Nguyễn Văn Hùng of khóm 3, Phường 1, Cao Lãnh (or the values given)."""
    values: dict[str, Any] = {
        "full_name": "Nguyễn Văn Hùng",
        "id_number": "087078001234",
        "id_kind": "cccd",
        "birth_year": 1978,
        "sex": "male",
        "phone": "0918123456",
        "commune_unit_id": commune("Phường 1", "866").id,
        "address_detail": "Số 12 đường Nguyễn Huệ, khóm 3",
    }
    values.update(changes)
    person = Citizen(agency_id=agency(agency_code).id, **values)
    db.session.add(person)
    db.session.flush()
    return person


def petition(
    agency_code: str = "DT17-866-TCD", *, citizens: list[Citizen] | None = None, **changes: Any
) -> Petition:
    """A land complaint received at ``agency_code`` on 20/11/2026 (changes applied)."""
    home = agency(agency_code)
    people = citizens if citizens is not None else [citizen(agency_code)]
    number = changes.pop("register_number", None)
    if number is None:
        number = (
            db.session.scalar(
                select(func.max(Petition.register_number)).where(Petition.agency_id == home.id)
            )
            or 0
        ) + 1
    summary = changes.pop(
        "summary",
        "Khiếu nại Quyết định số 245/QĐ-UBND về thu hồi đất và mức bồi thường tại khóm 3, Phường 1",
    )
    case = Case(
        code=f"VV-{home.code}-{number}",
        agency_id=home.id,
        title=summary[:200],
        kind=changes.get("kind", "complaint"),
        main_citizen_id=people[0].id if people else None,
        opened_at=changes.get("received_at", RECEIVED),
    )
    db.session.add(case)
    db.session.flush()
    values: dict[str, Any] = {
        "agency_id": home.id,
        "register_year": 2026,
        "register_number": number,
        "received_at": RECEIVED,
        "channel": "in_person",
        "case_id": case.id,
        "kind": "complaint",
        "summary": summary,
        "contested_act": "Quyết định số 245/QĐ-UBND ngày 02/10/2026 về việc thu hồi đất",
        "contested_author": "Ủy ban nhân dân thành phố Cao Lãnh",
        "signatory_count": max(len(people), 1),
        "due_date": dt.date(2026, 12, 4),
        "status": "received",
    }
    values.update(changes)
    record = Petition(**values)
    db.session.add(record)
    db.session.flush()
    for position, person in enumerate(people):
        db.session.add(
            PetitionSignatory(
                petition_id=record.id,
                citizen_id=person.id,
                position=position,
                is_representative=position == 0,
            )
        )
    db.session.flush()
    db.session.refresh(record)
    return record
