"""Notifications of the task loop (issue 5 "Attention and reminders"): each step reaches
the other side's bell once, the daily job's reminders reach it with a link to the task,
and with SMTP configured an e-mail follows each committed step (none for a refused one)."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from lxml import html as lxml_html

from app.core.clock import set_now
from app.extensions import db
from app.jobs.models import CLI
from app.jobs.runner import run_now
from app.notifications.email import queue_agency_email
from app.notifications.service import notifications_for, unread_count
from app.tasks import actions
from tests import tasks_records as rec
from tests.conftest import login


def titles(username: str) -> list[str]:
    """The user's notification titles, oldest first."""
    items = notifications_for(db.session, rec.user(username))
    return [item.notification.title for item in reversed(items)]


def test_each_step_reaches_the_other_side_once(app, app_ctx):
    document = rec.enter_document()
    task = rec.task_of(document, rec.DEPARTMENT)
    officer = rec.user("vpub.nhiemvu")
    assert titles("stnmt.canbo") == ["Nhiệm vụ mới: 1250/UBND-HC"]
    assert titles("caolanh.thanhtra") == ["Nhiệm vụ mới: 1250/UBND-HC"]
    assert titles("vpub.nhiemvu") == []
    rec.send_report(task, dt.datetime(2026, 11, 18, 14, 0))
    assert titles("vpub.nhiemvu") == [
        "Báo cáo cần xem xét: 1250/UBND-HC của Sở Tài nguyên và Môi trường tỉnh Đồng Tháp"
    ]
    with actions.saving(db.session):
        actions.return_report(db.session, task, task.version_id, "Thiếu danh sách vụ việc", officer)
    with actions.saving(db.session):
        actions.extend(
            db.session,
            task,
            task.version_id,
            dt.date(2026, 11, 27),
            "Chờ ý kiến Sở Tư pháp",
            officer,
        )
    rec.send_report(task, dt.datetime(2026, 11, 24, 9, 0))
    with actions.saving(db.session):
        actions.accept(db.session, task, task.version_id, officer)
    assert titles("stnmt.canbo") == [
        "Nhiệm vụ mới: 1250/UBND-HC",
        "Báo cáo chưa đạt: 1250/UBND-HC",
        "Gia hạn nhiệm vụ: 1250/UBND-HC",
        "Báo cáo đạt: 1250/UBND-HC",
    ]
    bodies = [
        item.notification.body for item in notifications_for(db.session, rec.user("stnmt.canbo"))
    ]
    assert "Nhiệm vụ đã hoàn thành (Trước hạn)." in bodies[0]
    assert (
        "Thời hạn mới 27/11/2026 (trước đây 20/11/2026). Lý do: Chờ ý kiến Sở Tư pháp" in bodies[1]
    )
    assert "Lý do: Thiếu danh sách vụ việc" in bodies[2]
    links = {
        item.notification.link for item in notifications_for(db.session, rec.user("stnmt.canbo"))
    }
    assert links == {f"/tasks/{task.id}"}
    other = rec.task_of(document, rec.CITY_INSPECTORATE)
    with actions.saving(db.session):
        actions.recall(db.session, other, other.version_id, "Giao lại cho thành phố", officer)
    assert titles("caolanh.thanhtra")[-1] == "Thu hồi nhiệm vụ: 1250/UBND-HC"


