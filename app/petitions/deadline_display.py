"""A petition's processing deadline as pages and lists show it: the date, its state with a
colour, and how it was computed (the explanation of app.calendar), in the user's language.

Lists compute many: ``deadline_displays`` loads the calendar once. The explanation is
computed again from the rule in force on the day received (as ``due_date`` was).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.calendar.explain import explanation_text
from app.calendar.models import TimeLimitRule
from app.calendar.rules import NoRuleInForce, rules_of
from app.calendar.store import load_calendar
from app.calendar.workdays import WorkingCalendar
from app.core.clock import to_local, today_local
from app.petitions.deadlines import (
    DONE,
    DUE_SOON,
    DUE_TODAY,
    ON_TRACK,
    OVERDUE,
    PROCESSING_RULE,
    deadline_state,
    processing_deadline,
)
from app.petitions.models import Petition

STATE_LABELS = {
    OVERDUE: _l("Overdue"),
    DUE_TODAY: _l("Due today"),
    DUE_SOON: _l("Due soon"),
    ON_TRACK: _l("Within the deadline"),
    DONE: _l("Processed"),
}
# Bootstrap 3 contextual classes of the states (labels, table rows).
STATE_CSS = {
    OVERDUE: "danger",
    DUE_TODAY: "warning",
    DUE_SOON: "warning",
    ON_TRACK: "success",
    DONE: "default",
}


@dataclass(frozen=True)
class DeadlineDisplay:
    """The deadline of one petition as shown: due date, state, label, colour, explanation
    and, once processed, whether that was on time."""

    due: dt.date | None
    state: str
    label: str
    css: str
    explanation: str
    working_days_left: int | None
    processed_on_time: bool | None


def _explanation(
    session: Session,
    petition: Petition,
    calendar: WorkingCalendar,
    rules: Iterable[TimeLimitRule] | None,
) -> str:
    try:
        result = processing_deadline(session, petition.received_at, calendar=calendar, rules=rules)
    except NoRuleInForce:
        return gettext("No processing time limit is in force on the day received.")
    return explanation_text(result)


def deadline_display(
    session: Session,
    petition: Petition,
    *,
    calendar: WorkingCalendar | None = None,
    today: dt.date | None = None,
    rules: Iterable[TimeLimitRule] | None = None,
) -> DeadlineDisplay:
    """Issue 3 (deadlines): the deadline of ``petition`` on ``today`` (Vietnam), its state
    (overdue / due today / due soon / within the deadline / processed) and explanation
    (``rules``: the processing rule's rows, when showing many petitions)."""
    calendar = calendar or load_calendar(session)
    today = today or today_local()
    state = deadline_state(petition, today, calendar)
    due = petition.due_date
    left = None
    on_time = None
    if state != DONE and due is not None:
        left = calendar.working_days_between(today, due)
    if state == DONE and due is not None and petition.processed_at is not None:
        on_time = to_local(petition.processed_at).date() <= due
    label = str(STATE_LABELS[state])
    if on_time is not None:
        label = gettext("Processed on time") if on_time else gettext("Processed late")
    return DeadlineDisplay(
        due=due,
        state=state,
        label=label,
        css={True: "success", False: "danger"}.get(on_time, STATE_CSS[state]),
        explanation=_explanation(session, petition, calendar, rules) if due is not None else "",
        working_days_left=left,
        processed_on_time=on_time,
    )


def deadline_displays(
    session: Session, petitions: Iterable[Petition], *, today: dt.date | None = None
) -> dict[int, DeadlineDisplay]:
    """The deadline displays of many petitions (a list page), by petition id."""
    calendar = load_calendar(session)
    today = today or today_local()
    rules = rules_of(PROCESSING_RULE, session)
    return {
        petition.id: deadline_display(
            session, petition, calendar=calendar, today=today, rules=rules
        )
        for petition in petitions
    }
