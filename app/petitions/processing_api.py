"""``/api/v1/petition_processing``: processing and forwarding for other systems (R7), with
the rules of the screens (app.petitions.processing, app.petitions.transfers).

- ``POST /<id>/process`` with a JSON object ``version_id``, ``eligible``, ``competent``
  (true/false), ``outcome``, ``reason_id``, ``note`` and, as the outcome needs them,
  ``target_agency_id``, ``target_name``, ``doc_number``;
- ``GET /<id>/targets?q=``: the agencies to forward it to whose name has every word
  typed (``purpose=guide``: any agency to guide the citizen to), names only — the
  processing screen's picker;
- ``GET /inbox``: the forwarded petitions waiting in the caller's agency (names only);
- ``POST /transfers/<id>/receive``: receive one of them.

Answers: 200 with the petition's id, register number and status; 422 with
``{"code", "message", "errors": {field: [text]}}`` (app.api.errors) when a value breaks
a rule; 403 when the caller may not
act for that agency; 404 outside the caller's data scope; 409 when the petition changed
since the version sent (or the transfer was already received). Nothing is saved on a
refusal.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect
from flask_babel import gettext
from sqlalchemy import select

from app.api.errors import ApiErrors, api_error
from app.core.clock import to_local
from app.extensions import db
from app.petitions.models import Petition, PetitionTransfer
from app.petitions.processing import ProcessingInput, process_petition
from app.petitions.refusals import NotPermitted, ProcessingRefused, StaleVersion
from app.petitions.transfers import forwarding_targets, inbox_query, receive_transfer
from app.security.scope import request_user, scope_condition

_TEXTS = ("outcome", "note", "target_name", "doc_number")
_NUMBERS = ("version_id", "reason_id", "target_agency_id")
_FLAGS = ("eligible", "competent")


def processing_input_from_json(data: Any) -> ProcessingInput:
    """A JSON object as ProcessingInput; raises ProcessingRefused naming a field of the
    wrong type (text, whole number, true/false)."""
    if not isinstance(data, dict):
        raise ProcessingRefused({"": gettext("The request body must be a JSON object.")})
    errors = {}
    for name in _TEXTS:
        if data.get(name) is not None and not isinstance(data[name], str):
            errors[name] = gettext("Must be text.")
    for name in _NUMBERS:
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            errors[name] = gettext("Must be a whole number.")
    for name in _FLAGS:
        if data.get(name) is not None and not isinstance(data[name], bool):
            errors[name] = gettext("Must be true or false.")
    if data.get("version_id") is None:
        errors["version_id"] = gettext("Send the version of the petition you processed.")
    if errors:
        raise ProcessingRefused(errors)
    return ProcessingInput(**{name: data.get(name) for name in (*_NUMBERS, *_FLAGS, *_TEXTS)})


def _petition_json(petition: Petition) -> dict[str, Any]:
    return {
        "id": petition.id,
        "register_code": petition.register_code,
        "status": petition.status,
        "version_id": petition.version_id,
        "due_date": petition.due_date.isoformat() if petition.due_date else None,
    }


class PetitionProcessingApi(ApiErrors, BaseApi):
    """Processing petitions and receiving forwarded ones over REST (R7)."""

    resource_name = "petition_processing"
    openapi_spec_tag = "Petition processing"
    method_permission_name = {
        "process": "process",
        "targets": "process",
        "inbox": "list",
        "receive": "receive",
    }

    def _refused(self, refused: ProcessingRefused):
        db.session.rollback()
        if isinstance(refused, NotPermitted):
            return api_error(403, refused.errors)
        if isinstance(refused, StaleVersion):
            return api_error(409, refused.errors)
        return api_error(422, refused.errors)

    @expose("/<int:pk>/process", methods=["POST"])
    @protect()
    def process(self, pk: int):
        """Process a petition of the caller's scope (TT 07/2014 Art. 6–9, 21–28)."""
        user = request_user()
        petition = db.session.scalar(
            select(Petition).where(Petition.id == pk, scope_condition(Petition, user))
        )
        if petition is None:
            return self.response_404()
        try:
            data = processing_input_from_json(request.get_json(silent=True))
            process_petition(db.session, petition, data, user)
            db.session.commit()
        except ProcessingRefused as refused:
            return self._refused(refused)
        return self.response(200, **_petition_json(petition))

    @expose("/<int:pk>/targets", methods=["GET"])
    @protect()
    def targets(self, pk: int):
        """Agencies to forward a petition of the caller's scope to (R2), or to guide the
        citizen to (``purpose=guide``), by words of their name (``q``)."""
        user = request_user()
        petition = db.session.scalar(
            select(Petition).where(Petition.id == pk, scope_condition(Petition, user))
        )
        if petition is None:
            return self.response_404()
        agencies = forwarding_targets(
            db.session,
            petition.agency_id,
            request.args.get("q", "")[:200],
            receiving_only=request.args.get("purpose") != "guide",
        )
        return self.response(
            200, result=[{"id": agency.id, "name": agency.name} for agency in agencies]
        )

    @expose("/inbox", methods=["GET"])
    @protect()
    def inbox(self):
        """Forwarded petitions waiting to be received by the caller's agency (R7)."""
        transfers = db.session.scalars(inbox_query(request_user()).limit(200))
        return self.response(
            200,
            result=[
                {
                    "id": transfer.id,
                    "from_agency": transfer.from_agency.name,
                    "to_agency": transfer.to_agency.name,
                    "sent_on": to_local(transfer.sent_at).date().isoformat(),
                    "doc_number": transfer.doc_number,
                    "kind": transfer.petition.kind,
                    "summary": transfer.petition.summary,
                }
                for transfer in transfers
            ],
        )

    @expose("/transfers/<int:transfer_id>/receive", methods=["POST"])
    @protect()
    def receive(self, transfer_id: int):
        """Receive a forwarded petition: it gets the agency's register number and deadline."""
        user = request_user()
        transfer = db.session.scalar(
            select(PetitionTransfer).where(
                PetitionTransfer.id == transfer_id, scope_condition(PetitionTransfer, user)
            )
        )
        if transfer is None:
            return self.response_404()
        try:
            petition = receive_transfer(db.session, transfer, user)
            db.session.commit()
        except ProcessingRefused as refused:
            return self._refused(refused)
        return self.response(200, **_petition_json(petition))
