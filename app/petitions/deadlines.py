"""The processing deadline of a petition and its state (issue 3; rule table in app.calendar).

The deadline is the rule ``petition.processing`` in force on the day the petition was
received (default 10 working days, legal-domain.md §2.7: the law gives no certain figure,
so the row carries the doubt). Only app.calendar counts days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.calendar.models import TimeLimitRule
from app.calendar.results import DeadlineResult
from app.calendar.rules import compute_deadline
from app.calendar.workdays import WorkingCalendar
from app.petitions.choices import OPEN_STATUSES
from app.petitions.models import Petition

PROCESSING_RULE = "petition.processing"
# Deadline states shown on lists and counted by the attention cards.
DONE, OVERDUE, DUE_TODAY, DUE_SOON, ON_TRACK = (
    "done",
    "overdue",
    "due_today",
    "due_soon",
    "on_track",
)


def processing_deadline(
    session: Session,
    received_at: dt.datetime,
    *,
    calendar: WorkingCalendar | None = None,
    rules: Iterable[TimeLimitRule] | None = None,
) -> DeadlineResult:
    """The processing deadline of a petition received at ``received_at``, with its
    explanation (rule in force on the day received; ``rules``: the rows of
    PROCESSING_RULE when computing many)."""
    return compute_deadline(PROCESSING_RULE, received_at, session, calendar=calendar, rules=rules)


def assign_processing_deadline(
    session: Session, petition: Petition, *, calendar: WorkingCalendar | None = None
) -> DeadlineResult:
    """Set ``petition.due_date`` from the rule table; return the computed deadline."""
    result = processing_deadline(session, petition.received_at, calendar=calendar)
    petition.due_date = result.due
    return result


def deadline_state(
    petition: Petition,
    today: dt.date,
    calendar: WorkingCalendar,
    *,
    due_soon_working_days: int = 3,
) -> str:
    """done / overdue / due_today / due_soon (within ``due_soon_working_days`` working
    days) / on_track, for a petition on ``today``."""
    if petition.status not in OPEN_STATUSES or petition.due_date is None:
        return DONE
    if petition.due_date < today:
        return OVERDUE
    if petition.due_date == today:
        return DUE_TODAY
    if calendar.working_days_between(today, petition.due_date) <= due_soon_working_days:
        return DUE_SOON
    return ON_TRACK
