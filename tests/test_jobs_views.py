"""The "Tác vụ định kỳ" page as an administrator uses it, and as nobody else can."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.core.clock import set_now
from app.extensions import db
from app.jobs.models import JobRun
from app.security.models import AppUser
from tests.conftest import login


def test_the_administrator_sees_each_job_its_schedule_and_next_run(app, client):
    set_now(dt.datetime(2026, 11, 27, 10, 0))
    login(client, "admin")
    page = client.get("/jobs/").get_data(as_text=True)
    assert "Tác vụ định kỳ" in page
    assert "Đánh dấu quá hạn và nhắc hạn hằng ngày" in page and "Hằng ngày lúc 00:30" in page
    assert "Tổng hợp báo cáo tháng" in page and "Ngày 1 hằng tháng lúc 01:00" in page
    assert "Dọn dẹp dữ liệu hằng ngày" in page and "Hằng ngày lúc 03:00" in page
    assert "00:30 28/11/2026" in page and "01:00 01/12/2026" in page
    assert "03:00 28/11/2026" in page
    assert page.count("Chưa chạy lần nào") == 3
    assert page.count("Lần chạy theo lịch gần nhất chưa được thực hiện.") == 3


def test_run_now_runs_the_job_and_records_who_asked(app, client):
    set_now(dt.datetime(2026, 11, 27, 10, 0))
    login(client, "admin")
    response = client.post("/jobs/daily-flags/run", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Đánh dấu quá hạn và nhắc hạn hằng ngày: Nhiệm vụ:" in page
    assert "Thành công" in page and "Chạy thủ công" in page
    history = client.get("/jobs/daily-flags/history").get_data(as_text=True)
    assert "Chạy thủ công: admin" in history and "27/11/2026" in history
    with app.app_context():
        run = db.session.scalar(select(JobRun))
        admin = db.session.scalar(select(AppUser).where(AppUser.username == "admin"))
        assert (run.triggered_by_id, run.trigger, run.status) == (admin.id, "manual", "succeeded")


def test_a_failed_run_shows_its_error(app, client, monkeypatch):
    from app.jobs import monthly_summaries

    monkeypatch.setattr(monthly_summaries, "REPORTS_SERVICE", "app.reports.not_installed")
    login(client, "admin")
    page = client.post("/jobs/monthly-summaries/run", follow_redirects=True).get_data(as_text=True)
    assert "Tổng hợp báo cáo tháng bị lỗi: Dịch vụ không khả dụng" in page
    assert "Lỗi" in page


def test_only_system_administrators_see_or_run_jobs(app, client):
    login(client, "caolanh.quantri")  # an agency administrator
    assert client.get("/jobs/").status_code == 403
    assert client.post("/jobs/daily-flags/run").status_code == 403
    assert client.get("/jobs/daily-flags/history").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(JobRun)) is None


def test_an_unknown_job_is_not_found(app, client):
    login(client, "admin")
    assert client.get("/jobs/no-such-job/history").status_code == 404
    assert client.post("/jobs/no-such-job/run").status_code == 404
