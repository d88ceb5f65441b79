"""Issue 7 (R7): every petition on intake, processing result, acceptance decision,
resolution decision and enforcement record is queued for the national database in the
transaction that records it — and nothing is queued when that transaction fails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.audit.models import AuditLog
from app.complaints import services
from app.complaints.services import DecisionData, DossierRefused
from app.core.clock import set_now
from app.extensions import db
from app.outbox.models import OutboxItem
from app.petitions.intake_data import IntakeInvalid
from app.petitions.processing import process_petition
from tests.petitions_intake_helpers import CCCD_HUNG, freeze_now, land_complaint, receive
from tests.petitions_processing_records import decision, freeze, received_petition, user
from tests.test_complaints_clocks import _dossier, _inspectorate_clerk

D = dt.date


def _items(**where) -> list[OutboxItem]:
    query = select(OutboxItem).order_by(OutboxItem.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxItem, name) == value)
    return list(db.session.scalars(query))


def _new_items(before: int) -> list[OutboxItem]:
    return [item for item in _items() if item.id > before]


def _last_id() -> int:
    items = _items()
    return items[-1].id if items else 0


def test_a_received_petition_is_queued_as_a_case_with_its_complainant(app_ctx):
    freeze_now()
    before = _last_id()
    petition = receive(land_complaint())

    [item] = _new_items(before)
    assert (item.kind, item.status, item.petition_id) == ("case", "pending", petition.id)
    assert item.agency.code == "DT17-866-TCD"
    payload = item.payload
    assert payload["record_type"] == "case" and payload["national_case_id"] is None
    assert payload["message_id"] == item.message_id
    assert payload["reporting_agency"]["local_code"] == "DT17-866-TCD"
    data = payload["data"]
    assert data["register_number"] == petition.register_code
    assert data["source"]["kind"] == "direct"
    assert data["classification"]["level_1"]["local_code"] == "complaint"
    assert data["complained_about"]["act"].startswith("Quyết định số 245/QĐ-UBND")
    [hung] = data["complainants"]
    assert (hung["full_name"], hung["id_number"], hung["sex"]) == (
        "Nguyễn Văn Hùng",
        CCCD_HUNG,
        "male",
    )
    assert hung["province_code"] == "87" and hung["district_code"] == "866"
    assert hung["commune_code"] is not None
    assert data["received_at"].startswith("2026-11-27T08:30")


def test_a_refused_intake_queues_nothing(app_ctx):
    freeze_now()
    before = _last_id()
    with pytest.raises(IntakeInvalid):
        receive(land_complaint(summary=""))
    db.session.rollback()
    assert _new_items(before) == []


def test_a_rolled_back_intake_queues_nothing(app_ctx):
    from app.petitions.intake import receive_petition
    from tests.petitions_intake_helpers import user as intake_user

    freeze_now()
    before = _last_id()
    receive_petition(db.session, land_complaint(), intake_user("caolanh.tcd"))
    db.session.rollback()
    assert _new_items(before) == []
    # The next commit of the same session does not queue the forgotten petition either.
    db.session.commit()
    assert _new_items(before) == []


def test_processing_queues_the_result_after_the_case(app_ctx):
    freeze()
    petition = received_petition(
        matter={"kind": "recommendation", "summary": "Kiến nghị nạo vét kênh Cái Sao Thượng"}
    )
    before = _last_id()
    clerk = user("caolanh.tcd")
    process_petition(
        db.session,
        petition,
        decision(petition, "accepted", "thuoc_tham_quyen", competent=True),
        clerk,
    )
    db.session.commit()

    [item] = _new_items(before)
    assert (item.kind, item.petition_id) == ("processing_result", petition.id)
    data = item.payload["data"]
    assert (data["outcome"], data["eligible"], data["competent"]) == ("accepted", True, True)
    assert data["reason"]["code"] == "thuoc_tham_quyen"
    assert [case.kind for case in _items(petition_id=petition.id)] == ["case", "processing_result"]


def test_complaint_acceptance_decision_and_enforcement_are_queued(app_ctx):
    clerk = _inspectorate_clerk()
    dossier = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    db.session.commit()
    [case, acceptance] = _items(petition_id=dossier.petition_id)
    assert case.kind == "case" and case.agency.code == "DT17-TTT"
    assert acceptance.kind == "acceptance_decision"
    assert acceptance.payload["data"]["accepted"] is True
    assert acceptance.payload["data"]["notice_number"] == "12/TB-TTT"
    assert acceptance.payload["data"]["resolution_due"] == dossier.resolution_due.isoformat()

    set_now(dt.datetime(2026, 11, 2, 15))
    decided = services.decide(
        db.session,
        dossier,
        clerk,
        DecisionData(
            decided_on=D(2026, 10, 30),
            number="45/QĐ-UBND",
            signer="Phạm Thiện Nghĩa",
            result="partly_right",
            money_to_individuals=Decimal("125.500"),
            individuals_restored=2,
        ),
    )
    db.session.commit()
    services.record_enforcement(
        db.session, decided, clerk, money_to_return_individuals=Decimal("125.500")
    )
    db.session.commit()
    services.record_enforcement(
        db.session,
        decided,
        clerk,
        money_returned_individuals=Decimal("125.500"),
        done=True,
        done_on=D(2026, 11, 2),
    )
    db.session.commit()

    items = _items(petition_id=dossier.petition_id)
    assert [item.kind for item in items] == [
        "case",
        "acceptance_decision",
        "resolution_decision",
        "enforcement",
        "enforcement",
    ]
    resolution = items[2].payload["data"]
    assert (resolution["number"], resolution["result"]) == ("45/QĐ-UBND", "partly_right")
    assert resolution["results"]["money_to_individuals"] == "125.500"
    first, second = (item.payload["data"] for item in items[3:])
    assert (first["done"], second["done"], second["done_on"]) == (False, True, "2026-11-02")
    assert second["figures"]["money_returned_individuals"] == "125.500"


def test_a_refused_step_queues_nothing_and_a_refusal_of_acceptance_is_queued(app_ctx):
    from app.complaints.models import ComplaintGround

    clerk = _inspectorate_clerk()
    dossier = _dossier(D(2026, 9, 28))
    db.session.commit()
    before = _last_id()
    with pytest.raises(DossierRefused):
        services.accept(db.session, dossier, clerk, D(2026, 9, 1), "12/TB-TTT")
    db.session.rollback()
    assert _new_items(before) == []

    ground = db.session.scalars(select(ComplaintGround).order_by(ComplaintGround.id)).first()
    set_now(dt.datetime(2026, 10, 2, 10))
    services.refuse(db.session, dossier, clerk, D(2026, 10, 2), ground, "13/TB-TTT")
    db.session.commit()
    [refusal] = _new_items(before)
    data = refusal.payload["data"]
    assert (refusal.kind, data["accepted"], data["decided_on"]) == (
        "acceptance_decision",
        False,
        "2026-10-02",
    )
    assert data["non_acceptance_ground"]["code"] == ground.code


def test_queueing_is_audited_without_the_citizens_details(app_ctx):
    from app.core.actor import Actor, acting_as
    from tests.petitions_intake_helpers import user as intake_user

    freeze_now()
    before = _last_id()
    clerk = intake_user("caolanh.tcd")
    with acting_as(Actor(clerk.id, clerk.username, clerk.agency_id)):
        receive(land_complaint())
    [item] = _new_items(before)
    entry = db.session.scalar(
        select(AuditLog).where(
            AuditLog.table_name == "national_outbox_item", AuditLog.record_id == str(item.id)
        )
    )
    assert entry.action == "create" and entry.username == "caolanh.tcd"
    assert entry.changes["status"] == [None, "pending"]
    assert CCCD_HUNG not in str(entry.changes)


def test_resuming_a_suspended_dossier_is_not_a_new_acceptance(app_ctx):
    clerk = _inspectorate_clerk()
    dossier = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    db.session.commit()
    before = _last_id()
    set_now(dt.datetime(2026, 10, 20, 10))
    services.suspend(
        db.session,
        dossier,
        clerk,
        D(2026, 10, 12),
        "20/QĐ-TTT",
        "Chờ kết quả giám định chữ ký trên hợp đồng chuyển nhượng",
    )
    db.session.commit()
    services.resume(db.session, dossier, clerk, D(2026, 10, 19), "25/QĐ-TTT")
    db.session.commit()
    assert dossier.status == "accepted"
    assert _new_items(before) == []
