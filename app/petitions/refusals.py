"""Domain errors of petition processing and forwarding: a refused step changes nothing.

Each carries Vietnamese messages (``gettext`` of English msgids) by form field, so a
screen shows them next to the fields and an API answers them as JSON; the field ""
holds a message about the whole step.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from app.audit.since import what_changed


class ProcessingRefused(ValueError):
    """A processing step is refused; ``errors`` maps a form field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors

    @property
    def message(self) -> str:
        """All messages as one sentence list, for a flash or a JSON answer."""
        return " ".join(self.errors.values())


class NotPermitted(ProcessingRefused):
    """The user may not take this step (role or data scope)."""

    def __init__(self, message: str):
        super().__init__({"": message})


class StaleVersion(ProcessingRefused):
    """The record changed since the user opened it (optimistic locking): two clerks
    processing the same petition, the second is refused, never silently wins."""

    def __init__(self, message: str | None = None):
        super().__init__({"": message or changed_meanwhile()})


def stale(petition: Any, seen_version: int | None) -> StaleVersion:
    """The refusal of a step taken on ``seen_version`` of ``petition``: the conflict
    message followed by what others changed since (optimistic locking)."""
    return changed_since(what_changed(petition, seen_version))


def changed_since(changed: str) -> StaleVersion:
    """The refusal of a stale step whose missed changes are already told in ``changed``
    (app.audit.since)."""
    return StaleVersion(f"{changed_meanwhile()} {changed}".strip())


def changed_meanwhile() -> str:
    """The message of a stale save: someone changed the petition since it was opened."""
    return gettext(
        "This petition was changed by someone else after you opened it. The page now shows "
        "the current data: check it and process again if still needed."
    )
