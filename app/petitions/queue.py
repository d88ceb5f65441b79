"""Open petitions by deadline state, in SQL (issue 3 deadlines; R8, R11).

The processing queue screen and the landing page's cards count and list the open
petitions of a user's scope that are overdue, due today, due soon (within
``DUE_SOON_WORKING_DAYS`` working days, as app.petitions.deadlines.deadline_state) or
within the deadline, as conditions on ``due_date`` computed once from the calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.calendar.workdays import WorkingCalendar
from app.figures.counts import count_rows
from app.petitions.choices import OPEN_STATUSES
from app.petitions.deadlines import DUE_SOON, DUE_TODAY, ON_TRACK, OVERDUE
from app.petitions.models import Petition
from app.security.scope import scope_condition

# "Due soon": the deadline falls within this many working days (glossary: configurable).
DUE_SOON_WORKING_DAYS = 3
STATES = (OVERDUE, DUE_TODAY, DUE_SOON, ON_TRACK)


def state_condition(
    state: str | None, today: dt.date, calendar: WorkingCalendar
) -> ColumnElement[bool]:
    """SQL: an open petition in deadline ``state`` on ``today`` (any state for None)."""
    due = Petition.due_date
    soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    conditions = {
        OVERDUE: due < today,
        DUE_TODAY: due == today,
        DUE_SOON: and_(due > today, due <= soon),
        ON_TRACK: due > soon,
    }
    return conditions.get(state, true()) if state else true()


def open_petitions(
    user: Any, state: str | None, today: dt.date, calendar: WorkingCalendar
) -> Select:
    """R11: the open petitions of the user's scope in ``state``, earliest deadline first."""
    return (
        select(Petition)
        .where(
            Petition.status.in_(OPEN_STATUSES),
            scope_condition(Petition, user),
            state_condition(state, today, calendar),
        )
        .order_by(Petition.due_date.nulls_last(), Petition.received_at, Petition.id)
    )


def count(session: Session, query: Select) -> int:
    """How many rows ``query`` selects."""
    return count_rows(session, query)
