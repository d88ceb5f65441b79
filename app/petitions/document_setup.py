"""Wiring of a petition's documents: slip downloads, attachments, their template helpers."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_appbuilder import AppBuilder

from app.files.access import register_owner
from app.files.display import human_size
from app.files.storage import max_file_size
from app.petitions.attachment_views import PetitionAttachmentView
from app.petitions.documents import petition_documents
from app.petitions.hooks import DocumentLink, add_document_provider
from app.petitions.models import Petition
from app.petitions.permissions import holds
from app.petitions.slip_views import PetitionSlipView
from app.security.scope import agency_in_scope, request_user

# (permission, view) of the attachment upload, as PetitionAttachmentView declares it.
MANAGE_ATTACHMENTS = ("can_upload", "PetitionAttachmentView")


def slip_links(petition: Petition) -> list[DocumentLink]:
    """The petition page's document provider: the slips the request's user may download."""
    return petition_documents(petition, request_user())


def may_manage_attachments(petition: Petition) -> bool:
    """R10, R11: the request's user may upload, remove and return the petition's files."""
    user: Any = request_user()
    return holds(user, MANAGE_ATTACHMENTS) and agency_in_scope(petition.agency_id, user)


def register_documents(appbuilder: AppBuilder) -> None:
    """Add the slip and attachment routes (no menu entries), the slip provider of the
    petition page and the helpers of templates/petitions/_documents.html."""
    appbuilder.add_view_no_menu(PetitionSlipView)
    appbuilder.add_view_no_menu(PetitionAttachmentView)
    register_owner(Petition)
    add_document_provider(slip_links)
    helpers = current_app.jinja_env.globals
    helpers["may_manage_attachments"] = may_manage_attachments
    helpers["max_upload_size"] = lambda: human_size(max_file_size())
