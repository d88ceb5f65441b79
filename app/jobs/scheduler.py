"""The APScheduler set-up: cron triggers in Asia/Ho_Chi_Minh, catch-up at start.

Run it as its own process, ``flask jobs run-scheduler`` (docs/deployment.md), or inside
each web process with ``SCHEDULER_ENABLED=1`` (started by the first request a worker
serves, so ``flask`` commands never start one). Any number of schedulers may run against
one database: each occurrence runs once (app.jobs.runner).
"""

from __future__ import annotations

import logging
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from app.core.clock import LOCAL_TZ
from app.jobs.registry import JOBS
from app.jobs.runner import catch_up, run_scheduled
from app.outbox.sender import run_sender

logger = logging.getLogger(__name__)
_WEB_SCHEDULER = "jobs.web_scheduler"


def build_scheduler(app: Flask, *, blocking: bool = False) -> BaseScheduler:
    """A scheduler with every job on its cron trigger and, first, a one-off catch-up of
    the runs missed while no scheduler was running."""
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(
        timezone=LOCAL_TZ,
        # A firing missed (e.g. the machine slept) runs once as soon as possible.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    scheduler.add_job(catch_up, args=(app,), id="catch-up", name="catch-up")
    for job in JOBS.values():
        scheduler.add_job(run_scheduled, job.trigger(app.config), args=(app, job.name), id=job.name)
    # The national database outbox: every item is claimed by one sender (app.outbox.sender),
    # so this frequent job needs no run record.
    scheduler.add_job(
        run_sender,
        "interval",
        seconds=app.config["NATIONAL_DB_SEND_EVERY_SECONDS"],
        args=(app,),
        id="national-outbox",
    )
    return scheduler


def install_web_scheduler(app: Flask) -> None:
    """With ``SCHEDULER_ENABLED``, start a background scheduler in this web process with
    the first request it serves (once per process)."""
    if not app.config.get("SCHEDULER_ENABLED") or _WEB_SCHEDULER in app.extensions:
        return
    lock = threading.Lock()
    app.extensions[_WEB_SCHEDULER] = None

    @app.before_request
    def _start_scheduler() -> None:
        if app.extensions[_WEB_SCHEDULER] is not None:
            return
        with lock:
            if app.extensions[_WEB_SCHEDULER] is None:
                scheduler = build_scheduler(app)
                scheduler.start()
                app.extensions[_WEB_SCHEDULER] = scheduler
                logger.info("scheduler started in the web process")
