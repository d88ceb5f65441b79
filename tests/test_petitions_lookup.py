"""R6, R12: the clerk's lookup finds a complaint already filed at another agency, shows
why, ranks the same matter first and shows nothing of petitions outside the clerk's
scope beyond the agency, date, kind and status."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from app.audit.softdelete import soft_delete
from app.core.actor import SYSTEM_ACTOR, acting_as
from app.extensions import db
from app.petitions.lookup import (
    DEFAULT_THRESHOLD,
    MATTER_ALIKE,
    NAME_ADDRESS_ALIKE,
    SAME_ID_NUMBER,
    SAME_PHONE,
    LookupQuery,
    lookup,
)
from app.petitions.models import Citizen
from tests.lookup_helpers import commune, file_petition

MY_TAN = "29884"  # Xã Mỹ Tân, thành phố Cao Lãnh
MY_NGAI = "29881"  # Xã Mỹ Ngãi, thành phố Cao Lãnh
LAND_MATTER = (
    "Khiếu nại Quyết định số 1520/QĐ-UBND thu hồi đất thửa số 125, tờ bản đồ số 7 để mở "
    "rộng đường Phạm Hữu Lầu; đề nghị bồi thường theo giá thị trường"
)
OTHER_MATTER = "Kiến nghị cấp lại giấy chứng nhận quyền sử dụng đất bị thất lạc khi lũ năm 2024"


@pytest.fixture
def on_file(app_ctx):
    """Ông Nguyễn Văn Hùng of Ấp 3, Mỹ Tân: his land complaint at the provincial
    inspectorate and an older request at Cao Lãnh's reception board; two namesakes."""
    session = db.session
    hung = file_petition(
        session,
        agency_code="DT17-TTT",
        full_name="Nguyễn Văn Hùng",
        summary=LAND_MATTER,
        commune_code=MY_TAN,
        hamlet="Ấp 3",
        id_number="087085001234",
        phone="0913456789",
        received=dt.datetime(2026, 2, 10, 2, 0, tzinfo=dt.UTC),
    )
    citizen = hung.signatories[0].citizen
    older = file_petition(
        session,
        agency_code="DT17-866-TCD",
        full_name="",
        summary=OTHER_MATTER,
        commune_code=MY_TAN,
        hamlet="",
        citizen=citizen,
        kind="recommendation",
        received=dt.datetime(2025, 11, 4, 3, 0, tzinfo=dt.UTC),
    )
    namesake_lai_vung = file_petition(
        session,
        agency_code="DT17-876-TCD",
        full_name="Nguyễn Văn Hùng",
        summary="Khiếu nại việc UBND xã Tân Thành thu hồi đất làm chợ, chưa bồi thường hoa màu",
        commune_code="30226",
        hamlet="Ấp Tân Lợi",
        id_number="087079004455",
    )
    namesake_my_tan = file_petition(
        session,
        agency_code="DT17-866-TCD",
        full_name="Nguyễn Văn Hùng",
        summary="Phản ánh cơ sở xay xát gây tiếng ồn, bụi ảnh hưởng các hộ dân Ấp 1",
        commune_code=MY_TAN,
        hamlet="Ấp 1",
        kind="reflection",
    )
    return {
        "hung": hung,
        "older": older,
        "namesake_lai_vung": namesake_lai_vung,
        "namesake_my_tan": namesake_my_tan,
    }


def _clerk(app, username="caolanh.tcd"):
    return app.appbuilder.sm.find_user(username=username)


def test_clerk_finds_the_complaint_filed_at_the_provincial_inspectorate(app_ctx, on_file):
    matches = lookup(
        db.session,
        LookupQuery(
            full_name="Nguyễn Văn Hùng",
            id_number="087 085 001 234",
            address="Ấp 3, xã Mỹ Tân, TP. Cao Lãnh",
            matter="thu hồi đất thửa 125 tờ bản đồ 7 làm đường Phạm Hữu Lầu",
        ),
        _clerk(app_ctx),
    )
    top = matches[0]
    assert top.case_id == on_file["hung"].case_id
    assert top.agency_name == "Thanh tra tỉnh Đồng Tháp"
    assert top.reasons[0] == SAME_ID_NUMBER
    assert {NAME_ADDRESS_ALIKE, MATTER_ALIKE} <= set(top.reasons)
    assert top.score >= 90
    assert top.kind == "complaint" and top.status == "received"
    assert top.received_at == dt.datetime(2026, 2, 10, 2, 0, tzinfo=dt.UTC)


