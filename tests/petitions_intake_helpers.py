"""Shared data for the intake tests: the demo province's agencies, a clerk's petition."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.agencies.models import Agency
from app.core.clock import local_to_utc, set_now
from app.extensions import db
from app.geography.models import AdminUnit
from app.petitions.intake import receive_petition
from app.petitions.intake_data import CaseDecision, IntakeData, SignatoryData
from app.petitions.models import Petition, SubjectArea

# Friday 27/11/2026, 09:00 in Vietnam: the tests' "now".
NOW = dt.datetime(2026, 11, 27, 9, 0)
RECEIVED = local_to_utc(dt.datetime(2026, 11, 27, 8, 30))
# A valid CCCD: Đồng Tháp (087), man born 1978 (digit 0, year 78).
CCCD_HUNG = "087078001234"
CCCD_LAN = "087185004321"


def freeze_now() -> None:
    """Set the application clock to ``NOW``."""
    set_now(NOW)


def user(username: str) -> Any:
    """The demo account ``username``."""
    from flask import current_app

    return current_app.appbuilder.sm.find_user(username=username)


def agency(code: str) -> Agency:
    """The agency with this code."""
    return db.session.scalar(select(Agency).where(Agency.code == code))


def area(code: str) -> SubjectArea:
    """The subject area with this code."""
    return db.session.scalar(select(SubjectArea).where(SubjectArea.code == code))


def commune(
    name: str, district_code: str | None = None, valid_from: dt.date = dt.date(2017, 10, 15)
) -> AdminUnit:
    """The one commune of the 2017 demo structure with this name (inside the district
    with ``district_code`` where the name alone is ambiguous, as "Phường 1" is)."""
    query = select(AdminUnit).where(AdminUnit.name == name, AdminUnit.valid_from == valid_from)
    if district_code is not None:
        district = aliased(AdminUnit)
        query = query.join(district, AdminUnit.parent_id == district.id).where(
            district.code == district_code
        )
    return db.session.scalars(query).one()


def hung(**changes: Any) -> SignatoryData:
    """Nguyễn Văn Hùng of Phường 1, Cao Lãnh."""
    values = {
        "full_name": "Nguyễn Văn Hùng",
        "id_number": CCCD_HUNG,
        "birth_year": 1978,
        "sex": "male",
        "phone": "0918123456",
        "commune_unit_id": commune("Phường 1", "866").id,
        "address_detail": "Số 12 đường Nguyễn Huệ, khóm 3",
    }
    values.update(changes)
    return SignatoryData(**values)


def land_complaint(agency_code: str = "DT17-866-TCD", **changes: Any) -> IntakeData:
    """A land-recovery complaint brought in person by Nguyễn Văn Hùng."""
    values = {
        "agency_id": agency(agency_code).id,
        "received_at": RECEIVED,
        "channel": "in_person",
        "kind": "complaint",
        "subject_area_id": area("kn_dat_dai").id,
        "summary": "Khiếu nại quyết định thu hồi đất và mức bồi thường tại khóm 3, Phường 1",
        "content": "Tôi không đồng ý với mức bồi thường 150.000 đồng/m² đất ở...",
        "contested_act": "Quyết định số 245/QĐ-UBND ngày 02/10/2026 về thu hồi đất",
        "contested_author": "Chủ tịch UBND thành phố Cao Lãnh",
        "signatories": [hung()],
        "decision": CaseDecision(),
    }
    values.update(changes)
    return IntakeData(**values)


def receive(data: IntakeData, username: str = "caolanh.tcd") -> Petition:
    """Receive ``data`` as ``username`` and commit."""
    petition = receive_petition(db.session, data, user(username))
    db.session.commit()
    return petition
