"""Opening dossiers when a complaint is accepted for resolution (issue 4; Luật KN Art. 27,
33, 36, 11(7)), and the records the other complaint tests start from: complaints
received at the provincial inspectorate and accepted there through petition processing.

Acceptance deadlines are counted by hand on the 2026 calendar: from 01/07/2026 the
acceptance rule is 7 working days (NĐ 155/2026, the seeded default).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from app.complaints.models import ComplaintDossier, ResolutionDecision
from app.complaints.services import DecisionData, accept, decide
from app.extensions import db
from app.petitions.models import Case, Petition
from app.petitions.processing import process_petition
from app.petitions.refusals import ProcessingRefused
from tests.conftest import login
from tests.petitions_processing_records import (
    CAO_LANH_BOARD,
    FLOOD_RECOMMENDATION,
    PROVINCIAL_INSPECTORATE,
    decision,
    freeze,
    received_petition,
    user,
)

D = dt.date
CLERK = "ttt.chuyenvien"
# Friday 27/11/2026 08:30: received at the provincial inspectorate.
RECEIVED = dt.datetime(2026, 11, 27, 8, 30)
ACCEPTED_ON = D(2026, 12, 1)


def accept_for_resolution(petition: Petition, username: str = CLERK) -> None:
    """Petition processing: eligible, competent, accepted for resolution. Committed."""
    data = decision(petition, "accepted", "thuoc_tham_quyen", competent=True)
    process_petition(db.session, petition, data, user(username))
    db.session.commit()


def dossier_of(petition: Petition) -> ComplaintDossier | None:
    """The dossier opened on ``petition``, if any."""
    return db.session.scalar(
        select(ComplaintDossier).where(ComplaintDossier.petition_id == petition.id)
    )


def complaint_dossier(
    received_at: dt.datetime = RECEIVED,
    agency_code: str = PROVINCIAL_INSPECTORATE,
    username: str = CLERK,
    **changes: Any,
) -> ComplaintDossier:
    """A land complaint received at ``agency_code`` and accepted for resolution there
    half an hour later: its dossier awaits acceptance. Committed."""
    freeze(received_at)
    petition = received_petition(agency_code, received_at=received_at, **changes)
    freeze(received_at + dt.timedelta(minutes=30))
    accept_for_resolution(petition, username)
    return dossier_of(petition)


def accepted_dossier(
    accepted_on: D = ACCEPTED_ON, received_at: dt.datetime = RECEIVED, **changes: Any
) -> ComplaintDossier:
    """``complaint_dossier`` accepted (thụ lý) on ``accepted_on``, notice 15/TB-TTT;
    the clock is left at 09:00 that day. Committed."""
    dossier = complaint_dossier(received_at, **changes)
    freeze(dt.datetime.combine(accepted_on, dt.time(9)))
    accept(db.session, dossier, user(CLERK), accepted_on, "15/TB-TTT")
    db.session.commit()
    return dossier


def test_accepting_a_complaint_opens_its_first_instance_dossier(app_ctx):
    dossier = complaint_dossier()
    # Received Fri 27/11/2026; 7 working days: 30/11, 01–04/12, 07/12, 08/12.
    assert (dossier.instance, dossier.status, dossier.received_on) == (
        1,
        "pending",
        D(2026, 11, 27),
    )
    assert dossier.acceptance_due == D(2026, 12, 8)
    assert dossier.agency.code == PROVINCIAL_INSPECTORATE
    assert dossier.reviewed_decision_id is None


def test_an_accepted_recommendation_has_no_dossier(app_ctx):
    freeze(RECEIVED)
    petition = received_petition(PROVINCIAL_INSPECTORATE, matter=FLOOD_RECOMMENDATION)
    data = decision(petition, "accepted", "kien_nghi_thuoc_tham_quyen", competent=True)
    process_petition(db.session, petition, data, user(CLERK))
    db.session.commit()
    assert petition.status == "accepted"
    assert db.session.scalar(select(func.count(ComplaintDossier.id))) == 0


def test_the_petition_page_links_to_its_dossier_and_the_agency_sees_it_waiting(app, client):
    with app.app_context():
        dossier = complaint_dossier()
        petition_id, dossier_id = dossier.petition_id, dossier.id
        db.session.remove()
    login(client, CLERK)
    page = client.get(f"/petitions/{petition_id}").get_data(as_text=True)
    assert f'href="/complaints/dossiers/{dossier_id}"' in page
    assert "Hồ sơ giải quyết khiếu nại lần 1" in page
    home = client.get("/").get_data(as_text=True)
    assert "Hồ sơ chờ thụ lý" in home
    assert "/complaints/dossiers/?status=pending" in home
    listed = client.get("/complaints/dossiers/?status=pending").get_data(as_text=True)
    assert f'id="dossier-row-{dossier_id}"' in listed


def _decide_first_instance(dossier: ComplaintDossier, username: str) -> ResolutionDecision:
    freeze(dt.datetime(2026, 12, 1, 9))
    accept(db.session, dossier, user(username), D(2026, 12, 1), "20/TB-BTCD")
    freeze(dt.datetime(2026, 12, 18, 10))
    data = DecisionData(decided_on=D(2026, 12, 18), number="88/QĐ-UBND", result="wrong")
    first = decide(db.session, dossier, user(username), data)
    db.session.commit()
    return first


def test_a_complaint_against_the_first_decision_opens_the_second_instance(app, client):
    with app.app_context():
        first = complaint_dossier(agency_code=CAO_LANH_BOARD, username="caolanh.tcd")
        first_decision = _decide_first_instance(first, "caolanh.tcd")
        case = db.session.get(Case, first.case_id)
        second = complaint_dossier(dt.datetime(2026, 12, 28, 14, 0), case=case)
        assert (second.instance, second.reviewed_decision_id) == (2, first_decision.id)
        assert second.agency.code == PROVINCIAL_INSPECTORATE
        # Received Mon 28/12/2026; 7 working days: 29–31/12, (01/01 New Year), 04–07/01/2027.
        assert second.acceptance_due == D(2027, 1, 7)
        first_id, second_id = first.id, second.id
        db.session.remove()
    login(client, CLERK)
    page = client.get(f"/complaints/dossiers/{second_id}").get_data(as_text=True)
    assert "Quyết định giải quyết lần đầu được xem xét" in page
    assert "88/QĐ-UBND" in page and "Khiếu nại sai" in page
    # The first-instance dossier lies outside the inspectorate's scope: named, not opened.
    assert "Ban Tiếp công dân thành phố Cao Lãnh" in page
    assert f'href="/complaints/dossiers/{first_id}"' not in page


def test_a_case_with_an_open_dossier_refuses_another_acceptance(app_ctx):
    dossier = complaint_dossier()
    case = db.session.get(Case, dossier.case_id)
    freeze(dt.datetime(2026, 11, 30, 9))
    repeat = received_petition(
        PROVINCIAL_INSPECTORATE, received_at=dt.datetime(2026, 11, 30, 8), case=case
    )
    data = decision(repeat, "accepted", "thuoc_tham_quyen", competent=True)
    with pytest.raises(ProcessingRefused) as refused:
        process_petition(db.session, repeat, data, user(CLERK))
    db.session.rollback()
    assert "đã có hồ sơ giải quyết lần đầu" in refused.value.errors["outcome"]
    db.session.refresh(repeat)
    assert repeat.status == "received"
    assert db.session.scalar(select(func.count(ComplaintDossier.id))) == 1


def test_the_processing_form_shows_the_refusal_and_saves_nothing(app, client):
    with app.app_context():
        dossier = complaint_dossier()
        case = db.session.get(Case, dossier.case_id)
        freeze(dt.datetime(2026, 11, 30, 9))
        repeat = received_petition(
            PROVINCIAL_INSPECTORATE, received_at=dt.datetime(2026, 11, 30, 8), case=case
        )
        repeat_id = repeat.id
        form = {
            "version_id": str(repeat.version_id),
            "eligible": "1",
            "competent": "1",
            "outcome": "accepted",
            "reason_id": str(decision(repeat, "accepted", "thuoc_tham_quyen").reason_id),
            "note": "Khiếu nại thuộc thẩm quyền của Thanh tra tỉnh.",
        }
        db.session.remove()
    login(client, CLERK)
    response = client.post(f"/petitions/{repeat_id}/process", data=form)
    assert response.status_code == 400
    assert "đã có hồ sơ giải quyết lần đầu" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Petition, repeat_id).status == "received"
        assert db.session.scalar(select(func.count(ComplaintDossier.id))) == 1


def test_after_a_second_instance_decision_the_case_is_not_accepted_again(app_ctx):
    first = complaint_dossier(agency_code=CAO_LANH_BOARD, username="caolanh.tcd")
    _decide_first_instance(first, "caolanh.tcd")
    case = db.session.get(Case, first.case_id)
    second = complaint_dossier(dt.datetime(2026, 12, 28, 14, 0), case=case)
    freeze(dt.datetime(2026, 12, 29, 9))
    accept(db.session, second, user(CLERK), D(2026, 12, 29), "01/TB-TTT")
    freeze(dt.datetime(2027, 1, 20, 9))
    decide(
        db.session,
        second,
        user(CLERK),
        DecisionData(decided_on=D(2027, 1, 20), number="12/QĐ-UBND", result="upheld"),
    )
    db.session.commit()
    freeze(dt.datetime(2027, 2, 22, 9))
    again = received_petition(
        PROVINCIAL_INSPECTORATE, received_at=dt.datetime(2027, 2, 22, 8), case=case
    )
    data = decision(again, "accepted", "thuoc_tham_quyen", competent=True)
    with pytest.raises(ProcessingRefused) as refused:
        process_petition(db.session, again, data, user(CLERK))
    assert "Điều 11" in refused.value.errors["outcome"]
