"""The documents a petition offers on its page: the official slips that fit its state.

``petition_documents`` is registered as a document provider (app.petitions.hooks), so the
petition page lists the slips with the other packages' documents; the attachments and
their actions are drawn by templates/petitions/_documents.html.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext

from app.petitions.hooks import DocumentLink
from app.petitions.models import Petition
from app.petitions.permissions import holds
from app.petitions.slips import available_slips

# (permission, view) of the slip download, as PetitionSlipView declares it.
DOWNLOAD_SLIPS = ("can_slip", "PetitionSlipView")


def petition_documents(petition: Petition, user: Any) -> list[DocumentLink]:
    """Issue 3: a download link for each slip fitting the petition's state, for users whose
    roles grant the slip download (the petition itself is in their scope: they see it)."""
    if not holds(user, DOWNLOAD_SLIPS):
        return []
    return [
        DocumentLink(
            label=str(kind.label),
            url=url_for("PetitionSlipView.slip", petition_id=petition.id, kind=kind.code),
            icon="fa-file-word-o",
            note=gettext("Word document generated from the petition's data"),
        )
        for kind in available_slips(petition)
    ]
