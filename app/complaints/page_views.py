"""The dossier page and the steps posted from it (issue 4). Thin: the rules are in
app.complaints.services (through app.complaints.actions); a refused step shows the page
again (an ordinary page, status 200, as a browser expects a form shown again) with its
form as typed and the messages next to the fields, and nothing is saved.
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext

from app.complaints.actions import ActionRefused, apply_action
from app.complaints.documents import attach_files
from app.complaints.page import render_dossier_page, scoped_dossier
from app.complaints.services import NotAllowed
from app.extensions import db
from app.files.storage import Incoming, UploadRefused, discard, read_limited


def _page(pk: int, anchor: str) -> ResponseReturnValue:
    return redirect(url_for("ComplaintDossierPageView.show", pk=pk) + f"#{anchor}")


class ComplaintDossierPageView(BaseView):
    """The dossier page (clerks, leaders and monitors of the dossier's scope)."""

    route_base = "/complaints/dossiers"

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int) -> ResponseReturnValue:
        """R11: the dossier ``pk`` of the user's scope (404 outside it)."""
        return render_dossier_page(self, scoped_dossier(pk, g.user))


class ComplaintDossierActionView(BaseView):
    """The steps of a dossier and its attachments, for who resolves its complaints."""

    route_base = "/complaints/dossiers"
    method_permission_name = {"act": "act", "attach": "act"}

    @expose("/<int:pk>/steps/<string:action>", methods=["POST"])
    @has_access
    def act(self, pk: int, action: str) -> ResponseReturnValue:
        """Take one step (app.complaints.actions) on the version the user saw."""
        dossier = scoped_dossier(pk, g.user)
        form = request.form.to_dict()
        try:
            done = apply_action(db.session, dossier, g.user, action, request.form)
            db.session.commit()
        except ActionRefused as refused:
            db.session.rollback()
            dossier = scoped_dossier(pk, g.user)
            if refused.status == 409:
                form["version_id"] = str(dossier.version_id)
            general = refused.errors.get("")
            flash(general or gettext("Nothing was saved: correct the fields marked."), "danger")
            return render_dossier_page(
                self, dossier, action=action, form=form, errors=refused.errors
            )
        flash(done.message, "success")
        if done.warning:
            flash(done.warning, "warning")
        return _page(pk, "dossier-header")

    @expose("/<int:pk>/files", methods=["POST"])
    @has_access
    def attach(self, pk: int) -> ResponseReturnValue:
        """Attach documents (decisions, minutes, reports), all or none; their PDF
        signatures are read and shown (legal-domain.md §8)."""
        dossier = scoped_dossier(pk, g.user)
        stored = []
        try:
            uploads = [
                Incoming(upload.filename or "", read_limited(upload.stream, upload.filename or ""))
                for upload in request.files.getlist("files")
                if upload.filename
            ]
            stored = attach_files(db.session, dossier, uploads, g.user)
            db.session.commit()
        except (UploadRefused, NotAllowed) as refusal:
            db.session.rollback()
            flash(refusal.message, "danger")
        except Exception:
            db.session.rollback()
            discard(stored)
            raise
        else:
            flash(gettext("Files attached: %(count)s.", count=len(stored)), "success")
        return _page(pk, "dossier-documents")
