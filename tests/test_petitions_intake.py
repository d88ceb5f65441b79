"""Receiving a petition (issue 3, R2, R6, R12, R20): the intake service, called directly."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import func, select

from app.core.clock import local_to_utc
from app.extensions import db
from app.notifications.models import Notification
from app.petitions import intake
from app.petitions.intake import is_multi_signatory, receive_petition
from app.petitions.intake_data import (
    JOIN_CASE,
    NEW_CASE_SAME_CITIZEN,
    CaseDecision,
    DenunciationRefused,
    IntakeInvalid,
    SignatoryData,
)
from app.petitions.models import Case, Citizen, Petition, PetitionEvent, PetitionSignatory
from tests.petitions_intake_helpers import (
    CCCD_LAN,
    RECEIVED,
    agency,
    area,
    commune,
    freeze_now,
    hung,
    land_complaint,
    receive,
    user,
)


def _counts() -> tuple[int, int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Petition, Case, Citizen, PetitionEvent)
    )


@pytest.fixture
def ctx(app_ctx):
    freeze_now()
    return app_ctx


def test_a_new_petition_opens_a_case_gets_a_number_a_deadline_and_an_event(ctx):
    petition = receive(land_complaint())

    assert petition.agency.code == "DT17-866-TCD"
    assert petition.register_year == 2026
    assert petition.status == "received"
    # received Friday 27/11/2026: 10 working days later is Friday 11/12/2026
    assert petition.due_date == dt.date(2026, 12, 11)
    assert petition.case.code.startswith("VV2026-DT17-866-TCD-")
    assert petition.case.agency_id == petition.agency_id
    assert petition.case.title == petition.summary
    assert not petition.is_repeat
    [signatory] = petition.signatories
    assert signatory.citizen.full_name == "Nguyễn Văn Hùng"
    assert signatory.citizen.agency.code == "DT17-866-TCD"
    assert signatory.citizen.id_kind == "cccd"
    assert petition.case.main_citizen_id == signatory.citizen_id
    assert [event.event for event in petition.events] == ["received"]
    assert petition.events[0].username == "caolanh.tcd"
    # the lookup keys are filled on save (app.petitions.keys)
    assert signatory.citizen.name_folded == "nguyen van hung"
    assert "boi thuong" in petition.search_text


def test_register_numbers_run_per_agency_and_year(ctx):
    first = receive(land_complaint())
    second = receive(land_complaint(signatories=[hung(full_name="Lê Thị Hoa", id_number=None)]))
    other_agency = receive(land_complaint("DT17-866-TT"), username="caolanh.quantri")
    next_year = receive(land_complaint(received_at=local_to_utc(dt.datetime(2026, 1, 5, 8, 0))))
    assert second.register_number == first.register_number + 1
    assert other_agency.register_number == 1
    assert next_year.register_year == 2026
    last_year = receive(land_complaint(received_at=local_to_utc(dt.datetime(2025, 12, 30, 8))))
    assert (last_year.register_year, last_year.register_number) == (2025, 1)
    assert second.case.code != first.case.code


@pytest.mark.skipif(
    "postgresql" not in os.environ.get("DATABASE_URL", ""),
    reason="concurrent saves race for a number on PostgreSQL; SQLite has one writer at a time",
)
def test_a_number_taken_by_a_concurrent_save_is_drawn_again(ctx, monkeypatch):
    first = receive(land_complaint())
    before = db.session.scalar(select(func.count(Petition.id)))
    draws = iter([first.register_number, first.register_number + 1])
    monkeypatch.setattr(intake, "next_register_number", lambda *args: next(draws))

    second = receive(land_complaint())

    assert second.register_number == first.register_number + 1
    assert db.session.scalar(select(func.count(Petition.id))) == before + 1


def test_a_repeat_joined_to_a_case_at_another_agency_is_filed_not_a_new_case(ctx):
    at_province = receive(land_complaint("DT17-TTT"), username="ttt.chuyenvien")
    cases_before = db.session.scalar(select(func.count(Case.id)))

    repeat = receive(
        land_complaint(decision=CaseDecision(JOIN_CASE, at_province.case_id, "sent_to_many"))
    )

    assert repeat.case_id == at_province.case_id
    assert db.session.scalar(select(func.count(Case.id))) == cases_before
    assert repeat.is_repeat and repeat.repeat_kind == "sent_to_many"
    assert repeat.status == "filed"
    assert repeat.due_date is None
    assert repeat.eligible is False
    assert repeat.agency.code == "DT17-866-TCD"
    # the holding agency learns of it: a step on its petition and a notification
    steps = sorted(at_province.events, key=lambda event: event.id)
    assert [step.event for step in steps] == ["received", "repeat_received"]
    assert repeat.register_code in steps[1].note
    notification = db.session.scalar(
        select(Notification).where(Notification.recipient_agency_id == agency("DT17-TTT").id)
    )
    assert at_province.case.code in notification.title
    assert notification.link == f"/petitions/cases/{at_province.case_id}"
    # the citizen of the other agency is not reused: the clerk registers their own record
    assert repeat.signatories[0].citizen_id != at_province.signatories[0].citizen_id


def test_an_intake_failing_after_the_petition_is_numbered_leaves_nothing(ctx):
    first = receive(land_complaint())
    before = _counts()
    # a repeat whose citizen is already known: the petition is the transaction's first write
    receive_petition(
        db.session,
        land_complaint(decision=CaseDecision(JOIN_CASE, first.case_id, "further_right")),
        user("caolanh.tcd"),
    )
    db.session.rollback()
    assert _counts() == before


def test_a_repeat_with_a_further_right_is_processed_again(ctx):
    first = receive(land_complaint())
    repeat = receive(
        land_complaint(
            prior_resolution="first",
            decision=CaseDecision(JOIN_CASE, first.case_id, "further_right"),
        )
    )
    assert repeat.status == "received"
    assert repeat.due_date == dt.date(2026, 12, 11)
    assert repeat.is_repeat
    # same agency: same citizen record, found by the ID number, and no notification
    assert repeat.signatories[0].citizen_id == first.signatories[0].citizen_id
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_a_new_case_for_the_same_citizen_reuses_the_citizen_in_scope(ctx):
    first = receive(land_complaint())
    other_matter = receive(
        land_complaint(
            kind="recommendation",
            subject_area_id=area("kp_chinh_sach").id,
            summary="Kiến nghị cấp lại giấy chứng nhận hộ nghèo năm 2026",
            signatories=[hung(id_number=None, phone=None)],
            decision=CaseDecision(NEW_CASE_SAME_CITIZEN, first.case_id),
        )
    )
    assert other_matter.case_id != first.case_id
    assert not other_matter.is_repeat
    assert other_matter.signatories[0].citizen_id == first.signatories[0].citizen_id
    assert first.case.code in other_matter.events[0].note


def test_a_multi_signatory_petition_keeps_every_signatory_and_a_representative(ctx):
    people = [
        hung(),
        hung(full_name="Lê Thị Lan", id_number=CCCD_LAN, birth_year=1985, sex="female"),
        hung(full_name="Phạm Văn Tư", id_number=None, birth_year=1960, is_representative=True),
    ]
    petition = receive(land_complaint(signatories=people, signatory_count=23))

    assert petition.signatory_count == 23
    assert is_multi_signatory(petition)
    assert [s.citizen.full_name for s in petition.signatories] == [
        "Nguyễn Văn Hùng",
        "Lê Thị Lan",
        "Phạm Văn Tư",
    ]
    assert [s.is_representative for s in petition.signatories] == [False, False, True]
    assert petition.case.main_citizen.full_name == "Phạm Văn Tư"


def test_several_signatories_without_a_representative_are_represented_by_the_first(ctx):
    lan = hung(full_name="Lê Thị Lan", id_number=CCCD_LAN, birth_year=1985, sex="female")
    people = [hung(), lan]
    petition = receive(land_complaint(signatories=people))
    assert petition.signatory_count == 2
    assert not is_multi_signatory(petition)
    assert [s.is_representative for s in petition.signatories] == [True, False]


def test_an_anonymous_petition_has_no_signatory(ctx):
    petition = receive(land_complaint(anonymous=True, signatories=[]))
    assert petition.anonymous
    assert petition.signatory_count == 0
    assert petition.signatories == []
    assert petition.case.main_citizen_id is None


def test_a_denunciation_is_refused_and_nothing_is_stored(ctx):
    before = _counts()
    with pytest.raises(DenunciationRefused) as refused:
        receive_petition(db.session, land_complaint(kind="denunciation"), user("caolanh.tcd"))
    assert "Luật Tố cáo" in refused.value.message
    db.session.rollback()
    assert _counts() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"agency_id": None}, "agency", "Trường này là bắt buộc"),
        ({"agency_id": 999_999}, "agency", "không tồn tại"),
        ({"summary": ""}, "summary", "Trường này là bắt buộc"),
        ({"summary": "đ" * 501}, "summary", "tối đa 500 ký tự"),
        ({"content": "đ" * 20_001}, "content", "tối đa 20.000 ký tự"),
        ({"received_at": None}, "received_at", "Trường này là bắt buộc"),
        ({"kind": "complaint", "subject_area_id": None}, "subject_area", "bắt buộc"),
        ({"channel": "fax"}, "channel", "Chọn một giá trị trong danh sách"),
        ({"channel": "forwarded"}, "source_agency", "cơ quan, tổ chức đã chuyển đơn"),
        ({"prior_resolution": "maybe"}, "prior_resolution", "Chọn một giá trị"),
        ({"signatories": []}, "signatories-0-full_name", "họ tên người đứng đơn"),
        ({"signatory_count": 0}, "signatory_count", "không được ít hơn 1"),
        ({"visit_id": 999_999}, "visit", "lượt tiếp công dân"),
        ({"decision": CaseDecision(JOIN_CASE, 999_999, "sent_to_many")}, "case", "không tồn tại"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(ctx, changes, field, message):
    before = _counts()
    with pytest.raises(IntakeInvalid) as invalid:
        receive_petition(db.session, land_complaint(**changes), user("caolanh.tcd"))
    assert message in invalid.value.errors[field]
    db.session.rollback()
    assert _counts() == before


def test_an_agency_that_does_not_receive_petitions_is_refused(ctx):
    with pytest.raises(IntakeInvalid) as invalid:
        receive_petition(db.session, land_complaint("DT17-866-UB"), user("caolanh.quantri"))
    assert "không tiếp nhận đơn (R2)" in invalid.value.errors["agency"]


def test_an_agency_outside_the_scope_is_refused(ctx):
    with pytest.raises(IntakeInvalid) as invalid:
        receive_petition(db.session, land_complaint("DT17-866-TCD"), user("laivung.tcd"))
    assert "ngoài phạm vi dữ liệu" in invalid.value.errors["agency"]


def test_a_future_date_received_is_refused(ctx):
    tomorrow = RECEIVED + dt.timedelta(days=1)
    with pytest.raises(IntakeInvalid) as invalid:
        receive_petition(db.session, land_complaint(received_at=tomorrow), user("caolanh.tcd"))
    assert invalid.value.errors["received_at"] == "Ngày tiếp nhận không được ở tương lai."


def test_a_subject_area_of_another_kind_is_refused(ctx):
    data = land_complaint(kind="reflection", subject_area_id=area("kn_dat_dai").id)
    with pytest.raises(IntakeInvalid) as invalid:
        receive_petition(db.session, data, user("caolanh.tcd"))
    assert "phản ánh" in invalid.value.errors["subject_area"]


def test_a_repeat_needs_its_classification(ctx):
    first = receive(land_complaint())
    with pytest.raises(IntakeInvalid) as invalid:
        receive_petition(
            db.session,
            land_complaint(decision=CaseDecision(JOIN_CASE, first.case_id, None)),
            user("caolanh.tcd"),
        )
    assert invalid.value.errors == {"repeat_kind": "Hãy phân loại đơn trùng."}


def test_an_anonymous_petition_with_signatories_is_refused(ctx):
    with pytest.raises(IntakeInvalid) as invalid:
        receive_petition(db.session, land_complaint(anonymous=True), user("caolanh.tcd"))
    assert "nặc danh" in invalid.value.errors["anonymous"]


def test_two_signatories_with_one_id_number_are_refused(ctx):
    data = land_complaint(signatories=[hung(), hung(full_name="Nguyễn Văn Hưng")])
    with pytest.raises(IntakeInvalid) as invalid:
        receive_petition(db.session, data, user("caolanh.tcd"))
    assert "đã nhập cho người đứng đơn khác" in invalid.value.errors["signatories-1-id_number"]


def test_a_citizen_outside_the_scope_cannot_be_chosen(ctx):
    other = receive(
        land_complaint(
            "DT17-876-TCD", signatories=[hung(commune_unit_id=commune("Xã Tân Dương").id)]
        ),
        username="laivung.tcd",
    )
    chosen = SignatoryData(full_name="Nguyễn Văn Hùng", citizen_id=other.signatories[0].citizen_id)
    with pytest.raises(IntakeInvalid) as invalid:
        receive_petition(db.session, land_complaint(signatories=[chosen]), user("caolanh.tcd"))
    assert "ngoài phạm vi" in invalid.value.errors["signatories-0-full_name"]
    db.session.rollback()
    signed = select(func.count(PetitionSignatory.id)).where(
        PetitionSignatory.citizen_id == chosen.citizen_id
    )
    assert db.session.scalar(signed) == 1


def _case(code: str, agency_code: str = "DT17-866-TCD") -> None:
    db.session.add(
        Case(
            code=code,
            agency_id=agency(agency_code).id,
            title="Khiếu nại việc thu hồi đất tại khóm 3, Phường 1",
            kind="complaint",
            opened_at=RECEIVED,
        )
    )
    db.session.commit()


def test_case_codes_go_on_past_99999(ctx):
    """R6: the 100,000th case of a year is …-100000, and the next one …-100001 (as text
    "…-99999" sorts after "…-100000"); a code of another agency whose code starts with
    this agency's ("DT17-866-TCD-X") is not counted."""
    _case("VV2026-DT17-866-TCD-99998")
    _case("VV2026-DT17-866-TCD-99999")
    _case("VV2026-DT17-866-TCD-X-99999", "DT17-866-TT")

    first = receive(land_complaint())
    second = receive(land_complaint(signatories=[hung(full_name="Lê Thị Hoa", id_number=None)]))

    assert first.case.code == "VV2026-DT17-866-TCD-100000"
    assert second.case.code == "VV2026-DT17-866-TCD-100001"
