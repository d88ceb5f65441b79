"""Forwarding petitions between agencies (issue 3; TT 07/2014 Art. 21(2), 29–30; R2, R7,
R11): the sender's inbox entry, receiving it, the chain on both pages, replies, and what
other agencies do not see."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from app.core.clock import local_to_utc
from app.extensions import db
from app.notifications.models import Notification
from app.notifications.service import unread_count
from app.petitions.models import Petition, PetitionEvent, PetitionTransfer
from app.petitions.processing import process_petition
from app.petitions.refusals import NotPermitted, ProcessingRefused, StaleVersion
from app.petitions.transfers import forwarding_targets, receive_transfer, record_reply
from tests.conftest import login
from tests.petitions_processing_records import (
    CAO_LANH_BOARD,
    FLOOD_RECOMMENDATION,
    PROVINCIAL_INSPECTORATE,
    agency,
    decision,
    form,
    freeze,
    received_petition,
    user,
)


def _forwarded(target_code: str = PROVINCIAL_INSPECTORATE) -> tuple[Petition, PetitionTransfer]:
    """A flood recommendation of Cao Lãnh forwarded to ``target_code`` on 27/11/2026."""
    petition = received_petition(matter=FLOOD_RECOMMENDATION)
    data = decision(
        petition,
        "forwarded",
        "kien_nghi_ngoai_tham_quyen",
        competent=False,
        target_agency_id=agency(target_code).id,
        doc_number="87/PC-BTCD",
    )
    process_petition(db.session, petition, data, user("caolanh.tcd"))
    db.session.commit()
    return petition, db.session.scalar(select(PetitionTransfer))


def _next_number(agency_code: str) -> str:
    """The number the agency's register gives its next petition of 2026."""
    last = db.session.scalar(
        select(func.max(Petition.register_number)).where(
            Petition.agency_id == agency(agency_code).id, Petition.register_year == 2026
        )
    )
    return f"{(last or 0) + 1}/2026"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_receiving_creates_the_targets_own_petition_in_the_same_case(app_ctx):
    freeze()
    original, transfer = _forwarded()
    number = _next_number(PROVINCIAL_INSPECTORATE)
    freeze(dt.datetime(2026, 11, 30, 14, 10))
    received = receive_transfer(db.session, transfer, user("ttt.chuyenvien"))
    db.session.commit()

    assert received.agency_id == agency(PROVINCIAL_INSPECTORATE).id
    assert received.case_id == original.case_id
    assert received.channel == "forwarded"
    assert received.forwarded_from_id == original.id
    assert received.source_agency_id == agency(CAO_LANH_BOARD).id
    assert received.source_name == "Ban Tiếp công dân thành phố Cao Lãnh"
    assert (received.source_doc_number, received.source_doc_date) == (
        "87/PC-BTCD",
        dt.date(2026, 11, 27),
    )
    assert received.register_code == number
    assert received.received_at == local_to_utc(dt.datetime(2026, 11, 30, 14, 10))
    # 10 working days from Monday 30/11/2026: 01–04/12, 07–11/12, 14/12.
    assert received.due_date == dt.date(2026, 12, 14)
    assert received.status == "received"
    assert received.summary == original.summary
    assert [s.citizen_id for s in received.signatories] == [
        s.citizen_id for s in original.signatories
    ]
    assert (transfer.status, transfer.received_petition_id) == ("received", received.id)
    assert original.status == "forwarded"
    assert original.events[-1].event == "transfer_received"
    assert f"vào sổ đơn số {number}" in original.events[-1].note


def test_each_side_is_notified_once(app_ctx):
    freeze()
    notices = _count(Notification)
    _, transfer = _forwarded()
    inspector, sender = user("ttt.chuyenvien"), user("caolanh.tcd")
    assert unread_count(db.session, inspector) == 1
    assert unread_count(db.session, sender) == 0
    number = _next_number(PROVINCIAL_INSPECTORATE)
    receive_transfer(db.session, transfer, inspector)
    db.session.commit()
    notice = db.session.scalar(
        select(Notification).where(Notification.recipient_user_id == sender.id)
    )
    assert notice.title == "Thanh tra tỉnh Đồng Tháp đã tiếp nhận đơn chuyển đến"
    assert f"vào sổ đơn số {number}" in notice.body
    assert notice.link == f"/petitions/{transfer.petition_id}"
    assert unread_count(db.session, sender) == 1
    assert _count(Notification) == notices + 2


