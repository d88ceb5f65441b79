"""Petitions waiting to be processed, for the processing, forwarding and notification tests:
realistic citizens and matters of the demo province, written straight into the database
the way intake leaves them (register number, case, deadline, "received" step)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.agencies.models import Agency
from app.core.clock import local_to_utc, set_now
from app.extensions import db
from app.petitions.deadlines import assign_processing_deadline
from app.petitions.models import (
    Case,
    Citizen,
    Petition,
    PetitionEvent,
    PetitionSignatory,
    ReasonCode,
)
from app.petitions.processing import ProcessingInput

# Friday 27/11/2026, 09:00 in Vietnam: "now" unless a test moves it.
NOW = dt.datetime(2026, 11, 27, 9, 0)
RECEIVED = dt.datetime(2026, 11, 27, 8, 30)
CAO_LANH_BOARD = "DT17-866-TCD"
PROVINCIAL_INSPECTORATE = "DT17-TTT"
LAI_VUNG_BOARD = "DT17-876-TCD"

LAND_COMPLAINT = {
    "kind": "complaint",
    "summary": (
        "Khiếu nại Quyết định số 245/QĐ-UBND về thu hồi đất và mức bồi thường tại khóm 3, Phường 1"
    ),
    "content": (
        "Tôi là Nguyễn Văn Hùng, ngụ số 12 đường Nguyễn Huệ, khóm 3, Phường 1. Tôi không đồng ý "
        "với mức bồi thường 150.000 đồng/m² đất ở theo Quyết định số 245/QĐ-UBND ngày "
        "02/10/2026, đề nghị xem xét lại theo giá thị trường."
    ),
    "contested_act": "Quyết định số 245/QĐ-UBND ngày 02/10/2026 về việc thu hồi đất",
    "contested_author": "Ủy ban nhân dân thành phố Cao Lãnh",
}
FLOOD_RECOMMENDATION = {
    "kind": "recommendation",
    "summary": "Kiến nghị nạo vét kênh Cái Sao Thượng để chống ngập cho khu dân cư ấp 3, xã Mỹ Tân",
    "content": (
        "Mùa nước nổi năm 2026 kênh Cái Sao Thượng bị bồi lắng, nước tràn vào 40 hộ dân ấp 3. "
        "Chúng tôi kiến nghị tỉnh bố trí kinh phí nạo vét và gia cố bờ bao trước mùa lũ."
    ),
}


def freeze(moment: dt.datetime = NOW) -> None:
    """Set the application clock (Vietnamese local time)."""
    set_now(moment)


def user(username: str) -> Any:
    """The demo account ``username``."""
    return current_app.appbuilder.sm.find_user(username=username)


def agency(code: str) -> Agency:
    """The agency with this code."""
    return db.session.scalar(select(Agency).where(Agency.code == code))


def reason(code: str) -> ReasonCode:
    """A reason of the managed list by code."""
    return db.session.scalar(select(ReasonCode).where(ReasonCode.code == code))


def citizen(agency_code: str, **changes: Any) -> Citizen:
    """Nguyễn Văn Hùng, born 1978, khóm 3, Phường 1, Cao Lãnh (or the values given)."""
    values: dict[str, Any] = {
        "full_name": "Nguyễn Văn Hùng",
        "id_number": "087078001234",
        "id_kind": "cccd",
        "birth_year": 1978,
        "sex": "male",
        "phone": "0918123456",
        "address_detail": "Số 12 đường Nguyễn Huệ, khóm 3, Phường 1, thành phố Cao Lãnh",
    }
    values.update(changes)
    person = Citizen(agency_id=agency(agency_code).id, **values)
    db.session.add(person)
    db.session.flush()
    return person


def received_petition(
    agency_code: str = CAO_LANH_BOARD,
    *,
    matter: dict[str, Any] | None = None,
    received_at: dt.datetime = RECEIVED,
    case: Case | None = None,
    people: list[Citizen] | None = None,
    **changes: Any,
) -> Petition:
    """A petition received at ``agency_code`` (local time ``received_at``), waiting to be
    processed: numbered in the agency's register, in a new case (or ``case``), with its
    processing deadline and its "received" step. Committed."""
    home = agency(agency_code)
    when = local_to_utc(received_at)
    details = dict(matter or LAND_COMPLAINT)
    details.update(changes)
    signers = people if people is not None else [citizen(agency_code)]
    if case is None:
        count = db.session.scalar(select(func.count(Case.id))) or 0
        case = Case(
            code=f"VV{received_at.year}-{home.code}-{count + 1:05d}",
            agency_id=home.id,
            title=details["summary"],
            kind=details["kind"],
            main_citizen_id=signers[0].id if signers else None,
            opened_at=when,
        )
        db.session.add(case)
        db.session.flush()
    number = (
        db.session.scalar(
            select(func.max(Petition.register_number)).where(
                Petition.agency_id == home.id, Petition.register_year == received_at.year
            )
        )
        or 0
    ) + 1
    values = {
        "channel": "in_person",
        "signatory_count": max(len(signers), 1),
        "anonymous": not signers,
        "status": "received",
        **details,
    }
    petition = Petition(
        agency_id=home.id,
        register_year=received_at.year,
        register_number=number,
        received_at=when,
        case_id=case.id,
        **values,
    )
    assign_processing_deadline(db.session, petition)
    db.session.add(petition)
    db.session.flush()
    for position, person in enumerate(signers):
        db.session.add(
            PetitionSignatory(
                petition_id=petition.id,
                citizen_id=person.id,
                position=position,
                is_representative=position == 0,
            )
        )
    db.session.add(
        PetitionEvent(
            petition_id=petition.id,
            at=when,
            username="caolanh.tcd",
            event="received",
            to_status="received",
        )
    )
    db.session.commit()
    return petition


def decision(
    petition: Petition,
    outcome: str,
    reason_code: str,
    *,
    eligible: bool = True,
    competent: bool | None = None,
    note: str = "Đã kiểm tra nội dung đơn và hồ sơ kèm theo.",
    **changes: Any,
) -> ProcessingInput:
    """What a clerk decides about ``petition``, on the version they see."""
    return ProcessingInput(
        version_id=petition.version_id,
        eligible=eligible,
        competent=competent,
        outcome=outcome,
        reason_id=reason(reason_code).id,
        note=note,
        **changes,
    )


def form(petition: Petition, outcome: str, reason_code: str, **changes: Any) -> dict[str, str]:
    """The processing form as the petition page posts it."""
    values = {
        "version_id": str(petition.version_id),
        "eligible": "1",
        "competent": "0",
        "outcome": outcome,
        "reason_id": str(reason(reason_code).id),
        "note": "Nội dung kiến nghị thuộc thẩm quyền giải quyết của cơ quan cấp tỉnh.",
        "target_agency_id": "",
        "target_name": "",
        "doc_number": "",
    }
    values.update({key: str(value) for key, value in changes.items()})
    return values