def test_outside_the_scope_only_agency_date_kind_and_status_are_shown(app_ctx, on_file):
    matches = lookup(
        db.session,
        LookupQuery(full_name="Nguyen Van Hung", id_number="087085001234"),
        _clerk(app_ctx),
        threshold=0,
    )
    by_case = {m.case_id: m for m in matches}
    provincial = by_case[on_file["hung"].case_id]
    assert not provincial.in_scope
    assert provincial.citizen_name is None and provincial.summary is None
    own = by_case[on_file["older"].case_id]
    assert own.in_scope
    assert own.citizen_name == "Nguyễn Văn Hùng"
    assert own.summary == OTHER_MATTER


def test_the_province_monitor_sees_every_match_unmasked(app_ctx, on_file):
    matches = lookup(
        db.session, LookupQuery(id_number="087085001234"), _clerk(app_ctx, "btcd.giamsat")
    )
    assert matches and all(m.in_scope and m.summary for m in matches)


def test_each_case_appears_once_with_its_best_petition(app_ctx, on_file):
    hung = on_file["hung"]
    repeat = file_petition(
        db.session,
        agency_code="DT17-866-TCD",
        full_name="",
        summary="Đơn khiếu nại thu hồi đất thửa 125 tờ bản đồ 7 (gửi lại lần hai)",
        commune_code=MY_TAN,
        hamlet="",
        citizen=hung.signatories[0].citizen,
        case=hung.case,
        received=dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC),
    )
    matches = lookup(
        db.session,
        LookupQuery(full_name="Nguyễn Văn Hùng", id_number="087085001234", matter="thửa 125"),
        _clerk(app_ctx),
        threshold=0,
    )
    case_ids = [m.case_id for m in matches]
    assert len(case_ids) == len(set(case_ids))
    assert matches[0].case_id == hung.case_id
    assert matches[0].petition_id in {hung.id, repeat.id}


def test_same_person_with_another_matter_ranks_below_the_same_matter(app_ctx, on_file):
    matches = lookup(
        db.session,
        LookupQuery(
            full_name="Nguyễn Văn Hùng",
            phone="+84 913 456 789",
            address="Ấp 3, Mỹ Tân",
            matter="bồi thường thu hồi đất thửa 125",
        ),
        _clerk(app_ctx),
        threshold=0,
    )
    order = [m.case_id for m in matches]
    assert order.index(on_file["hung"].case_id) < order.index(on_file["older"].case_id)
    same, other = matches[0], matches[order.index(on_file["older"].case_id)]
    assert SAME_PHONE in same.reasons and MATTER_ALIKE in same.reasons
    assert MATTER_ALIKE not in other.reasons
    assert same.score >= DEFAULT_THRESHOLD > other.score


@pytest.mark.parametrize(
    ("variant", "full_name", "address"),
    [
        (
            "decomposed Unicode (NFD)",
            unicodedata.normalize("NFD", "Nguyễn Văn Hùng"),
            "Ấp 3, xã Mỹ Tân",
        ),
        ("capitals without diacritics", "NGUYEN VAN HUNG", "AP 3, XA MY TAN, TP CAO LANH"),
        ("abbreviations", "Nguyễn Văn Hùng", "Ấp 3, X.Mỹ Tân, TP.Cao Lãnh"),
        ("number in words", "Nguyễn Văn Hùng", "ấp Ba, xã Mỹ Tân"),
        ("given name first", "Hùng Văn Nguyễn", "Ấp 3, xã Mỹ Tân"),
        ("missing middle name", "Nguyễn Hùng", "Ấp 3, xã Mỹ Tân, thành phố Cao Lãnh"),
        ("typo in the given name", "Nguyễn Văn Hừng", "Ấp 3, xã Mỹ Tân"),
        ("typo in the family name", "Ngyen Van Hung", "ap 3 my tan cao lanh"),
        ("spacing and punctuation", "  Nguyễn   Văn-Hùng. ", "Ấp 3 ,, xã  Mỹ Tân"),
    ],
)
def test_variants_of_name_and_address_find_the_complaint(
    app_ctx, on_file, variant, full_name, address
):
    matches = lookup(
        db.session,
        LookupQuery(full_name=full_name, address=address, matter="thu hồi đất thửa 125"),
        _clerk(app_ctx),
    )
    assert matches, variant
    assert matches[0].case_id == on_file["hung"].case_id, variant
    assert matches[0].score >= DEFAULT_THRESHOLD, variant