def test_a_transfer_is_received_once_and_only_by_the_target(app_ctx):
    freeze()
    _, transfer = _forwarded()
    petitions = _count(Petition)
    for username in ("laivung.tcd", "caolanh.tcd", "btcd.giamsat"):
        with pytest.raises(NotPermitted):
            receive_transfer(db.session, transfer, user(username))
        db.session.rollback()
    receive_transfer(db.session, transfer, user("ttt.chuyenvien"))
    db.session.commit()
    with pytest.raises(StaleVersion) as caught:
        receive_transfer(db.session, transfer, user("ttt.chuyenvien"))
    db.session.rollback()
    assert caught.value.message == "Đơn chuyển đến này đã được tiếp nhận."
    assert _count(Petition) == petitions + 1


def test_the_sender_records_the_reply(app_ctx):
    freeze()
    original, _ = _forwarded()
    sender = user("caolanh.tcd")
    freeze(dt.datetime(2026, 12, 10, 9, 0))
    cases = [
        (None, "Nhập ngày nhận văn bản phúc đáp."),
        (dt.date(2026, 12, 11), "Ngày không được sau ngày hôm nay."),
        (dt.date(2026, 11, 26), "Ngày phúc đáp không được trước ngày chuyển đơn."),
    ]
    for day, message in cases:
        with pytest.raises(ProcessingRefused) as caught:
            record_reply(db.session, original, day, sender, version_id=original.version_id)
        db.session.rollback()
        assert caught.value.errors["replied_on"] == message
    with pytest.raises(NotPermitted):
        record_reply(
            db.session,
            original,
            dt.date(2026, 12, 9),
            user("ttt.chuyenvien"),
            version_id=original.version_id,
        )
    db.session.rollback()
    record_reply(
        db.session,
        original,
        dt.date(2026, 12, 9),
        sender,
        version_id=original.version_id,
        doc_number="455/TTT-NV",
    )
    db.session.commit()
    assert original.reply_received_on == dt.date(2026, 12, 9)
    assert original.events[-1].note == "09/12/2026, văn bản số 455/TTT-NV"


def test_target_search_offers_receiving_agencies_by_name_without_the_sender(app_ctx):
    names = [a.name for a in forwarding_targets(db.session, None, "thanh tra tinh")]
    assert "Thanh tra tỉnh Đồng Tháp" in names
    own = agency(CAO_LANH_BOARD).id
    assert forwarding_targets(db.session, own, "tiếp công dân thành phố cao lãnh") == []
    assert forwarding_targets(db.session, None, "   ") == []
    pcs = [a.name for a in forwarding_targets(db.session, None, "ủy ban nhân dân thành phố cao")]
    assert pcs == []
    guide = forwarding_targets(
        db.session, None, "ủy ban nhân dân thành phố cao", receiving_only=False
    )
    assert [a.name for a in guide] == ["Ủy ban nhân dân thành phố Cao Lãnh"]


def _petition_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/petitions/(\d+)"', html)}


