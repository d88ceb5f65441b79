"""The daily job: overdue flags and deadline reminders of tasks, petitions and complaint
dossiers (issue 6; R25). The rules are the domains' (app.tasks.flags,
app.petitions.flags, app.complaints.flags); this only runs them for one day."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.calendar.store import load_calendar
from app.complaints.flags import flag_dossiers
from app.jobs.texts import province_text
from app.notifications.reminders import deadline_bands
from app.petitions.flags import flag_petitions
from app.tasks.flags import flag_tasks


def run_daily_flags(session: Session, run_date: dt.date) -> str:
    """R25: flag overdue tasks and remind the agencies of tasks, petitions and dossiers
    overdue, due today or due within the configured working days, as of ``run_date``;
    return the outcome. The caller commits."""
    calendar = load_calendar(session)
    bands = deadline_bands(calendar, run_date, current_app.config["REMIND_DUE_WITHIN_WORKING_DAYS"])
    tasks = flag_tasks(session, run_date, bands)
    petitions = flag_petitions(session, bands)
    dossiers = flag_dossiers(session, bands)
    return province_text(
        _l(
            "Tasks: %(flags)s overdue flags changed, %(tasks)s reminders; petitions: "
            "%(petitions)s reminders; complaint dossiers: %(dossiers)s reminders.",
            flags=tasks.flags_changed,
            tasks=sum(tasks.notified.values()),
            petitions=sum(petitions.values()),
            dossiers=sum(dossiers.values()),
        )
    )