def test_the_daily_reminders_reach_the_bell_and_open_the_task(app, client):
    with app.app_context():
        task_id = rec.task_of(rec.enter_document(), rec.DEPARTMENT).id
        for day in (19, 20, 21):
            set_now(dt.datetime(2026, 11, day, 0, 30))
            result = run_now(app, "daily-flags", trigger=CLI, run_date=dt.date(2026, 11, day))
            assert result.status == "succeeded", result.error
        assert titles("stnmt.canbo")[-3:] == [
            "Nhiệm vụ còn tối đa 1 ngày làm việc đến hạn: 1250/UBND-HC",
            "Nhiệm vụ đến hạn hôm nay: 1250/UBND-HC",
            "Nhiệm vụ quá hạn: 1250/UBND-HC",
        ]
        assert unread_count(db.session, rec.user("stnmt.canbo")) == 4
        db.session.remove()
    login(client, "stnmt.canbo")
    bell = lxml_html.fromstring(client.get("/").get_data(as_text=True))
    assert (
        bell.xpath('//*[@id="notification-bell"]//*[contains(@class, "notification-count")]')[0]
        .text_content()
        .strip()
        == "4"
    )
    with app.app_context():
        overdue = next(
            item.notification
            for item in notifications_for(db.session, rec.user("stnmt.canbo"))
            if item.notification.kind == "task.overdue"
        )
        db.session.remove()
    opened = client.post(f"/notifications/{overdue.id}/open")
    assert opened.headers["Location"].endswith(f"/tasks/{task_id}")
    page = lxml_html.fromstring(client.get(f"/tasks/{task_id}").get_data(as_text=True))
    assert page.get_element_by_id("task-overdue").text_content() == "Quá hạn"


class FakeSMTP:
    """Collects what would be sent; the server is never reached."""

    sent: list = []

    def __init__(self, host: str, port: int, timeout: float):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.dongthap.gov.vn")
    monkeypatch.setitem(app.config, "MAIL_LINK_BASE_URL", "https://donthu.dongthap.gov.vn")
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    with app.app_context():
        rec.user("stnmt.canbo").email = "ngoc.ht@stnmt.dongthap.gov.vn"
        rec.user("vpub.nhiemvu").email = "thu.tt@vpub.dongthap.gov.vn"
        db.session.commit()
        db.session.remove()
    return FakeSMTP.sent


def test_with_smtp_configured_each_committed_step_is_also_emailed(app, app_ctx, smtp):
    document = rec.enter_document()
    # One message per receiving agency whose users have an address (the lead department
    # here, and the supporting inspectorate whose demo account has one).
    by_recipient = {message["To"]: message for message in smtp}
    assert len(by_recipient) == len(smtp)
    message = by_recipient["ngoc.ht@stnmt.dongthap.gov.vn"]
    assert message["Subject"] == "Nhiệm vụ mới: 1250/UBND-HC"
    task = rec.task_of(document, rec.DEPARTMENT)
    assert f"https://donthu.dongthap.gov.vn/tasks/{task.id}" in message.get_content()
    rec.send_report(task, dt.datetime(2026, 11, 18, 14, 0))
    # The report goes to the users of the assigning office (the officer among them).
    assert "thu.tt@vpub.dongthap.gov.vn" in smtp[-1]["To"].split(", ")
    assert smtp[-1]["Subject"].startswith("Báo cáo cần xem xét: 1250/UBND-HC")


def test_an_email_waits_for_the_commit_and_a_rollback_drops_it(app, app_ctx, smtp):
    department = rec.agency(rec.DEPARTMENT).id
    queue_agency_email(db.session, department, "Nhiệm vụ mới: 1251/UBND-HC", "Thời hạn 20/11/2026")
    assert smtp == []
    db.session.rollback()
    db.session.commit()
    assert smtp == []
    queue_agency_email(db.session, department, "Nhiệm vụ mới: 1252/UBND-HC", "Thời hạn 20/11/2026")
    with pytest.raises(ValueError), db.session.begin_nested():
        raise ValueError("a savepoint rolled back (a notification's dedup check)")
    db.session.commit()
    assert [message["Subject"] for message in smtp] == ["Nhiệm vụ mới: 1252/UBND-HC"]


def test_without_smtp_nothing_is_emailed(app, app_ctx, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    rec.user("stnmt.canbo").email = "ngoc.ht@stnmt.dongthap.gov.vn"
    rec.enter_document()
    assert FakeSMTP.sent == []
