"""Assignment-document screens (R13, R14, R20): the entry form, the document's page and
its correction. Thin: the rules are app.tasks.workflow's, read through app.tasks.forms
and taken by app.tasks.actions; a refusal comes back next to its field with everything
typed kept, and nothing is saved.
"""

from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.audit.history import history_for
from app.calendar.store import load_calendar
from app.core.clock import today_local
from app.extensions import db
from app.files.signatures import UNSIGNED
from app.files.storage import UploadRefused
from app.petitions.models import Petition
from app.security.scope import scope_condition
from app.tasks import actions
from app.tasks.choices import COMPLETION, DOC_TYPES, ROLES, SECRECY_GRADES, STATUSES
from app.tasks.display import COMPLETION_CSS, ENTRY_CSS, STATUS_CSS, entry_result, user_names
from app.tasks.documents import (
    RELATED_DOCUMENT,
    SIGNED_DOCUMENT,
    files_of_owners,
    signature_badge,
)
from app.tasks.forms import form_receiver_rows, parse_correction, parse_document, version_of
from app.tasks.models import AssignmentDocument, Task
from app.tasks.pickers import (
    operated_agencies,
    people_names,
    petition_choice,
    search_petitions,
    search_receivers,
)
from app.tasks.view_helpers import files_note, status_for, uploads
from app.tasks.workflow import TaskRefused, may_correct


def scoped_document(pk: int) -> AssignmentDocument:
    """R11: the document ``pk`` when the user's scope reaches it (either side), else 404."""
    document = db.session.scalar(
        select(AssignmentDocument).where(
            AssignmentDocument.id == pk, scope_condition(AssignmentDocument, g.user)
        )
    )
    if document is None:
        abort(404)
    return document


