"""In-app notifications (issue 3, extended by issue 5): sent once per event, read per user,
listed newest first, the bell's unread count, and nobody reads another's."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext
from sqlalchemy import func, select

from app.extensions import db
from app.notifications.models import Notification
from app.notifications.service import (
    mark_read,
    notifications_for,
    notify_agency,
    notify_user,
    unread_count,
)
from tests.conftest import DEMO_PASSWORD, login
from tests.petitions_processing_records import agency, freeze, user


def _second_inspector():
    """Another clerk of the provincial inspectorate: Trần Minh Khoa."""
    from flask import current_app

    sm = current_app.appbuilder.sm
    account = sm.add_user(
        "ttt.khoa",
        "Trần Minh",
        "Khoa",
        "ttt.khoa@dongthap.example.vn",
        sm.find_role("Chuyên viên xử lý đơn"),
        password=DEMO_PASSWORD,
    )
    account.agency_id = agency("DT17-TTT").id
    db.session.commit()
    return account


def _count() -> int:
    return db.session.scalar(select(func.count(Notification.id)))


def test_an_event_is_notified_once(app_ctx):
    before = _count()
    inspector = user("ttt.chuyenvien")
    first = notify_user(
        db.session,
        inspector.id,
        "Đơn số 12/2026 sắp đến hạn xử lý",
        link="/petitions/12",
        dedup_key="petition:12:due_soon",
    )
    again = notify_user(
        db.session,
        inspector.id,
        "Đơn số 12/2026 sắp đến hạn xử lý",
        link="/petitions/12",
        dedup_key="petition:12:due_soon",
    )
    db.session.commit()
    assert first is not None and again is None
    assert _count() == before + 1
    assert unread_count(db.session, inspector) == 1


def test_texts_are_stored_in_the_provinces_language(app, app_ctx):
    with app.test_request_context("/?lang=en"):
        from flask_babel import force_locale

        with force_locale("en"):
            notice = notify_agency(
                db.session,
                agency("DT17-TTT").id,
                lazy_gettext("Incoming petition from %(agency)s", agency="Ban Tiếp công dân tỉnh"),
            )
    assert notice.title == "Đơn chuyển đến từ Ban Tiếp công dân tỉnh"


def test_an_agency_notification_is_read_by_each_user_for_themselves(app_ctx):
    freeze()
    colleague = _second_inspector()
    inspector = user("ttt.chuyenvien")
    outsider = user("caolanh.tcd")
    notice = notify_agency(
        db.session,
        agency("DT17-TTT").id,
        "Đơn chuyển đến từ Ban Tiếp công dân thành phố Cao Lãnh",
        link="/petitions/inbox/",
    )
    db.session.commit()
    assert unread_count(db.session, inspector) == unread_count(db.session, colleague) == 1
    assert unread_count(db.session, outsider) == 0
    assert mark_read(db.session, outsider, [notice.id]) == 0

    assert mark_read(db.session, inspector, [notice.id]) == 1
    assert mark_read(db.session, inspector, [notice.id]) == 0
    db.session.commit()
    assert unread_count(db.session, inspector) == 0
    assert unread_count(db.session, colleague) == 1
    [item] = notifications_for(db.session, inspector)
    assert not item.unread
    assert item.read_at == dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)


def test_the_list_is_newest_first_and_mark_all_read_empties_the_bell(app_ctx):
    inspector = user("ttt.chuyenvien")
    freeze(dt.datetime(2026, 11, 27, 8, 0))
    notify_user(db.session, inspector.id, "Đơn số 3/2026 quá hạn xử lý")
    freeze(dt.datetime(2026, 11, 27, 9, 0))
    notify_agency(db.session, inspector.agency_id, "Đơn chuyển đến từ Ủy ban nhân dân Xã Mỹ Ngãi")
    db.session.commit()
    titles = [item.notification.title for item in notifications_for(db.session, inspector)]
    assert titles == ["Đơn chuyển đến từ Ủy ban nhân dân Xã Mỹ Ngãi", "Đơn số 3/2026 quá hạn xử lý"]
    assert mark_read(db.session, inspector) == 2
    db.session.commit()
    assert unread_count(db.session, inspector) == 0


def test_the_bell_shows_the_unread_count_and_opening_a_notification_reads_it(app, client):
    with app.app_context():
        inspector = user("ttt.chuyenvien")
        notice = notify_user(
            db.session,
            inspector.id,
            "Ban Tiếp công dân thành phố Cao Lãnh đã trả lại đơn",
            body="Kiến nghị nạo vét kênh Cái Sao Thượng",
            link="/petitions/inbox/",
        )
        elsewhere = notify_user(
            db.session, inspector.id, "Liên kết ngoài", link="https://example.com/phishing"
        )
        db.session.commit()
        notice_id, elsewhere_id = notice.id, elsewhere.id
        db.session.remove()

    login(client, "ttt.chuyenvien")
    home = client.get("/").get_data(as_text=True)
    assert 'id="notification-bell"' in home
    assert '<span class="badge notification-count">2</span>' in home
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "Ban Tiếp công dân thành phố Cao Lãnh đã trả lại đơn" in listing
    assert "Kiến nghị nạo vét kênh Cái Sao Thượng" in listing
    assert "2 chưa đọc" in listing

    response = client.post(f"/notifications/{notice_id}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/petitions/inbox/")
    response = client.post(f"/notifications/{elsewhere_id}/open")
    assert response.headers["Location"].endswith("/notifications/")
    home = client.get("/").get_data(as_text=True)
    assert "notification-count" not in home
    assert "Thông báo: 0 chưa đọc" in home
    client.get("/logout/")

    login(client, "laivung.tcd")
    assert client.post(f"/notifications/{notice_id}/open").status_code == 404
    assert "Ban Tiếp công dân thành phố Cao Lãnh" not in client.get("/notifications/").get_data(
        as_text=True
    )


def test_mark_all_as_read_from_the_list(app, client):
    with app.app_context():
        inspector = user("ttt.chuyenvien")
        for number in (4, 5, 6):
            notify_user(db.session, inspector.id, f"Đơn số {number}/2026 sắp đến hạn xử lý")
        db.session.commit()
        db.session.remove()
    login(client, "ttt.chuyenvien")
    page = client.post("/notifications/read-all", follow_redirects=True).get_data(as_text=True)
    assert "Đã đánh dấu 3 thông báo là đã đọc." in page
    assert "Đánh dấu tất cả là đã đọc" not in page