def test_commune_picked_instead_of_typed(app_ctx, on_file):
    matches = lookup(
        db.session,
        LookupQuery(
            full_name="Nguyễn Văn Hùng",
            commune_unit_id=commune(db.session, MY_TAN).id,
            matter="đường Phạm Hữu Lầu",
        ),
        _clerk(app_ctx),
    )
    assert matches[0].case_id == on_file["hung"].case_id
    assert NAME_ADDRESS_ALIKE in matches[0].reasons


def test_a_common_name_alone_does_not_pass_the_threshold(app_ctx, on_file):
    user = _clerk(app_ctx)
    assert lookup(db.session, LookupQuery(full_name="Nguyễn Văn Hùng"), user) == []
    found = lookup(db.session, LookupQuery(full_name="Nguyễn Văn Hùng"), user, threshold=0)
    assert len(found) >= 3


def test_a_namesake_elsewhere_with_another_matter_stays_below_the_threshold(app_ctx, on_file):
    matches = lookup(
        db.session,
        LookupQuery(
            full_name="Nguyễn Văn Hùng",
            address="Ấp Tân Lợi, xã Tân Thành, huyện Lai Vung",
            matter="thu hồi đất thửa 125 đường Phạm Hữu Lầu",
        ),
        _clerk(app_ctx),
    )
    assert on_file["namesake_lai_vung"].case_id not in {m.case_id for m in matches}
    assert on_file["hung"].case_id not in {
        m.case_id for m in matches if NAME_ADDRESS_ALIKE in m.reasons
    }


def test_a_different_id_number_outweighs_an_equal_name(app_ctx, on_file):
    matches = lookup(
        db.session,
        LookupQuery(
            full_name="Nguyễn Văn Hùng",
            id_number="087092007788",
            address="Ấp 1, xã Mỹ Tân",
            matter="cơ sở xay xát gây tiếng ồn",
        ),
        _clerk(app_ctx),
        threshold=0,
    )
    assert matches[0].case_id == on_file["namesake_my_tan"].case_id
    hung = next(m for m in matches if m.case_id == on_file["hung"].case_id)
    assert hung.score < DEFAULT_THRESHOLD


def test_the_matter_alone_finds_a_petition_signed_by_someone_else(app_ctx, on_file):
    matches = lookup(
        db.session,
        LookupQuery(full_name="Trần Thị Lan", matter="thửa 125 tờ bản đồ 7 đường Phạm Hữu Lầu"),
        _clerk(app_ctx),
        threshold=0,
    )
    assert matches[0].case_id == on_file["hung"].case_id
    assert matches[0].reasons == (MATTER_ALIKE,)
    assert matches[0].score < DEFAULT_THRESHOLD


def test_an_empty_query_finds_nothing(app_ctx, on_file):
    assert lookup(db.session, LookupQuery(), _clerk(app_ctx), threshold=0) == []


def test_a_deleted_petition_is_not_offered(app_ctx, on_file):
    with acting_as(SYSTEM_ACTOR):
        soft_delete(on_file["hung"])
        db.session.commit()
    matches = lookup(
        db.session, LookupQuery(id_number="087085001234"), _clerk(app_ctx), threshold=0
    )
    assert on_file["hung"].case_id not in {m.case_id for m in matches}


def test_a_corrected_name_is_found_after_saving(app_ctx, on_file):
    citizen = db.session.get(Citizen, on_file["namesake_my_tan"].signatories[0].citizen_id)
    with acting_as(SYSTEM_ACTOR):
        citizen.full_name = "Nguyễn Văn Hưng Thịnh"
        citizen.address_detail = "Ấp 4"
        db.session.commit()
    assert citizen.name_signature == "nguyen thinh"
    matches = lookup(
        db.session,
        LookupQuery(full_name="Nguyen Van Hung Thinh", address="ap bon, xa my tan"),
        _clerk(app_ctx),
    )
    assert matches[0].case_id == on_file["namesake_my_tan"].case_id
