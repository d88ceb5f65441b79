"""Issue 7 (R7, R10, R11): the national database outbox page — Vietnamese, within the
user's agencies, filtered by status; administrators send a failed record again, monitors
only read; other roles do not see it."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditLog
from app.extensions import db
from app.outbox.models import OutboxItem
from tests.conftest import login
from tests.petitions_intake_helpers import freeze_now, land_complaint, receive

REFUSED = "Máy chủ Cơ sở dữ liệu quốc gia trả lời HTTP 422: thiếu mã đơn vị hành chính"


def _failed_records(app) -> tuple[int, int]:
    """A failed case record at Cao Lãnh's reception board and one at Lai Vung's."""
    with app.app_context():
        freeze_now()
        ids = []
        for agency_code, clerk in (
            ("DT17-866-TCD", "caolanh.tcd"),
            ("DT17-876-TCD", "laivung.tcd"),
        ):
            petition = receive(land_complaint(agency_code), clerk)
            item = db.session.scalar(
                select(OutboxItem).where(
                    OutboxItem.petition_id == petition.id, OutboxItem.kind == "case"
                )
            )
            item.status, item.attempts, item.last_error = "failed", 8, REFUSED
            ids.append(item.id)
        db.session.commit()
        db.session.remove()
    return ids[0], ids[1]


def _item(app, item_id: int) -> OutboxItem:
    with app.app_context():
        item = db.session.get(OutboxItem, item_id)
        db.session.expunge(item)
        db.session.remove()
    return item


def test_the_agency_administrator_sees_their_agencies_and_sends_a_failed_record_again(app, client):
    caolanh, laivung = _failed_records(app)
    login(client, "caolanh.quantri")
    page = client.get("/national-outbox/?status=failed").get_data(as_text=True)
    assert "Hàng đợi gửi Cơ sở dữ liệu quốc gia" in page
    assert f'id="outbox-{caolanh}"' in page and REFUSED in page
    assert f'id="outbox-{laivung}"' not in page, "Lai Vung is outside Cao Lãnh's scope"
    assert "Gửi lại" in page

    done = client.post(f"/national-outbox/{caolanh}/retry", follow_redirects=True)
    assert "được đưa lại vào hàng đợi" in done.get_data(as_text=True)
    again = _item(app, caolanh)
    assert (again.status, again.attempts) == ("pending", 0)
    with app.app_context():
        entry = db.session.scalars(
            select(AuditLog)
            .where(
                AuditLog.table_name == "national_outbox_item", AuditLog.record_id == str(caolanh)
            )
            .order_by(AuditLog.id.desc())
        ).first()
        assert entry.username == "caolanh.quantri"
        assert entry.changes["status"] == ["failed", "pending"]
        db.session.remove()


def test_a_record_outside_the_scope_or_not_failed_is_not_sent_again(app, client):
    caolanh, laivung = _failed_records(app)
    login(client, "caolanh.quantri")
    outside = client.post(f"/national-outbox/{laivung}/retry", follow_redirects=True)
    assert "ngoài phạm vi" in outside.get_data(as_text=True)
    assert _item(app, laivung).status == "failed"

    client.post(f"/national-outbox/{caolanh}/retry")
    twice = client.post(f"/national-outbox/{caolanh}/retry", follow_redirects=True)
    assert "Chỉ gửi lại được bản ghi bị lỗi" in twice.get_data(as_text=True)


def test_the_monitor_reads_the_whole_province_but_does_not_retry(app, client):
    caolanh, laivung = _failed_records(app)
    login(client, "btcd.giamsat")
    page = client.get("/national-outbox/?status=failed").get_data(as_text=True)
    assert f'id="outbox-{caolanh}"' in page and f'id="outbox-{laivung}"' in page
    assert "Gửi lại" not in page
    assert client.post(f"/national-outbox/{laivung}/retry").status_code in (302, 403)
    assert _item(app, laivung).status == "failed"


def test_filters_by_kind_and_status(app, client):
    caolanh, _laivung = _failed_records(app)
    login(client, "admin")
    sent = client.get("/national-outbox/?status=sent").get_data(as_text=True)
    assert f'id="outbox-{caolanh}"' not in sent
    decisions = client.get("/national-outbox/?kind=resolution_decision").get_data(as_text=True)
    assert f'id="outbox-{caolanh}"' not in decisions
    cases = client.get("/national-outbox/?kind=case&status=failed").get_data(as_text=True)
    assert f'id="outbox-{caolanh}"' in cases


def test_a_clerk_has_no_outbox_page(app, client):
    login(client, "caolanh.tcd")
    assert client.get("/national-outbox/").status_code in (302, 403)


def test_the_system_administrator_maps_a_code_on_screen_and_agency_admins_cannot(app, client):
    login(client, "admin")
    added = client.post(
        "/nationalcodemodelview/add",
        data={"kind": "subject_area", "local_code": "kn_dat_dai", "national_code": "KN.01.02"},
        follow_redirects=True,
    )
    assert added.status_code == 200
    listing = client.get("/nationalcodemodelview/list/").get_data(as_text=True)
    assert "KN.01.02" in listing and "Mã danh mục quốc gia" in listing
    with app.app_context():
        freeze_now()
        petition = receive(land_complaint())
        item = db.session.scalar(select(OutboxItem).where(OutboxItem.petition_id == petition.id))
        level_3 = item.payload["data"]["classification"]["level_3"]
        assert level_3 == {"code": "KN.01.02", "local_code": "kn_dat_dai", "mapped": True}
        db.session.remove()

    client.get("/logout/")
    login(client, "caolanh.quantri")
    assert client.get("/nationalcodemodelview/list/").status_code in (302, 403)


def test_the_outbox_reopens_with_the_last_filters_until_they_are_cleared(app, client):
    """Issue 8: list pages remember their filters for the session."""
    caolanh, _laivung = _failed_records(app)
    login(client, "admin")
    client.get("/national-outbox/?kind=resolution_decision&status=failed")
    reopened = client.get("/national-outbox/").get_data(as_text=True)
    assert f'id="outbox-{caolanh}"' not in reopened
    assert '<option value="resolution_decision" selected' in reopened
    cleared = client.get("/national-outbox/?reset=1").get_data(as_text=True)
    assert f'id="outbox-{caolanh}"' in cleared
    assert f'id="outbox-{caolanh}"' in client.get("/national-outbox/").get_data(as_text=True)
