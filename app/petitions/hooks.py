"""Extension points of the petition domain for later issues.

``petition_accepted`` (a blinker signal) is sent when a petition is accepted for
resolution (thụ lý, TT 07/2014 Art. 7(1), 9(2), 21(1)), from
``app.petitions.processing.process_petition``, inside the transaction that accepts it and
after the petition is flushed (its status is "accepted" and ``case`` is set). The
complaints issue (issue 4) connects a receiver to open a dossier::

    from app.petitions.hooks import petition_accepted

    @petition_accepted.connect
    def open_dossier(petition, *, session, user):
        if petition.kind == "complaint":
            session.add(Dossier(petition=petition, ...))

Receivers are called synchronously with the petition as sender and the keyword arguments
``session`` (add to it; do not commit) and ``user`` (who accepted). A receiver that raises
refuses the acceptance: the caller rolls back and nothing of it is saved. Receivers also
get recommendations and reflections accepted for resolution; check ``petition.kind``.

``add_document_provider(provider)`` (from a ``register`` function, inside the app
context) adds links to the documents block of the petition page: a provider takes the
petition and returns ``DocumentLink`` items (the slips of issue 3 use it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from blinker import Namespace
from flask import current_app

_signals = Namespace()
petition_accepted = _signals.signal("petition-accepted")

_DOCUMENTS_KEY = "petitions.document_providers"


@dataclass(frozen=True)
class DocumentLink:
    """A document offered on the petition page: label, address, icon and a short note."""

    label: str
    url: str
    icon: str = "fa-file-word-o"
    note: str = ""


DocumentProvider = Callable[[Any], list[DocumentLink]]


def add_document_provider(provider: DocumentProvider) -> None:
    """Register ``provider`` with the current app (once; order is kept)."""
    providers = current_app.extensions.setdefault(_DOCUMENTS_KEY, [])
    if provider not in providers:
        providers.append(provider)


def document_links(petition: Any) -> list[DocumentLink]:
    """Every registered provider's documents for ``petition``, in registration order."""
    return [
        link
        for provider in current_app.extensions.get(_DOCUMENTS_KEY, [])
        for link in provider(petition)
    ]
