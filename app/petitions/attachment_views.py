"""Attachments of a petition on screen: upload (several files at once), remove, mark an
original as returned, and a documents page (issue 3; storage rules in app.files).

The forms are drawn by templates/petitions/_documents.html, which the petition page
includes; each form posts here and comes back to the page it was sent from.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext

from app.core.clock import today_local
from app.extensions import db
from app.files.access import FileActionRefused, stored_file_in_scope
from app.files.models import StoredFile
from app.files.storage import Incoming, UploadRefused, discard, read_limited
from app.petitions.attachments import (
    add_attachments,
    petition_attachments,
    remove_attachment,
    return_original,
)
from app.petitions.hooks import document_links
from app.petitions.models import Petition
from app.petitions.slip_views import petition_in_scope_or_404
from app.security.scope import request_user


def _back(petition: Petition) -> ResponseReturnValue:
    """Back to the page the form came from (a path of this site only), else the documents
    page of the petition."""
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("PetitionAttachmentView.documents", petition_id=petition.id)
    return redirect(target)


def _attachment_or_404(petition: Petition, file_id: int) -> StoredFile:
    stored = stored_file_in_scope(db.session, file_id, request_user())
    if stored is None or (stored.owner_table, stored.owner_id) != ("petition", petition.id):
        abort(404)
    return stored


class PetitionAttachmentView(BaseView):
    """Upload, removal and return of a petition's files (clerks of the petition's scope)."""

    route_base = "/petitions"

    @expose("/<int:petition_id>/documents")
    @has_access
    def documents(self, petition_id: int) -> ResponseReturnValue:
        """The slips and attachments of a petition in the user's scope (404 outside it)."""
        petition = petition_in_scope_or_404(petition_id)
        return self.render_template(
            "petitions/documents.html",
            petition=petition,
            documents=document_links(petition),
            attachments=petition_attachments(db.session, petition),
        )

    @expose("/<int:petition_id>/attachments", methods=["POST"])
    @has_access
    def upload(self, petition_id: int) -> ResponseReturnValue:
        """Store the chosen files on the petition, all or none; a refusal says which file
        and why, in Vietnamese, and nothing is saved (issue 7, Uploads)."""
        petition = petition_in_scope_or_404(petition_id)
        stored: list[StoredFile] = []
        try:
            uploads = [
                Incoming(upload.filename or "", read_limited(upload.stream, upload.filename or ""))
                for upload in request.files.getlist("files")
                if upload.filename
            ]
            stored = add_attachments(
                db.session,
                petition,
                uploads,
                request_user(),
                is_original=request.form.get("is_original") == "y",
            )
            db.session.commit()
        except UploadRefused as refusal:
            db.session.rollback()
            flash(refusal.message, "danger")
        except Exception:
            db.session.rollback()
            discard(stored)
            raise
        else:
            flash(gettext("Files attached: %(count)s.", count=len(stored)), "success")
        return _back(petition)

    @expose("/<int:petition_id>/attachments/<int:file_id>/delete", methods=["POST"])
    @has_access
    def remove(self, petition_id: int, file_id: int) -> ResponseReturnValue:
        """R9: remove (soft-delete) one of the petition's files."""
        petition = petition_in_scope_or_404(petition_id)
        stored = _attachment_or_404(petition, file_id)
        remove_attachment(db.session, petition, stored, request_user())
        db.session.commit()
        flash(gettext("The file “%(name)s” was removed.", name=stored.original_name), "success")
        return _back(petition)

    @expose("/<int:petition_id>/attachments/<int:file_id>/returned", methods=["POST"])
    @has_access
    def returned(self, petition_id: int, file_id: int) -> ResponseReturnValue:
        """TT 07/2014 Art. 10: the original paper was handed back to the citizen today."""
        petition = petition_in_scope_or_404(petition_id)
        stored = _attachment_or_404(petition, file_id)
        try:
            return_original(db.session, petition, stored, request_user(), today_local())
        except FileActionRefused as refusal:
            db.session.rollback()
            flash(refusal.message, "danger")
        else:
            db.session.commit()
            flash(gettext("The original was marked as returned to the citizen."), "success")
        return _back(petition)
