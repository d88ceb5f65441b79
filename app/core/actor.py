"""Who is acting: the logged-in user, or a named system actor for jobs and CLI commands.

The audit log and the "created by" columns read the actor from here, never from
``g.user`` directly, so scheduled jobs and commands are attributed to a system user.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass

from flask import g, has_request_context


@dataclass(frozen=True)
class Actor:
    """The identity recorded for a change."""

    user_id: int | None
    username: str
    agency_id: int | None


SYSTEM_ACTOR = Actor(user_id=None, username="system", agency_id=None)
_override: ContextVar[Actor | None] = ContextVar("actor_override", default=None)


def current_actor() -> Actor:
    """Return the acting identity: an explicit override, else the request's user, else system."""
    override = _override.get()
    if override is not None:
        return override
    if has_request_context():
        user = getattr(g, "user", None)
        if (
            user is not None
            and getattr(user, "is_authenticated", False)
            and getattr(user, "id", None)
        ):
            return Actor(user.id, user.username, getattr(user, "agency_id", None))
    return SYSTEM_ACTOR


@contextlib.contextmanager
def acting_as(actor: Actor):
    """Attribute every change inside the block to ``actor`` (jobs, CLI commands)."""
    token = _override.set(actor)
    try:
        yield actor
    finally:
        _override.reset(token)
