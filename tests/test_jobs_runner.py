"""Each occurrence runs once whatever the number of schedulers; missed runs are made up at
start; crashed runs are retried after the timeout; runs are the system user's (issue 6)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.clock import local_to_utc, now_utc, set_now
from app.extensions import db
from app.jobs import monthly_summaries, registry
from app.jobs.models import FAILED, RUNNING, SCHEDULE, SUCCEEDED, JobRun
from app.jobs.runner import SKIPPED, catch_up, run_scheduled
from app.jobs.scheduler import build_scheduler


@pytest.fixture
def counted(monkeypatch):
    """Every job counts its runs (and does its real work)."""
    calls: list[tuple[str, dt.date]] = []
    for name, job in list(registry.JOBS.items()):

        def run(session, run_date, job=job):
            calls.append((job.name, run_date))
            return job.run(session, run_date)

        monkeypatch.setitem(registry.JOBS, name, dataclasses.replace(job, run=run))
    return calls


def runs(app, job: str | None = None) -> list[JobRun]:
    """The recorded runs (of one job), oldest first."""
    with app.app_context():
        query = select(JobRun).order_by(JobRun.id)
        if job:
            query = query.where(JobRun.job == job)
        return list(db.session.scalars(query))


def test_two_schedulers_racing_for_one_occurrence_run_it_once(app, counted):
    set_now(dt.datetime(2026, 11, 27, 0, 30))
    start = threading.Barrier(2)
    results = []

    def scheduler() -> None:
        start.wait()
        results.append(run_scheduled(app, "daily-flags"))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(result.status for result in results) == [SKIPPED, SUCCEEDED]
    assert counted == [("daily-flags", dt.date(2026, 11, 27))]
    (run,) = runs(app)
    assert (run.occurrence, run.status, run.trigger) == (
        "daily-flags:2026-11-27",
        SUCCEEDED,
        SCHEDULE,
    )


def test_a_monthly_run_missed_on_the_1st_is_made_up_once_when_the_scheduler_starts(app, counted):
    set_now(dt.datetime(2026, 12, 3, 8, 15))
    catch_up(app)
    catch_up(app)  # a second scheduler, or a restart
    assert counted.count(("monthly-summaries", dt.date(2026, 12, 1))) == 1
    assert counted.count(("daily-flags", dt.date(2026, 12, 3))) == 1
    (monthly,) = runs(app, "monthly-summaries")
    assert monthly.occurrence == "monthly-summaries:2026-12-01"
    assert monthly.trigger == "catch_up"


def test_before_the_daily_time_the_catch_up_makes_up_yesterday(app, counted):
    set_now(dt.datetime(2026, 11, 27, 0, 10))
    catch_up(app)
    assert ("daily-flags", dt.date(2026, 11, 26)) in counted


def _held(app, started_minutes_ago: int) -> None:
    with app.app_context():
        db.session.add(
            JobRun(
                job="daily-flags",
                occurrence="daily-flags:2026-11-27",
                run_date=dt.date(2026, 11, 27),
                trigger=SCHEDULE,
                status=RUNNING,
                started_at=now_utc() - dt.timedelta(minutes=started_minutes_ago),
            )
        )
        db.session.commit()


def test_a_run_in_progress_is_left_alone(app, counted):
    set_now(dt.datetime(2026, 11, 27, 0, 40))
    _held(app, started_minutes_ago=10)
    assert run_scheduled(app, "daily-flags").status == SKIPPED
    assert counted == []


def test_a_crashed_run_is_taken_over_after_the_timeout(app, counted):
    set_now(dt.datetime(2026, 11, 27, 2, 0))
    _held(app, started_minutes_ago=app.config["JOBS_CRASHED_AFTER_MINUTES"] + 1)
    assert run_scheduled(app, "daily-flags").status == SUCCEEDED
    (run,) = runs(app)
    assert (run.status, run.attempt) == (SUCCEEDED, 2)
    assert run.started_at == local_to_utc(dt.datetime(2026, 11, 27, 2, 0))


def test_a_failing_job_is_recorded_with_its_error_and_its_work_undone(app, monkeypatch):
    from app.notifications.models import Notification

    job = registry.JOBS["daily-flags"]

    def broken(session, run_date):
        job.run(session, run_date)
        session.add(Notification(recipient_agency_id=1, title="half done", dedup_key="half"))
        session.flush()
        raise RuntimeError("database went away")

    monkeypatch.setitem(registry.JOBS, "daily-flags", dataclasses.replace(job, run=broken))
    set_now(dt.datetime(2026, 11, 27, 0, 30))
    assert run_scheduled(app, "daily-flags").status == FAILED
    (run,) = runs(app)
    assert (run.status, run.error) == (FAILED, "database went away")
    assert run.finished_at is not None
    with app.app_context():
        assert (
            db.session.scalar(select(Notification).where(Notification.dedup_key == "half")) is None
        )


def test_without_the_reports_service_the_monthly_run_fails_saying_so(app, monkeypatch):
    monkeypatch.setattr(monthly_summaries, "REPORTS_SERVICE", "app.reports.not_installed")
    set_now(dt.datetime(2026, 12, 1, 1, 0))
    result = run_scheduled(app, "monthly-summaries")
    assert result.status == FAILED
    assert "service not available" in result.error


def test_runs_are_the_system_users_in_the_audit_log(app):
    set_now(dt.datetime(2026, 11, 27, 0, 30))
    run_scheduled(app, "daily-flags")
    with app.app_context():
        entries = db.session.scalars(
            select(AuditLog).where(AuditLog.table_name == "job_run").order_by(AuditLog.id)
        ).all()
        assert [(e.username, e.user_id, e.action) for e in entries] == [
            ("system", None, "create"),
            ("system", None, "update"),
        ]
        assert entries[1].changes["status"] == [RUNNING, SUCCEEDED]


def test_two_schedulers_started_on_the_3rd_make_up_the_1st_once(app, counted):
    set_now(dt.datetime(2026, 12, 3, 8, 15))
    schedulers = [build_scheduler(app) for _ in range(2)]
    for scheduler in schedulers:
        scheduler.start()
    deadline = time.monotonic() + 60
    while any(s.get_job("catch-up") for s in schedulers) and time.monotonic() < deadline:
        time.sleep(0.05)
    for scheduler in schedulers:
        scheduler.shutdown(wait=True)
    assert counted.count(("monthly-summaries", dt.date(2026, 12, 1))) == 1
    assert [run.occurrence for run in runs(app, "monthly-summaries")] == [
        "monthly-summaries:2026-12-01"
    ]


def test_the_jobs_fire_at_their_times_in_vietnam(app):
    scheduler = build_scheduler(app)
    triggers = {job.id: job.trigger for job in scheduler.get_jobs()}
    assert str(triggers["daily-flags"]) == "cron[hour='0', minute='30']"
    assert str(triggers["monthly-summaries"]) == "cron[day='1', hour='1', minute='0']"
    assert {str(t.timezone) for t in triggers.values() if hasattr(t, "fields")} == {
        "Asia/Ho_Chi_Minh"
    }
