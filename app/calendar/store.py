"""Reading the working calendar from the database (R14).

No process-wide cache: each call reads the override table (a few dozen rows), so every
gunicorn worker sees an administrator's change at once. To compute many deadlines, load
the calendar once and pass it on (``compute_deadline(..., calendar=cal)``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar.models import CalendarOverride
from app.calendar.workdays import Override, WorkingCalendar


def load_calendar(session: Session) -> WorkingCalendar:
    """The working calendar: holidays package plus every ``CalendarOverride`` row."""
    rows = session.scalars(select(CalendarOverride)).all()
    return WorkingCalendar(
        {row.day: Override(row.is_working_day, row.reason, row.legal_ref) for row in rows}
    )
