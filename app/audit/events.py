"""Security events in the audit log (R9, R23): logins, failed logins, logouts.

The entry names the account concerned as both the actor and the record, so an
administrator sees who logged in (or who was tried) and from which agency.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.audit.entries import log_event
from app.core.actor import Actor


def log_user_event(session: Session, action: str, user: Any) -> None:
    """Append a ``login``/``login_failed``/``logout`` entry for ``user`` and commit it."""
    actor = Actor(user.id, user.username, getattr(user, "agency_id", None))
    log_event(session, action, user, actor)
