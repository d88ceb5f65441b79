"""The landing page's cards for tasks (issue 5; app.home.attention), within the scope.

- A receiving agency's staff: tasks to acknowledge, returned tasks to report again
  (R18), tasks overdue, due today or due within N working days (the first of
  ``REMIND_DUE_WITHIN_WORKING_DAYS``).
- A task officer: reports awaiting review (R17) and tasks overdue among those assigned.
Each card shows only to users who may open the list it links to.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import gettext
from sqlalchemy import Select, and_, select

from app.calendar.store import load_calendar
from app.core.clock import today_local
from app.extensions import db
from app.home.attention import Card, Severity
from app.notifications.reminders import due_within_cutoff
from app.tasks.flags import AWAITING_AGENCY
from app.tasks.listing import LISTED, count, side_condition
from app.tasks.models import Task

# How many examples a card lists.
EXAMPLES = 5


def _may_open(view: str) -> bool:
    return bool(current_app.appbuilder.sm.has_access("can_list", view))


def _examples(query: Select) -> tuple[str, ...]:
    rows = db.session.execute(
        query.with_only_columns(LISTED.number, LISTED.symbol, Task.deadline, LISTED.summary).limit(
            EXAMPLES
        )
    )
    return tuple(
        f"{number}/{symbol} · {deadline:%d/%m/%Y} · {summary[:120]}"
        for number, symbol, deadline, summary in rows
    )


def _card(query: Select, title: str, link: str, severity: Severity) -> list[Card]:
    number = count(db.session, query)
    return [Card(title, number, link, severity, _examples(query))] if number else []


def _tasks(condition: Any) -> Select:
    return (
        select(Task)
        .join(LISTED, LISTED.id == Task.document_id)
        .where(condition)
        .order_by(Task.deadline, Task.id)
    )


def agency_cards(user: Any) -> list[Card]:
    """R15, R18, R25: what the user's agency must do about the tasks it received."""
    if not _may_open("AgencyTasksView"):
        return []
    today = today_local()
    mine = side_condition("agency", user, today)
    days = (current_app.config.get("REMIND_DUE_WITHIN_WORKING_DAYS") or [3])[0]
    soon = due_within_cutoff(load_calendar(db.session), today, days)
    inbox = "AgencyTasksView.list"
    return [
        *_card(
            _tasks(and_(mine, Task.status.in_(AWAITING_AGENCY), Task.deadline < today)),
            gettext("Tasks of your agency past their deadline"),
            url_for("OverdueTasksView.list"),
            Severity.DANGER,
        ),
        *_card(
            _tasks(and_(mine, Task.status == "returned")),
            gettext("Reports not yet satisfactory: report again"),
            url_for(inbox, status="returned"),
            Severity.WARNING,
        ),
        *_card(
            _tasks(and_(mine, Task.status == "assigned")),
            gettext("New tasks to acknowledge"),
            url_for(inbox, status="assigned"),
            Severity.WARNING,
        ),
        *_card(
            _tasks(
                and_(
                    mine,
                    Task.status.in_(AWAITING_AGENCY),
                    Task.deadline >= today,
                    Task.deadline <= soon,
                )
            ),
            gettext("Tasks due within %(days)s working days", days=days),
            url_for(inbox),
            Severity.WARNING,
        ),
    ]


def office_cards(user: Any) -> list[Card]:
    """R17, R25: reports waiting for the office's review, and the overdue tasks it gave."""
    if not _may_open("ReviewQueueView"):
        return []
    today = today_local()
    given = side_condition("assigned", user, today)
    return [
        *_card(
            _tasks(and_(given, Task.status == "reported")),
            gettext("Reports awaiting your review"),
            url_for("ReviewQueueView.list"),
            Severity.WARNING,
        ),
        *_card(
            _tasks(and_(given, Task.status.in_(AWAITING_AGENCY), Task.deadline < today)),
            gettext("Tasks assigned and overdue"),
            url_for("OverdueTasksView.list"),
            Severity.DANGER,
        ),
    ]
