"""Running a job occurrence exactly once across processes and instances (issue 6, 7).

* Claim: a run starts by inserting its ``JobRun`` row (status ``running``) in a short
  transaction of its own. The (job, occurrence) key is unique, so when several workers or
  instances fire the same occurrence, one insert wins and runs; the others fail on the
  key and skip.
* Crash: a row still ``running`` ``JOBS_CRASHED_AFTER_MINUTES`` after it started is taken
  as crashed (the process died; its work was rolled back with its transaction). The
  next claim of that occurrence — the catch-up at the next start, or a scheduler firing
  it — takes it over (``attempt`` + 1); the row's version makes that take-over win once.
  A run that failed with an error is recorded as failed and not retried by itself: an
  administrator runs the job again ("Chạy ngay").
* Run: each run has an app context of its own, acts as the system user (audit log,
  "created by" columns), and commits its work together with the run's outcome.
* Catch-up: when a scheduler starts, each job's latest scheduled occurrence that has no
  run (the server was down) runs then.
* By hand: an administrator's or the command line's run has an occurrence of its own (a
  random suffix) and is recorded with who started it; it is refused while a run of that
  job is in progress.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.core.actor import SYSTEM_ACTOR, acting_as
from app.core.clock import now_local, now_utc, today_local
from app.extensions import db
from app.jobs.models import CATCH_UP, FAILED, RUNNING, SCHEDULE, SUCCEEDED, JobRun
from app.jobs.registry import JOBS, get_job

logger = logging.getLogger(__name__)
SKIPPED = "skipped"


@dataclass(frozen=True)
class RunResult:
    """How a request to run an occurrence ended: succeeded, failed, or skipped (another
    process holds the occurrence, or a run of the job is in progress)."""

    status: str
    occurrence: str
    run_id: int | None = None
    outcome: str | None = None
    error: str | None = None


def scheduled_occurrence(name: str, run_date: dt.date) -> str:
    """The key of a job's scheduled occurrence on ``run_date``, e.g. "daily-flags:2026-11-27"."""
    return f"{name}:{run_date.isoformat()}"


def _crashed_before(app: Flask) -> dt.datetime:
    return now_utc() - dt.timedelta(minutes=app.config["JOBS_CRASHED_AFTER_MINUTES"])


def _claim(
    app: Flask, name: str, occurrence: str, run_date: dt.date, trigger: str, user_id: int | None
) -> int | None:
    """Insert the run's row (or take over a crashed one); its id, or None when another
    process holds the occurrence."""
    with Session(db.engine) as session:
        run = JobRun(
            job=name,
            occurrence=occurrence,
            run_date=run_date,
            trigger=trigger,
            triggered_by_id=user_id,
            status=RUNNING,
            started_at=now_utc(),
        )
        session.add(run)
        try:
            session.commit()
            return run.id
        except IntegrityError:
            session.rollback()
        held = session.scalar(
            select(JobRun).where(JobRun.job == name, JobRun.occurrence == occurrence)
        )
        if held is None or held.status != RUNNING or held.started_at >= _crashed_before(app):
            return None
        held.attempt += 1
        held.started_at = now_utc()
        held.trigger = trigger
        held.triggered_by_id = user_id
        try:
            session.commit()
        except StaleDataError:
            session.rollback()
            return None
        logger.warning("job %s: took over crashed run %s", name, occurrence)
        return held.id


def _record_failure(run_id: int, error: str) -> None:
    with Session(db.engine) as session:
        run = session.get(JobRun, run_id)
        if run is None or run.status != RUNNING:
            return
        run.status, run.finished_at, run.error = FAILED, now_utc(), error
        try:
            session.commit()
        except StaleDataError:
            logger.warning("job run %s was taken over before its failure was recorded", run_id)


def run_job(
    app: Flask,
    name: str,
    run_date: dt.date,
    *,
    trigger: str,
    occurrence: str,
    user_id: int | None = None,
) -> RunResult:
    """Claim ``occurrence`` of job ``name`` and, if won, run it for ``run_date`` in an app
    context of its own as the system user; record and return how it ended."""
    job = get_job(name)
    with app.app_context(), acting_as(SYSTEM_ACTOR):
        run_id = _claim(app, name, occurrence, run_date, trigger, user_id)
        if run_id is None:
            return RunResult(SKIPPED, occurrence)
        try:
            outcome = job.run(db.session, run_date)
            run = db.session.get(JobRun, run_id)
            run.status, run.finished_at, run.outcome = SUCCEEDED, now_utc(), outcome
            db.session.commit()
        except Exception as exc:
            db.session.rollback()
            logger.exception("job %s (%s) failed", name, occurrence)
            error = str(exc) or type(exc).__name__
            _record_failure(run_id, error)
            return RunResult(FAILED, occurrence, run_id, error=error)
        return RunResult(SUCCEEDED, occurrence, run_id, outcome=outcome)


def run_scheduled(app: Flask, name: str, trigger: str = SCHEDULE) -> RunResult:
    """Run the job's latest scheduled occurrence (at or before now) unless it has run: what
    the scheduler calls at each firing, in every process that fires it."""
    job = get_job(name)
    fired = job.latest_fire_time(app.config, now_local())
    run_date = fired.date()
    return run_job(
        app, name, run_date, trigger=trigger, occurrence=scheduled_occurrence(name, run_date)
    )


def catch_up(app: Flask) -> list[RunResult]:
    """Run each job's latest scheduled occurrence that has not run (or crashed): called
    when a scheduler starts, so a run missed while the server was down is made up."""
    return [run_scheduled(app, name, CATCH_UP) for name in JOBS]


def in_progress(app: Flask, name: str) -> bool:
    """True while a run of job ``name`` is in progress (started less than the crash
    timeout ago)."""
    with app.app_context():
        running = db.session.scalar(
            select(JobRun.id)
            .where(
                JobRun.job == name,
                JobRun.status == RUNNING,
                JobRun.started_at >= _crashed_before(app),
            )
            .limit(1)
        )
    return running is not None


def run_now(
    app: Flask,
    name: str,
    *,
    trigger: str,
    user_id: int | None = None,
    run_date: dt.date | None = None,
) -> RunResult:
    """Run job ``name`` now, for ``run_date`` (default today), as an occurrence of its own
    recorded with who started it; skipped while a run of the job is in progress."""
    run_date = run_date or today_local()
    occurrence = f"{name}:{run_date.isoformat()}:{trigger}:{uuid.uuid4().hex[:12]}"
    if in_progress(app, name):
        return RunResult(SKIPPED, occurrence)
    return run_job(app, name, run_date, trigger=trigger, occurrence=occurrence, user_id=user_id)
