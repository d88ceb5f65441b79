"""Recording a step of a petition's history (PetitionEvent), shown on its timeline."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core.clock import now_utc
from app.petitions.models import Petition, PetitionEvent


def record_event(
    session: Session,
    petition: Petition,
    user: Any,
    event: str,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
) -> PetitionEvent:
    """R9: add the step ``event`` (a key of app.petitions.choices.EVENTS) by ``user`` (a
    user account, an app.core.actor.Actor, or None for the system) to the petition's
    history, now."""
    entry = PetitionEvent(
        petition=petition,
        at=now_utc(),
        user_id=getattr(user, "id", getattr(user, "user_id", None)),
        username=getattr(user, "username", None) or "system",
        agency_id=getattr(user, "agency_id", None),
        event=event,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    session.add(entry)
    return entry
