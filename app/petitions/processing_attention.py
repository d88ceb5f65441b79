"""The landing page's cards for petition processing (issue 3; app.home.attention).

A clerk, leader or monitor sees how many open petitions of their scope are overdue, due
today or due soon, and — who may receive them — how many forwarded petitions wait in
their agency's inbox. Counts are SQL over the user's data scope (R11).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import gettext
from sqlalchemy import Select

from app.calendar.store import load_calendar
from app.core.clock import today_local
from app.extensions import db
from app.home.attention import Card, Severity
from app.petitions.deadlines import DUE_SOON, DUE_TODAY, OVERDUE
from app.petitions.queue import count, open_petitions
from app.petitions.transfers import inbox_query

# How many examples a card lists.
EXAMPLES = 5


def _may(permission: str, view: str) -> bool:
    return bool(current_app.appbuilder.sm.has_access(permission, view))


def _examples(query: Select, describe) -> tuple[str, ...]:
    return tuple(describe(row) for row in db.session.scalars(query.limit(EXAMPLES)))


def deadline_cards(user: Any) -> list[Card]:
    """Open petitions of the user's scope that are overdue (danger), due today or due soon
    (warning), each linking to the processing queue filtered by that state."""
    if not _may("can_list", "ProcessingQueueView"):
        return []
    today = today_local()
    calendar = load_calendar(db.session)
    cards = []
    titles = {
        OVERDUE: (gettext("Petitions past their processing deadline"), Severity.DANGER),
        DUE_TODAY: (gettext("Petitions due for processing today"), Severity.WARNING),
        DUE_SOON: (gettext("Petitions due for processing soon"), Severity.WARNING),
    }
    for state, (title, severity) in titles.items():
        query = open_petitions(user, state, today, calendar)
        number = count(db.session, query)
        if not number:
            continue
        examples = _examples(
            query,
            lambda p: f"{p.register_code} · {p.due_date:%d/%m/%Y} · {p.summary}",
        )
        link = url_for("ProcessingQueueView.list", state=state)
        cards.append(Card(title, number, link, severity, examples))
    return cards


def inbox_cards(user: Any) -> list[Card]:
    """Petitions forwarded to the user's agency and not yet received (R7)."""
    if not _may("can_receive", "TransferInboxView"):
        return []
    query = inbox_query(user)
    number = count(db.session, query)
    if not number:
        return []
    examples = _examples(query, lambda t: f"{t.from_agency.name}: {t.petition.summary}")
    title = gettext("Forwarded petitions waiting to be received")
    return [Card(title, number, url_for("TransferInboxView.list"), Severity.WARNING, examples)]
