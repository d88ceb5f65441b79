"""A dossier's documents: the files attached to it (decisions, minutes, reports — stored
by app.files with their PDF signatures read, legal-domain.md §8) and the link from the
petition page to the dossier opened on the petition.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.complaints.choices import DOSSIER_STATUSES
from app.complaints.models import ComplaintDossier
from app.complaints.permissions import READ, may_resolve
from app.complaints.services import NotAllowed
from app.files.access import files_of
from app.files.models import StoredFile
from app.files.storage import Incoming, store_files
from app.petitions.hooks import DocumentLink
from app.petitions.models import Petition
from app.petitions.permissions import holds
from app.security.scope import request_user


def dossier_files(session: Session, dossier: ComplaintDossier) -> list[StoredFile]:
    """The dossier's files, oldest first (removed ones left out)."""
    return files_of(session, dossier)


def attach_files(
    session: Session, dossier: ComplaintDossier, uploads: list[Incoming], user: Any
) -> list[StoredFile]:
    """Store the uploads on the dossier, all or none (app.files.storage: type by content,
    size, PDF signatures); only for who resolves the dossier's complaints. Raises
    NotAllowed or app.files.storage.UploadRefused; the caller commits."""
    if not may_resolve(user, dossier.agency_id):
        raise NotAllowed(gettext("Your account may not resolve complaints."))
    return store_files(session, dossier, dossier.agency_id, uploads)


def dossier_path(dossier_id: int) -> str:
    """The address of a dossier's page."""
    return url_for("ComplaintDossierPageView.show", pk=dossier_id)


def dossier_links(petition: Petition) -> list[DocumentLink]:
    """The petition page's document provider: the dossier opened on the petition, for
    users who may read dossiers (the petition is in their scope: they see it)."""
    if petition.kind != "complaint" or not holds(request_user(), READ):
        return []
    session = Session.object_session(petition)
    dossiers = session.scalars(
        select(ComplaintDossier)
        .where(ComplaintDossier.petition_id == petition.id)
        .order_by(ComplaintDossier.instance)
    )
    return [
        DocumentLink(
            label=gettext("Complaint resolution dossier, instance %(n)s", n=dossier.instance),
            url=dossier_path(dossier.id),
            icon="fa-folder-open",
            note=str(DOSSIER_STATUSES.get(dossier.status, dossier.status)),
        )
        for dossier in dossiers
    ]
