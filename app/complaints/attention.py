"""The landing page's cards for complaint dossiers (issue 4; app.home.attention).

Whoever reads dossiers sees, within their data scope (R11): dossiers past their
acceptance or resolution deadline (danger); complaints awaiting acceptance ("Hồ sơ chờ
thụ lý", all of them, the overdue ones included) and dossiers whose resolution deadline
is today or within the due-soon working days (warning). Each card links to the dossier
list filtered the same way.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext
from sqlalchemy import Select

from app.calendar.store import load_calendar
from app.complaints.listing import DossierFilters, count_dossiers, dossier_query
from app.complaints.permissions import READ
from app.core.clock import today_local
from app.extensions import db
from app.home.attention import Card, Severity
from app.petitions.deadlines import DUE_SOON, DUE_TODAY, OVERDUE
from app.petitions.permissions import holds

# How many examples a card lists.
EXAMPLES = 5


def _examples(query: Select) -> tuple[str, ...]:
    return tuple(
        f"{dossier.case.code} · {dossier.case.title}"
        for dossier in db.session.scalars(query.limit(EXAMPLES))
    )


def dossier_cards(user: Any) -> list[Card]:
    """Cards of the dossiers needing action (module docstring), most urgent first."""
    if not holds(user, READ):
        return []
    today = today_local()
    calendar = load_calendar(db.session)
    cards = []
    wanted = (
        (
            gettext("Complaints past their acceptance deadline"),
            Severity.DANGER,
            {"status": "pending", "state": OVERDUE},
        ),
        (
            gettext("Complaint dossiers past their resolution deadline"),
            Severity.DANGER,
            {"status": "accepted", "state": OVERDUE},
        ),
        (
            gettext("Complaint dossiers awaiting acceptance"),
            Severity.WARNING,
            {"status": "pending"},
        ),
        (
            gettext("Complaint dossiers due for resolution today"),
            Severity.WARNING,
            {"status": "accepted", "state": DUE_TODAY},
        ),
        (
            gettext("Complaint dossiers due for resolution soon"),
            Severity.WARNING,
            {"status": "accepted", "state": DUE_SOON},
        ),
    )
    for title, severity, args in wanted:
        found = dossier_query(DossierFilters(**args), user, today=today, calendar=calendar)
        number = count_dossiers(db.session, found)
        if number:
            link = url_for("ComplaintDossierListView.list", **args)
            cards.append(Card(title, number, link, severity, _examples(found)))
    return cards
