"""The "Tác vụ định kỳ" page: each job's last run, outcome and next run, its history, and
"Chạy ngay" (system administrators only: no role is granted these permissions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort, current_app, flash, g, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.core.clock import now_local
from app.extensions import db
from app.jobs.models import MANUAL, STATUS_LABELS, SUCCEEDED, TRIGGER_LABELS, JobRun
from app.jobs.registry import JOBS, Job
from app.jobs.runner import SKIPPED, run_now, scheduled_occurrence
from app.jobs.scheduler import install_web_scheduler
from app.security.models import AppUser

# How many runs the history page shows.
HISTORY_LIMIT = 100


@dataclass(frozen=True)
class JobRow:
    """One job as the page shows it."""

    job: Job
    schedule: str
    last: JobRun | None
    next_run: dt.datetime
    missed: bool


def _last_run(name: str) -> JobRun | None:
    return db.session.scalar(
        select(JobRun).where(JobRun.job == name).order_by(JobRun.started_at.desc()).limit(1)
    )


def job_rows() -> list[JobRow]:
    """Every job with its last run, its next scheduled run, and whether its latest
    scheduled occurrence has no run (no scheduler was running then)."""
    config = current_app.config
    now = now_local()
    rows = []
    for job in JOBS.values():
        latest = job.latest_fire_time(config, now)
        ran = db.session.scalar(
            select(JobRun.id).where(
                JobRun.job == job.name,
                JobRun.occurrence == scheduled_occurrence(job.name, latest.date()),
            )
        )
        rows.append(
            JobRow(
                job=job,
                schedule=job.schedule_text(config),
                last=_last_run(job.name),
                next_run=job.next_fire_time(config, now),
                missed=ran is None,
            )
        )
    return rows


class JobsView(BaseView):
    """Scheduled jobs: what ran, how it ended, what runs next; run one now."""

    route_base = "/jobs"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self) -> ResponseReturnValue:
        """Each job's last run, outcome and next run, with "Chạy ngay"."""
        return self.render_template(
            "jobs/list.html",
            rows=job_rows(),
            status_labels=STATUS_LABELS,
            trigger_labels=TRIGGER_LABELS,
        )

    @expose("/<name>/history")
    @has_access
    def history(self, name: str) -> ResponseReturnValue:
        """The runs of one job, newest first, with who started each."""
        job = JOBS.get(name) or abort(404)
        starter = aliased(AppUser)
        runs = db.session.execute(
            select(JobRun, starter.username)
            .outerjoin(starter, starter.id == JobRun.triggered_by_id)
            .where(JobRun.job == name)
            .order_by(JobRun.started_at.desc())
            .limit(HISTORY_LIMIT)
        ).all()
        return self.render_template(
            "jobs/history.html",
            job=job,
            runs=runs,
            status_labels=STATUS_LABELS,
            trigger_labels=TRIGGER_LABELS,
        )

    @expose("/<name>/run", methods=["POST"])
    @has_access
    def run(self, name: str) -> ResponseReturnValue:
        """Run the job now, recorded with the administrator who asked."""
        job = JOBS.get(name) or abort(404)
        app = current_app._get_current_object()
        result = run_now(app, name, trigger=MANUAL, user_id=g.user.id)
        title = str(job.title)
        if result.status == SUCCEEDED:
            flash(gettext("%(job)s: %(outcome)s", job=title, outcome=result.outcome), "success")
        elif result.status == SKIPPED:
            flash(gettext("%(job)s is already running.", job=title), "warning")
        else:
            flash(gettext("%(job)s failed: %(error)s", job=title, error=result.error), "danger")
        return redirect(url_for(".list"))


def register(appbuilder: AppBuilder) -> None:
    """Add the jobs page to the Security menu, and the web process's scheduler when
    ``SCHEDULER_ENABLED``."""
    appbuilder.add_view(
        JobsView,
        "Scheduled jobs",
        label=_l("Scheduled jobs"),
        icon="fa-clock-o",
        category="Security",
    )
    install_web_scheduler(current_app._get_current_object())
