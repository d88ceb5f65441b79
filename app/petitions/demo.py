"""A few petitions of the demo province, received through the intake service (issue 3).

One complaint at the provincial inspectorate (the one a district clerk's lookup finds
when the same citizen comes to the district: issue 8's scenario), one reflection at the
People's Committee of Xã Mỹ Ngãi (Cao Lãnh) and one recommendation at the People's
Committee of Xã Tân Dương (Lai Vung), so every district has records the other must not
see. Dates are relative to today, so deadlines show their states. Loaded once: nothing
is added when the province already has petitions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_appbuilder import AppBuilder
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.core.clock import local_to_utc, today_local
from app.geography.models import AdminUnit
from app.petitions.intake import receive_petition
from app.petitions.intake_data import CaseDecision, IntakeData, SignatoryData
from app.petitions.models import Petition, SubjectArea

STRUCTURE_2017 = dt.date(2017, 10, 15)


@dataclass(frozen=True)
class DemoPetition:
    """A demo petition: who receives it, when (days ago, hour), from whom, about what."""

    agency_code: str
    clerk: str
    days_ago: int
    hour: int
    channel: str
    kind: str
    area_code: str
    summary: str
    content: str
    person: dict[str, Any]
    commune: str
    contested_act: str | None = None
    contested_author: str | None = None


DEMO_PETITIONS = [
    DemoPetition(
        agency_code="DT17-TTT",
        clerk="ttt.chuyenvien",
        days_ago=45,
        hour=9,
        channel="post",
        kind="complaint",
        area_code="kn_dat_dai",
        summary=(
            "Khiếu nại quyết định thu hồi đất và mức bồi thường khi làm đường Phạm Hữu Lầu, "
            "ấp 3, xã Mỹ Tân"
        ),
        content=(
            "Gia đình tôi bị thu hồi 320 m² đất nông nghiệp để làm đường Phạm Hữu Lầu. Mức "
            "bồi thường 180.000 đồng/m² thấp hơn giá thị trường; đề nghị xem xét lại."
        ),
        contested_act="Quyết định số 1875/QĐ-UBND ngày 12/8/2026 về thu hồi đất",
        contested_author="Ủy ban nhân dân thành phố Cao Lãnh",
        person={
            "full_name": "Võ Thị Kim Loan",
            "id_number": "087186002468",
            "birth_year": 1986,
            "sex": "female",
            "phone": "0939456123",
            "address_detail": "Ấp 3",
        },
        commune="Xã Mỹ Tân",
    ),
    DemoPetition(
        agency_code="DT17-29881-UB",
        clerk="xa.myngai",
        days_ago=9,
        hour=14,
        channel="in_person",
        kind="reflection",
        area_code="kp_khac",
        summary="Phản ánh đoạn đường bê tông ấp 3 bị ngập, hư hỏng sau mùa lũ",
        content="Đoạn đường dài khoảng 200 m trước nhà văn hóa ấp 3 ngập sâu, xe không đi được.",
        person={
            "full_name": "Trần Văn Bảy",
            "id_number": "087072005566",
            "birth_year": 1972,
            "sex": "male",
            "phone": "0918765432",
            "address_detail": "Ấp 3",
        },
        commune="Xã Mỹ Ngãi",
    ),
    DemoPetition(
        agency_code="DT17-30211-UB",
        clerk="admin",
        days_ago=3,
        hour=10,
        channel="in_person",
        kind="recommendation",
        area_code="kp_chinh_sach",
        summary="Kiến nghị xem xét hỗ trợ hộ cận nghèo cho gia đình tại ấp Tân Thuận",
        content="Gia đình có mẹ già bệnh nặng, thu nhập thấp, đề nghị xét hộ cận nghèo năm 2026.",
        person={
            "full_name": "Huỳnh Thị Sáu",
            "id_number": "087165007788",
            "birth_year": 1965,
            "sex": "female",
            "phone": "0987112233",
            "address_detail": "Ấp Tân Thuận",
        },
        commune="Xã Tân Dương",
    ),
]


def _id_of(session: Session, model: Any, **where: Any) -> int:
    return session.scalar(select(model.id).filter_by(**where))


def _received_when_received(petition: Petition) -> None:
    """R9: the demo clerk received the petition on its day, so its history's "received"
    step is dated then, not when the demo was loaded (weeks after the receipt)."""
    for event in petition.events:
        if event.event == "received":
            event.at = petition.received_at


def load_demo_petitions(appbuilder: AppBuilder, session: Session) -> int:
    """Receive the demo petitions unless the province has petitions already; return how
    many were received."""
    if session.scalar(select(func.count(Petition.id)).execution_options(include_deleted=True)):
        return 0
    today = today_local()
    for demo in DEMO_PETITIONS:
        received = dt.datetime.combine(today - dt.timedelta(days=demo.days_ago), dt.time(demo.hour))
        commune = _id_of(session, AdminUnit, name=demo.commune, valid_from=STRUCTURE_2017)
        data = IntakeData(
            agency_id=_id_of(session, Agency, code=demo.agency_code),
            received_at=local_to_utc(received),
            channel=demo.channel,
            kind=demo.kind,
            subject_area_id=_id_of(session, SubjectArea, code=demo.area_code),
            summary=demo.summary,
            content=demo.content,
            contested_act=demo.contested_act,
            contested_author=demo.contested_author,
            signatories=[SignatoryData(commune_unit_id=commune, **demo.person)],
            decision=CaseDecision(),
        )
        petition = receive_petition(session, data, appbuilder.sm.find_user(username=demo.clerk))
        _received_when_received(petition)
    session.commit()
    return len(DEMO_PETITIONS)