def test_forwarding_across_agencies_end_to_end(app, client):
    """Cao Lãnh's reception board forwards a recommendation to the provincial
    inspectorate; the inspector finds it in the inbox and receives it; both pages show the
    chain; Lai Vung's clerk sees none of it."""
    with app.app_context():
        freeze()
        petition = received_petition(matter=FLOOD_RECOMMENDATION)
        original_id, original_number = petition.id, petition.register_code
        received_number = _next_number(PROVINCIAL_INSPECTORATE)
        target_id = agency(PROVINCIAL_INSPECTORATE).id
        posted = form(
            petition,
            "forwarded",
            "kien_nghi_ngoai_tham_quyen",
            target_agency_id=target_id,
            doc_number="87/PC-BTCD",
        )
        db.session.remove()

    login(client, "caolanh.tcd")
    search = client.get(f"/petitions/{original_id}/targets", query_string={"q": "thanh tra tỉnh"})
    assert {"id": target_id, "text": "Thanh tra tỉnh Đồng Tháp"} in search.get_json()["results"]
    response = client.post(f"/petitions/{original_id}/process", data=posted)
    assert response.status_code == 302
    page = client.get(f"/petitions/{original_id}").get_data(as_text=True)
    assert f"Đã chuyển đơn số {original_number} đến Thanh tra tỉnh Đồng Tháp" in page
    assert "Quá trình chuyển đơn" in page and "Chờ tiếp nhận" in page
    assert 'id="process-form"' not in page
    client.get("/logout/")

    login(client, "laivung.tcd")
    inbox = client.get("/petitions/inbox/").get_data(as_text=True)
    assert "Không có đơn chuyển đến nào đang chờ tiếp nhận." in inbox
    assert "Cái Sao Thượng" not in inbox
    assert client.get(f"/petitions/{original_id}").status_code == 404
    client.get("/logout/")

    login(client, "ttt.chuyenvien")
    home = client.get("/").get_data(as_text=True)
    assert "Đơn chuyển đến đang chờ tiếp nhận" in home
    assert 'id="notification-bell"' in home and "Thông báo: 1 chưa đọc" in home
    inbox = client.get("/petitions/inbox/").get_data(as_text=True)
    assert "Ban Tiếp công dân thành phố Cao Lãnh" in inbox and "87/PC-BTCD" in inbox
    assert "Cái Sao Thượng" in inbox
    assert client.get(f"/petitions/{original_id}").status_code == 404
    transfer_id = int(re.search(r"/petitions/inbox/(\d+)/receive", inbox).group(1))
    response = client.post(f"/petitions/inbox/{transfer_id}/receive")
    assert response.status_code == 302
    received_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/petitions/{received_id}").get_data(as_text=True)
    assert f"Đã tiếp nhận đơn chuyển đến, vào sổ đơn số {received_number}" in page
    assert "Ban Tiếp công dân thành phố Cao Lãnh" in page and "87/PC-BTCD" in page
    assert "Quá trình chuyển đơn" in page
    assert f"Đơn số {original_number}" in page
    assert original_id not in _petition_ids(page), "the sender's petition stays out of scope"
    assert 'id="process-form"' in page
    assert client.post(f"/petitions/inbox/{transfer_id}/receive").status_code == 302
    client.get("/logout/")

    login(client, "caolanh.tcd")
    page = client.get(f"/petitions/{original_id}").get_data(as_text=True)
    assert "Thanh tra tỉnh Đồng Tháp" in page and "Chờ tiếp nhận" not in page
    assert received_id not in _petition_ids(page)
    notices = client.get("/notifications/").get_data(as_text=True)
    assert "Thanh tra tỉnh Đồng Tháp đã tiếp nhận đơn chuyển đến" in notices
    client.get("/logout/")

    login(client, "laivung.tcd")
    assert client.get(f"/petitions/{received_id}").status_code == 404
    assert client.post(f"/petitions/inbox/{transfer_id}/receive").status_code == 404
    with app.app_context():
        events = db.session.scalar(
            select(func.count(PetitionEvent.id)).where(PetitionEvent.petition_id == received_id)
        )
        assert events == 1
        db.session.remove()


def test_a_refused_decision_keeps_what_was_typed(app, client):
    with app.app_context():
        freeze()
        petition = received_petition()
        pk = petition.id
        posted = form(
            petition,
            "forwarded",
            "kien_nghi_ngoai_tham_quyen",
            target_agency_id=agency(PROVINCIAL_INSPECTORATE).id,
            note="Đề nghị Thanh tra tỉnh xem xét mức bồi thường.",
        )
        db.session.remove()
    login(client, "caolanh.tcd")
    response = client.post(f"/petitions/{pk}/process", data=posted)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Khiếu nại không thuộc thẩm quyền thì không chuyển đơn" in page
    assert "Đề nghị Thanh tra tỉnh xem xét mức bồi thường." in page
    assert "selected>Thanh tra tỉnh Đồng Tháp</option>" in page
    with app.app_context():
        assert db.session.get(Petition, pk).status == "received"
        db.session.remove()


def test_a_stale_form_gets_the_conflict_message(app, client):
    with app.app_context():
        freeze()
        petition = received_petition()
        pk = petition.id
        posted = form(petition, "accepted", "thuoc_tham_quyen", competent="1")
        petition.content = petition.content + " Bổ sung: kèm biên bản kiểm đếm."
        db.session.commit()
        db.session.remove()
    login(client, "caolanh.tcd")
    response = client.post(f"/petitions/{pk}/process", data=posted)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Đơn đã được người khác thay đổi sau khi bạn mở" in page
    assert "Bổ sung: kèm biên bản kiểm đếm." in page
    assert 'name="version_id" value="2"' in page
    with app.app_context():
        assert db.session.get(Petition, pk).status == "received"
        db.session.remove()
