"""Recomputing open petitions' processing deadlines after the calendar or a rule changed.

Registered with app.calendar.changes (``register_deadline_recomputer``) from the petition
screens' ``register``: when an administrator adds, edits or deletes a holiday override or
a time-limit row, every open petition's due date is computed again from its date received
(rule in force that day, calendar as it now stands). One pass over the open petitions;
one calendar load; one rule look-up per day received. A changed due date is saved through
the ORM, so the audit log records it (R9), and the petition's history gets a step naming
the old and new dates and the reason.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar.deadlines import event_day
from app.calendar.store import load_calendar
from app.core.actor import current_actor
from app.petitions.choices import OPEN_STATUSES
from app.petitions.deadlines import processing_deadline
from app.petitions.events import record_event
from app.petitions.models import Petition

log = logging.getLogger(__name__)
# Petitions updated per query.
CHUNK = 500


def recompute_petition_deadlines(session: Session, reason: str) -> int:
    """Issue 3 (deadlines), R9: give every open petition the due date the calendar and the
    rule table now give; return how many changed."""
    calendar = load_calendar(session)
    rows = session.execute(
        select(Petition.id, Petition.received_at, Petition.due_date).where(
            Petition.status.in_(OPEN_STATUSES)
        )
    ).all()
    due_by_day: dict[dt.date, dt.date] = {}
    changed: dict[int, dt.date] = {}
    for petition_id, received_at, due_date in rows:
        day = event_day(received_at)
        if day not in due_by_day:
            due_by_day[day] = processing_deadline(session, received_at, calendar=calendar).due
        if due_by_day[day] != due_date:
            changed[petition_id] = due_by_day[day]
    if not changed:
        return 0
    actor = current_actor()
    ids = sorted(changed)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for petition in session.scalars(select(Petition).where(Petition.id.in_(chunk))):
            old = petition.due_date
            petition.due_date = changed[petition.id]
            note = gettext(
                "%(old)s → %(new)s, after a change of the holiday calendar or the time limits.",
                old=old.strftime("%d/%m/%Y") if old else "—",
                new=petition.due_date.strftime("%d/%m/%Y"),
            )
            record_event(session, petition, actor, "deadline_recomputed", note=note)
        session.flush()
    log.info("Petition deadlines recomputed: %s changed (%s)", len(changed), reason)
    return len(changed)
