"""The attention registry of the landing page: what needs a user's attention today.

Each domain adds providers with ``add_attention_provider`` from its ``register``
function (inside the app context). A provider takes the logged-in user and returns the
cards that user should see, already restricted to the user's data scope
(app.security.scope); the landing page shows every provider's cards, most urgent first.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

_EXTENSION_KEY = "home.attention_providers"


class Severity(enum.IntEnum):
    """How urgent a card is; the value orders the page (most urgent first)."""

    DANGER = 0
    WARNING = 1
    INFO = 2

    @property
    def css(self) -> str:
        """The Bootstrap 3 contextual class of the card."""
        return self.name.lower()


@dataclass(frozen=True)
class Card:
    """One thing to look at: a title, how many, where to go, how urgent, a few examples."""

    title: str
    count: int
    link: str
    severity: Severity = Severity.INFO
    examples: tuple[str, ...] = ()

    @property
    def urgent(self) -> bool:
        """Warnings and dangers need action; information cards do not."""
        return self.severity is not Severity.INFO


AttentionProvider = Callable[[Any], list[Card]]


def add_attention_provider(provider: AttentionProvider) -> None:
    """Register ``provider`` with the current app (once per app; order is kept)."""
    providers = current_app.extensions.setdefault(_EXTENSION_KEY, [])
    if provider not in providers:
        providers.append(provider)


def attention_cards(user: Any) -> list[Card]:
    """Every registered provider's cards for ``user``, most urgent first."""
    cards = [
        card
        for provider in current_app.extensions.get(_EXTENSION_KEY, [])
        for card in provider(user)
    ]
    return sorted(cards, key=lambda card: card.severity)
