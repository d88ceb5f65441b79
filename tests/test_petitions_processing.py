"""Processing a petition (issue 3; TT 07/2014 Art. 6–9, 21–28; legal-domain §2.3–2.4):
each outcome with its reason, and every refused step leaving the petition untouched."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.notifications.models import Notification
from app.petitions.hooks import petition_accepted
from app.petitions.models import Petition, PetitionEvent, PetitionTransfer
from app.petitions.processing import process_petition
from app.petitions.refusals import NotPermitted, ProcessingRefused, StaleVersion
from tests.petitions_processing_records import (
    CAO_LANH_BOARD,
    FLOOD_RECOMMENDATION,
    LAI_VUNG_BOARD,
    PROVINCIAL_INSPECTORATE,
    agency,
    decision,
    freeze,
    received_petition,
    user,
)


@pytest.fixture
def clerk(app_ctx):
    """Nguyễn Thị Lan, clerk of the Cao Lãnh citizen reception board, on 27/11/2026."""
    freeze()
    return user("caolanh.tcd")


def _snapshot(petition: Petition) -> tuple:
    db.session.expire_all()
    fresh = db.session.get(Petition, petition.id)
    events = db.session.scalar(
        select(func.count(PetitionEvent.id)).where(PetitionEvent.petition_id == petition.id)
    )
    return (
        fresh.status,
        fresh.version_id,
        fresh.processed_at,
        fresh.outcome_reason_id,
        fresh.eligible,
        fresh.competent,
        events,
    )


def _refused(petition: Petition, data, actor) -> ProcessingRefused:
    """Process, expect a refusal, roll back as the screen does; return the refusal."""
    with pytest.raises(ProcessingRefused) as caught:
        process_petition(db.session, petition, data, actor)
    db.session.rollback()
    return caught.value


def test_accepting_a_complaint_within_competence_opens_the_way_to_a_dossier(clerk):
    petition = received_petition()
    accepted = []

    def dossier_opener(sender, *, session, user):
        accepted.append((sender.id, sender.status, user.username))

    petition_accepted.connect(dossier_opener)
    try:
        data = decision(petition, "accepted", "thuoc_tham_quyen", competent=True)
        process_petition(db.session, petition, data, clerk)
        db.session.commit()
    finally:
        petition_accepted.disconnect(dossier_opener)

    assert accepted == [(petition.id, "accepted", "caolanh.tcd")]
    assert petition.status == "accepted"
    assert petition.eligible is True and petition.competent is True
    assert petition.processed_by_id == clerk.id
    assert petition.outcome_reason.code == "thuoc_tham_quyen"
    assert petition.case.agency_id == agency(CAO_LANH_BOARD).id
    step = petition.events[-1]
    assert (step.event, step.from_status, step.to_status) == ("processed", "received", "accepted")
    assert "Thuộc thẩm quyền, đủ điều kiện thụ lý" in step.note


def test_a_receiver_that_fails_refuses_the_acceptance(clerk):
    petition = received_petition()
    before = _snapshot(petition)

    def broken(sender, *, session, user):
        raise ProcessingRefused({"": "Không mở được hồ sơ giải quyết."})

    petition_accepted.connect(broken)
    try:
        data = decision(petition, "accepted", "thuoc_tham_quyen", competent=True)
        refusal = _refused(petition, data, clerk)
    finally:
        petition_accepted.disconnect(broken)
    assert refusal.message == "Không mở được hồ sơ giải quyết."
    assert _snapshot(petition) == before


def test_accepting_is_refused_when_the_agency_is_not_competent(clerk):
    petition = received_petition()
    before = _snapshot(petition)
    refusal = _refused(
        petition, decision(petition, "accepted", "thuoc_tham_quyen", competent=False), clerk
    )
    assert "Chỉ cơ quan có thẩm quyền" in refusal.errors["outcome"]
    assert _snapshot(petition) == before


def test_a_complaint_outside_competence_is_guided_not_forwarded(clerk):
    petition = received_petition()
    before = _snapshot(petition)
    forward = decision(
        petition,
        "forwarded",
        "kien_nghi_ngoai_tham_quyen",
        competent=False,
        target_agency_id=agency(PROVINCIAL_INSPECTORATE).id,
    )
    refusal = _refused(petition, forward, clerk)
    assert "Khiếu nại không thuộc thẩm quyền" in refusal.errors["outcome"]
    assert "hướng dẫn" in refusal.errors["outcome"]
    assert _snapshot(petition) == before
    assert db.session.scalar(select(func.count(PetitionTransfer.id))) == 0

    guide = decision(
        petition,
        "guided",
        "khieu_nai_ngoai_tham_quyen",
        competent=False,
        target_agency_id=agency("DT17-866-UB").id,
        doc_number="15/HD-BTCD",
    )
    process_petition(db.session, petition, guide, clerk)
    db.session.commit()
    assert petition.status == "guided"
    assert petition.target_name == "Ủy ban nhân dân thành phố Cao Lãnh"
    assert petition.outcome_doc_number == "15/HD-BTCD"


def test_a_recommendation_outside_competence_is_forwarded(clerk):
    petition = received_petition(matter=FLOOD_RECOMMENDATION)
    target = agency(PROVINCIAL_INSPECTORATE)
    data = decision(
        petition,
        "forwarded",
        "kien_nghi_ngoai_tham_quyen",
        competent=False,
        target_agency_id=target.id,
        doc_number="87/PC-BTCD",
    )
    process_petition(db.session, petition, data, clerk)
    db.session.commit()
    transfer = db.session.scalar(select(PetitionTransfer))
    assert petition.status == "forwarded"
    assert petition.target_agency_id == target.id
    assert (transfer.to_agency_id, transfer.status, transfer.doc_number) == (
        target.id,
        "pending",
        "87/PC-BTCD",
    )
    notice = db.session.scalar(select(Notification))
    assert notice.recipient_agency_id == target.id
    assert notice.title == "Đơn chuyển đến từ Ban Tiếp công dân thành phố Cao Lãnh"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (None, "Chọn cơ quan có thẩm quyền."),
        ("DT17-UBT", "không tiếp nhận đơn"),
        (CAO_LANH_BOARD, "không chuyển cho chính cơ quan"),
    ],
)
def test_forwarding_needs_another_agency_that_receives_petitions(clerk, target, message):
    petition = received_petition(matter=FLOOD_RECOMMENDATION)
    before = _snapshot(petition)
    data = decision(
        petition,
        "forwarded",
        "kien_nghi_ngoai_tham_quyen",
        competent=False,
        target_agency_id=agency(target).id if target else None,
    )
    refusal = _refused(petition, data, clerk)
    assert message in refusal.errors["target_agency"]
    assert _snapshot(petition) == before


@pytest.mark.parametrize(
    ("outcome", "reason_code", "competent"),
    [
        ("accepted", "thuoc_tham_quyen", True),
        ("guided", "bo_sung_thong_tin", True),
        ("archived", "da_giai_quyet", True),
    ],
)
def test_each_outcome_needs_a_reason_of_its_own_list_and_an_explanation(
    clerk, outcome, reason_code, competent
):
    petition = received_petition()
    before = _snapshot(petition)
    missing = decision(petition, outcome, reason_code, competent=competent, note="  ")
    missing = missing.__class__(**{**missing.__dict__, "reason_id": None})
    errors = _refused(petition, missing, clerk).errors
    assert errors["reason"] == "Chọn lý do trong danh sách."
    assert errors["note"] == "Ghi rõ nội dung xử lý."
    wrong = decision(petition, outcome, "chuyen_khong_dung_tham_quyen", competent=competent)
    assert _refused(petition, wrong, clerk).errors["reason"] == (
        "Lý do này không thuộc hướng xử lý đã chọn."
    )
    assert _snapshot(petition) == before

    process_petition(
        db.session, petition, decision(petition, outcome, reason_code, competent=competent), clerk
    )
    db.session.commit()
    assert petition.status == outcome
    assert petition.outcome_reason.outcome == outcome


def test_a_petition_not_eligible_can_only_be_archived(clerk):
    petition = received_petition(people=[])
    before = _snapshot(petition)
    guide = decision(petition, "guided", "bo_sung_thong_tin", eligible=False)
    assert "chỉ được lưu đơn" in _refused(petition, guide, clerk).errors["outcome"]
    assert _snapshot(petition) == before
    archive = decision(
        petition, "archived", "an_danh", eligible=False, note="Đơn không ghi họ tên, địa chỉ."
    )
    process_petition(db.session, petition, archive, clerk)
    db.session.commit()
    assert (petition.status, petition.eligible, petition.competent) == ("archived", False, None)


def test_eligibility_and_competence_must_be_stated(clerk):
    petition = received_petition()
    data = decision(petition, "accepted", "thuoc_tham_quyen", competent=None)
    assert "thẩm quyền" in _refused(petition, data, clerk).errors["competent"]
    data = decision(petition, "archived", "an_danh", eligible=None)
    assert "đủ điều kiện xử lý" in _refused(petition, data, clerk).errors["eligible"]


def test_the_citizen_is_guided_only_once_on_the_same_matter(clerk):
    first = received_petition()
    guide = decision(
        first,
        "guided",
        "khieu_nai_ngoai_tham_quyen",
        competent=False,
        target_name="Tòa án nhân dân thành phố Cao Lãnh",
    )
    process_petition(db.session, first, guide, clerk)
    db.session.commit()

    again = received_petition(case=first.case, is_repeat=True, repeat_kind="further_right")
    before = _snapshot(again)
    second = decision(
        again,
        "guided",
        "khieu_nai_ngoai_tham_quyen",
        competent=False,
        target_name="Tòa án nhân dân thành phố Cao Lãnh",
    )
    refusal = _refused(again, second, clerk)
    assert "chỉ hướng dẫn một lần" in refusal.errors["outcome"]
    assert "27/11/2026" in refusal.errors["outcome"]
    assert _snapshot(again) == before

    process_petition(
        db.session, again, decision(again, "archived", "da_huong_dan", competent=False), clerk
    )
    db.session.commit()
    assert again.status == "archived"


def test_guiding_outside_competence_names_the_competent_body(clerk):
    petition = received_petition()
    data = decision(petition, "guided", "khieu_nai_ngoai_tham_quyen", competent=False)
    assert "Ghi rõ cơ quan có thẩm quyền" in _refused(petition, data, clerk).errors["target_agency"]


def test_only_a_forwarded_petition_is_returned_to_its_sender(clerk):
    walk_in = received_petition()
    data = decision(walk_in, "returned", "chuyen_khong_dung_tham_quyen", competent=False)
    assert (
        "Chỉ đơn do cơ quan, tổ chức khác chuyển đến"
        in _refused(walk_in, data, clerk).errors["outcome"]
    )

    sent_by_province = received_petition(
        channel="forwarded",
        source_agency_id=agency("DT17-BTCD").id,
        source_name="Ban Tiếp công dân tỉnh Đồng Tháp",
        source_doc_number="312/BTCD-PC",
    )
    data = decision(sent_by_province, "returned", "chuyen_khong_dung_tham_quyen", competent=False)
    process_petition(db.session, sent_by_province, data, clerk)
    db.session.commit()
    assert sent_by_province.status == "returned"
    assert sent_by_province.target_name == "Ban Tiếp công dân tỉnh Đồng Tháp"
    notice = db.session.scalar(select(Notification))
    assert notice.recipient_agency_id == agency("DT17-BTCD").id
    assert notice.title == "Ban Tiếp công dân thành phố Cao Lãnh đã trả lại đơn"


def test_a_petition_is_processed_only_once(clerk):
    petition = received_petition()
    process_petition(
        db.session, petition, decision(petition, "archived", "da_giai_quyet", competent=True), clerk
    )
    db.session.commit()
    before = _snapshot(petition)
    again = decision(petition, "accepted", "thuoc_tham_quyen", competent=True)
    refusal = _refused(petition, again, clerk)
    assert "Đơn đã được xử lý" in refusal.message
    assert "27/11/2026" in refusal.message
    assert _snapshot(petition) == before


def test_a_repeat_filed_at_intake_is_not_processed(clerk):
    petition = received_petition(status="filed", is_repeat=True, repeat_kind="sent_to_many")
    refusal = _refused(petition, decision(petition, "archived", "gui_nhieu_noi"), clerk)
    assert "không xử lý lại" in refusal.message


@pytest.mark.parametrize(
    ("username", "why"),
    [
        ("laivung.tcd", "another district's clerk"),
        ("btcd.giamsat", "a monitor reads but does not process"),
        ("lanhdao.tinh", "a leader reads but does not process"),
    ],
)
def test_only_a_clerk_of_the_petitions_scope_processes_it(app_ctx, username, why):
    freeze()
    petition = received_petition()
    before = _snapshot(petition)
    data = decision(petition, "accepted", "thuoc_tham_quyen", competent=True)
    with pytest.raises(NotPermitted) as caught:
        process_petition(db.session, petition, data, user(username))
    db.session.rollback()
    assert caught.value.message == "Bạn không có quyền xử lý đơn của cơ quan này.", why
    assert _snapshot(petition) == before


def test_a_decision_taken_on_an_old_version_is_refused(clerk):
    petition = received_petition()
    seen = decision(petition, "accepted", "thuoc_tham_quyen", competent=True)
    petition.summary = petition.summary + " (bổ sung)"
    db.session.commit()
    before = _snapshot(petition)
    with pytest.raises(StaleVersion) as caught:
        process_petition(db.session, petition, seen, clerk)
    db.session.rollback()
    assert "đã được người khác thay đổi" in caught.value.message
    # Issue 7 "Nothing lost": the message shows what changed, cut around the difference.
    assert (
        "Thay đổi trong lúc đó: 27/11/2026 09:00, system đã sửa Tóm tắt nội dung: "
        "…tại khóm 3, Phường 1 → …tại khóm 3, Phường 1 (bổ sung)." in caught.value.message
    )
    assert _snapshot(petition) == before


def test_two_clerks_processing_at_once_the_second_is_refused(clerk):
    petition = received_petition()
    other_session = Session(db.engine)
    try:
        twin = other_session.get(Petition, petition.id)
        first = decision(petition, "accepted", "thuoc_tham_quyen", competent=True)
        second = decision(twin, "archived", "da_giai_quyet", competent=True)
        process_petition(db.session, petition, first, clerk)
        db.session.commit()
        with pytest.raises(StaleVersion) as caught:
            process_petition(other_session, twin, second, clerk)
        other_session.rollback()
        # Issue 7: the clerk beaten by a concurrent save is told what that save did.
        assert (
            "Thay đổi trong lúc đó: 27/11/2026 09:00, system đã sửa "
            "Trạng thái: Đã tiếp nhận → Đã thụ lý;" in caught.value.message
        )
        assert caught.value.message.endswith("hồ sơ kèm theo.")
    finally:
        other_session.close()
    db.session.expire_all()
    stored = db.session.get(Petition, petition.id)
    assert stored.status == "accepted"
    assert stored.outcome_reason.code == "thuoc_tham_quyen"


def test_a_district_agency_admin_processes_petitions_of_the_district_subtree(app_ctx):
    freeze()
    petition = received_petition(LAI_VUNG_BOARD)
    admin = user("caolanh.quantri")
    data = decision(petition, "accepted", "thuoc_tham_quyen", competent=True)
    with pytest.raises(NotPermitted):
        process_petition(db.session, petition, data, admin)
    db.session.rollback()
    mine = received_petition("DT17-29881-UB")
    process_petition(
        db.session, mine, decision(mine, "accepted", "thuoc_tham_quyen", competent=True), admin
    )
    db.session.commit()
    assert mine.status == "accepted"
