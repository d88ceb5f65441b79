"""Landing-page card of the intake: "Đơn mới tiếp nhận hôm nay" (issue 3, R8, R11).

Shown to users who may open the petition list; counts the petitions of their data scope
received today (Vietnamese day) and links to the list filtered to today; a count of
thousands is the one of the last minutes (app.figures.counts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask_babel import gettext
from sqlalchemy import select

from app.core.clock import local_to_utc, today_local
from app.extensions import db
from app.figures.counts import count_rows
from app.home.attention import Card, Severity
from app.home.links import can_open, menu_url
from app.petitions.models import Petition
from app.security.scope import scope_condition

LIST_MENU = "Petition list"
EXAMPLES = 5


def received_today_cards(user: Any) -> list[Card]:
    """R8, R11: petitions of the user's scope received today, newest first."""
    link = menu_url(LIST_MENU)
    if link is None or not can_open(LIST_MENU):
        return []
    today = today_local()
    start = local_to_utc(dt.datetime.combine(today, dt.time()))
    end = start + dt.timedelta(days=1)
    condition = (
        scope_condition(Petition, user),
        Petition.received_at >= start,
        Petition.received_at < end,
    )
    count = count_rows(db.session, select(Petition.id).where(*condition))
    newest = db.session.execute(
        select(Petition.register_number, Petition.register_year, Petition.summary)
        .where(*condition)
        .order_by(Petition.received_at.desc(), Petition.id.desc())
        .limit(EXAMPLES)
    ).all()
    day = today.strftime("%d/%m/%Y")
    query = urlencode({"received_from": day, "received_to": day})
    return [
        Card(
            gettext("New petitions received today"),
            count,
            f"{link}?{query}",
            Severity.INFO,
            tuple(f"{number}/{year} — {summary[:70]}" for number, year, summary in newest),
        )
    ]