class AssignmentDocumentView(BaseView):
    """R13: entering, reading and correcting assignment documents."""

    route_base = "/tasks/documents"
    default_view = "new"
    method_permission_name = {
        "new": "assign",
        "save": "assign",
        "edit": "assign",
        "update": "assign",
        "receivers": "assign",
        "petitions": "assign",
        "show": "show",
    }

    def _form(
        self, values: MultiDict, errors: dict[str, str], status: int = 200
    ) -> ResponseReturnValue:
        agencies = operated_agencies(db.session, g.user)
        rows = form_receiver_rows(values) or [{"row": 0, "role": "lead"}]
        petition_id = values.get("petition_id", type=int)
        chosen = petition_choice(db.session, petition_id, g.user)
        page = self.render_template(
            "tasks/document_form.html",
            title=gettext("Enter an assignment document"),
            values=values,
            errors=errors,
            agencies=agencies,
            rows=rows,
            next_row=max(int(row["row"]) for row in rows) + 1,
            doc_types=DOC_TYPES,
            grades=SECRECY_GRADES,
            roles=ROLES,
            names=people_names(db.session, agencies),
            petition_label=values.get("petition_label") or (chosen.label if chosen else ""),
        )
        return page, status

    @expose("/new", methods=["GET"])
    @has_access
    def new(self) -> ResponseReturnValue:
        """R13: the entry form; the assigning agency chosen when the officer operates one."""
        agencies = operated_agencies(db.session, g.user)
        values = MultiDict({"doc_type": "cong_van"})
        if len(agencies) == 1:
            values["assigning_agency_id"] = str(agencies[0].id)
        if request.args.get("petition", "").isdigit():
            values["petition_id"] = request.args["petition"]
        return self._form(values, {})

    @expose("/new", methods=["POST"])
    @has_access
    def save(self) -> ResponseReturnValue:
        """R13, R14, R20: save the document, its tasks and files, or show the form again
        with a message next to each field (nothing saved)."""
        form = request.form
        data, errors = parse_document(form, form_receiver_rows(form))
        signed, related = None, []
        try:
            signed = next(iter(uploads("signed_file")), None)
        except UploadRefused as refused:
            errors["signed_file"] = refused.message
        try:
            related = uploads("related_files")
        except UploadRefused as refused:
            errors["related_files"] = refused.message
        if errors:
            flash(gettext("Nothing was saved: correct the fields marked."), "danger")
            return self._form(form, files_note(errors, "signed_file"))
        try:
            with actions.saving(db.session) as written:
                document = actions.enter_document(
                    db.session, data, signed, related, g.user, written
                )
                message = _entered_message(document)
                unsigned = any(
                    f.purpose == SIGNED_DOCUMENT
                    and (f.signature_info or {}).get("status") == UNSIGNED
                    for f in written
                )
        except TaskRefused as refused:
            flash(refused.message, "danger")
            errors = {refused.field or "": refused.message}
            return self._form(form, files_note(errors, "signed_file"), status_for(refused))
        flash(message, "success")
        if unsigned:
            flash(
                gettext(
                    "The signed document carries no digital signature: it was saved and is "
                    "flagged on its page."
                ),
                "warning",
            )
        return redirect(url_for(".show", pk=document.id))

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int) -> ResponseReturnValue:
        """R13, R14: the document, its files and signatures, entry timeliness with its
        explanation, and the task of each receiving agency (404 outside the scope)."""
        document = scoped_document(pk)
        calendar = load_calendar(db.session)
        files = files_of_owners(db.session, [document]).get(
            (AssignmentDocument.__tablename__, document.id), []
        )
        petition = None
        if document.petition_id is not None:
            petition = db.session.scalar(
                select(Petition).where(
                    Petition.id == document.petition_id, scope_condition(Petition, g.user)
                )
            )
        return self.render_template(
            "tasks/document.html",
            document=document,
            tasks=_visible_tasks(document),
            all_tasks=len(document.tasks),
            signed=[f for f in files if f.purpose == SIGNED_DOCUMENT],
            related=[f for f in files if f.purpose == RELATED_DOCUMENT],
            signature_badge=signature_badge,
            entry=entry_result(calendar, document),
            entry_css=ENTRY_CSS,
            doc_types=DOC_TYPES,
            grades=SECRECY_GRADES,
            roles=ROLES,
            statuses=STATUSES,
            status_css=STATUS_CSS,
            completion=COMPLETION,
            completion_css=COMPLETION_CSS,
            petition=petition,
            linked_elsewhere=document.petition_id is not None and petition is None,
            entered_by=user_names(db.session, [document.created_by_id]).get(document.created_by_id),
            may_correct=may_correct(document, g.user),
            history=history_for(document),
        )

    def _edit_form(
        self, document: AssignmentDocument, values: MultiDict, errors: dict, status: int = 200
    ) -> ResponseReturnValue:
        chosen = petition_choice(db.session, values.get("petition_id", type=int), g.user)
        page = self.render_template(
            "tasks/document_edit.html",
            document=document,
            values=values,
            errors=errors,
            doc_types=DOC_TYPES,
            names=people_names(db.session, [document.assigning_agency]),
            petition_label=values.get("petition_label") or (chosen.label if chosen else ""),
        )
        return page, status

    @expose("/<int:pk>/edit", methods=["GET"])
    @has_access
    def edit(self, pk: int) -> ResponseReturnValue:
        """R13, R25: the correction form of a document the user's office entered."""
        document = scoped_document(pk)
        if not may_correct(document, g.user):
            abort(403)
        values = MultiDict(
            {
                "version_id": str(document.version_id),
                "doc_type": document.doc_type,
                "number": document.number,
                "symbol": document.symbol,
                "summary": document.summary,
                "director_name": document.director_name,
                "signer_name": document.signer_name,
                "drafter_name": document.drafter_name,
                "other_info": document.other_info or "",
                "petition_id": str(document.petition_id or ""),
            }
        )
        return self._edit_form(document, values, {})

    @expose("/<int:pk>/edit", methods=["POST"])
    @has_access
    def update(self, pk: int) -> ResponseReturnValue:
        """Save the correction; a stale version gets the conflict message (409)."""
        document = scoped_document(pk)
        form = request.form
        correction, errors = parse_correction(form)
        try:
            related = uploads("related_files")
        except UploadRefused as refused:
            errors["related_files"] = refused.message
        if errors:
            flash(gettext("Nothing was saved: correct the fields marked."), "danger")
            return self._edit_form(document, form, errors)
        try:
            with actions.saving(db.session, document, version_of(form)) as written:
                actions.correct_document(
                    db.session, document, version_of(form), correction, related, g.user, written
                )
        except TaskRefused as refused:
            flash(refused.message, "danger")
            document = scoped_document(pk)
            return self._edit_form(
                document, form, {refused.field or "": refused.message}, status_for(refused)
            )
        flash(gettext("The document was corrected."), "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/receivers")
    @has_access
    def receivers(self) -> ResponseReturnValue:
        """R3: subordinates of the chosen assigning agency matching what is typed."""
        assigning_id = request.args.get("assigning", type=int)
        operated = {agency.id: agency for agency in operated_agencies(db.session, g.user)}
        assigning = operated.get(assigning_id)
        if assigning is None:
            return jsonify([])
        found = search_receivers(db.session, assigning, request.args.get("q", ""), today_local())
        return jsonify([{"id": c.id, "label": c.label, "hint": c.hint} for c in found])

    @expose("/petitions")
    @has_access
    def petitions(self) -> ResponseReturnValue:
        """Petitions of the user's scope matching what is typed (register number or words
        of the summary), to link the document to."""
        found = search_petitions(db.session, request.args.get("q", ""), g.user)
        return jsonify([{"id": c.id, "label": c.label, "hint": c.hint} for c in found])


def _entered_message(document: AssignmentDocument) -> str:
    entry = {
        "on_time": gettext("entered on time"),
        "late": gettext("entered late"),
    }.get(document.entry_timeliness, document.entry_timeliness)
    return gettext(
        "Document %(reference)s was saved: %(count)s tasks assigned, %(entry)s (Art. 5(2)(b)).",
        reference=document.reference,
        count=len(document.tasks),
        entry=entry,
    )


def _visible_tasks(document: AssignmentDocument) -> list[Task]:
    """The document's tasks the user's scope reaches (a receiving agency sees its own)."""
    return list(
        db.session.scalars(
            select(Task)
            .where(Task.document_id == document.id, scope_condition(Task, g.user))
            .order_by(Task.id)
        )
    )
