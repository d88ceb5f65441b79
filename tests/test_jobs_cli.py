"""``flask jobs``: list the jobs, run one for a chosen day (demos, the browser scenario)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.core.clock import set_now
from app.extensions import db
from app.jobs.models import JobRun
from app.notifications.service import unread_count
from app.tasks.models import Task
from tests.test_jobs_flags import assign, user


def test_run_daily_flags_for_a_date_flags_the_unreported_task_and_rings_the_bell(app, app_ctx):
    (task,) = assign(dt.date(2026, 11, 20))
    set_now(None)
    result = app.test_cli_runner().invoke(
        args=["jobs", "run", "daily-flags", "--date", "27/11/2026"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("daily-flags: Nhiệm vụ: 1 thay đổi cờ quá hạn, 1 lượt nhắc hạn")
    db.session.expire_all()
    assert db.session.get(Task, task.id).overdue is True
    assert unread_count(db.session, user("stnmt.canbo")) == 1
    run = db.session.scalar(select(JobRun))
    assert (run.run_date, run.trigger, run.triggered_by_id) == (dt.date(2026, 11, 27), "cli", None)


def test_a_badly_typed_date_is_refused(app, app_ctx):
    result = app.test_cli_runner().invoke(
        args=["jobs", "run", "daily-flags", "--date", "31/02/2026"]
    )
    assert result.exit_code == 2
    assert "dd/mm/yyyy" in result.output
    assert db.session.scalar(select(JobRun)) is None


def test_a_failed_run_exits_with_an_error(app, app_ctx, monkeypatch):
    from app.jobs import monthly_summaries

    monkeypatch.setattr(monthly_summaries, "REPORTS_SERVICE", "app.reports.not_installed")
    result = app.test_cli_runner().invoke(args=["jobs", "run", "monthly-summaries"])
    assert result.exit_code == 1
    assert "service not available" in result.output


def test_list_shows_each_job_with_its_last_and_next_run(app, app_ctx):
    set_now(dt.datetime(2026, 11, 27, 10, 0))
    runner = app.test_cli_runner()
    runner.invoke(args=["jobs", "run", "daily-flags"])
    output = runner.invoke(args=["jobs", "list"]).output
    assert "daily-flags: Đánh dấu quá hạn và nhắc hạn hằng ngày — Hằng ngày lúc 00:30" in output
    assert "lần chạy gần nhất: 27/11/2026 10:00 Thành công" in output
    assert "lần chạy tới: 28/11/2026 00:30" in output
    assert "monthly-summaries: Tổng hợp báo cáo tháng" in output
    assert "lần chạy tới: 01/12/2026 01:00" in output
