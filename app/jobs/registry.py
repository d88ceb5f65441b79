"""The scheduled jobs: name, what they do, when they run (times from config.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from app.core.clock import LOCAL_TZ
from app.jobs.daily_flags import run_daily_flags
from app.jobs.housekeeping import run_housekeeping
from app.jobs.monthly_summaries import run_monthly_summaries

# How far back the last scheduled moment is looked for (longer than any job's period).
_LOOKBACK = dt.timedelta(days=32)


@dataclass(frozen=True)
class Job:
    """A scheduled job: ``run(session, run_date)`` does the work for one day and returns
    the outcome; it runs at the time of config key ``time_key`` (HH:MM, Vietnamese local
    time), every day or on day ``day`` of each month."""

    name: str
    title: LazyString
    description: LazyString
    run: Callable[[Session, dt.date], str]
    time_key: str
    schedule: LazyString
    day: int | None = None

    def trigger(self, config: Mapping[str, Any]) -> CronTrigger:
        """The job's cron trigger, in Vietnamese local time."""
        hour, minute = config[self.time_key].split(":")
        fields: dict[str, Any] = {"hour": int(hour), "minute": int(minute)}
        if self.day is not None:
            fields["day"] = self.day
        return CronTrigger(timezone=LOCAL_TZ, **fields)

    def schedule_text(self, config: Mapping[str, Any]) -> str:
        """When the job runs, e.g. "Every day at 00:30"."""
        return self.schedule % {"time": config[self.time_key]}

    def latest_fire_time(self, config: Mapping[str, Any], now: dt.datetime) -> dt.datetime:
        """The last scheduled moment at or before ``now`` (aware, local time)."""
        trigger = self.trigger(config)
        moment = trigger.get_next_fire_time(None, now - _LOOKBACK)
        latest = moment
        while moment is not None and moment <= now:
            latest = moment
            moment = trigger.get_next_fire_time(moment, moment + dt.timedelta(seconds=1))
        return latest

    def next_fire_time(self, config: Mapping[str, Any], now: dt.datetime) -> dt.datetime:
        """The first scheduled moment after ``now`` (aware, local time)."""
        return self.trigger(config).get_next_fire_time(None, now + dt.timedelta(seconds=1))


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job(
            name="daily-flags",
            title=_l("Daily deadline flags and reminders"),
            description=_l(
                "Flags overdue tasks and reminds the agencies of tasks, petitions and "
                "complaint dossiers that are overdue, due today or due soon."
            ),
            run=run_daily_flags,
            time_key="DAILY_FLAGS_AT",
            schedule=_l("Every day at %(time)s"),
        ),
        Job(
            name="monthly-summaries",
            title=_l("Monthly summaries"),
            description=_l(
                "Compiles the previous month's summaries for the province and for each "
                "assigning agency."
            ),
            run=run_monthly_summaries,
            time_key="MONTHLY_SUMMARIES_AT",
            schedule=_l("On the 1st of each month at %(time)s"),
            day=1,
        ),
        Job(
            name="housekeeping",
            title=_l("Daily housekeeping"),
            description=_l(
                "Removes sign-in attempts older than the lockout windows and moves upload "
                "files that belong to no record, older than a day, to quarantine."
            ),
            run=run_housekeeping,
            time_key="HOUSEKEEPING_AT",
            schedule=_l("Every day at %(time)s"),
        ),
    )
}


def get_job(name: str) -> Job:
    """The job called ``name``; KeyError when there is none."""
    return JOBS[name]
