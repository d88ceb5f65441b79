"""REST API of petitions, citizens and cases (R7): ``/api/v1/petitions/``, ``citizens``,
``cases``; and ``POST /api/v1/petitions/intake``, receiving a petition through the same
service and rules as the intake screen (issue 3).

Reads are under THE data scope (ScopedModelRestApi). Relations are exposed as
relationship paths (``agency.name``), never raw keys (the marshmallow 4 trap). A case's
title is not exposed: it repeats the first petition's summary, which an agency that only
joined a repeat to the case must not read (R11, as the lookup masks it).

Intake body: the field names of the intake form (``agency``, ``received_at`` as
``dd/mm/yyyy hh:mm`` or ISO 8601, ``channel``, ``kind``, ``subject_area``, ``summary`` …,
``decision`` = ``new_case`` | ``join_case`` | ``new_case_same_citizen`` with ``case`` and
``repeat_kind``) and ``signatories``, a list of objects (``full_name``, ``id_number``,
``birth_year``, ``sex``, ``phone``, ``commune``, ``address_detail``, ``ethnicity``,
``nationality``, ``is_representative``). Answers: 201 with the petition; 422
``{"code", "message", "errors": {field: [text]}}`` with a Vietnamese message per field
(a signatory's field is ``signatories-<index>-<field>``), nothing saved; a denunciation
is refused the same way on ``kind`` (R20); an agency outside the caller's scope on
``agency`` (R11).
"""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_appbuilder.api import expose, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.petitions.intake import receive_petition
from app.petitions.intake_data import DenunciationRefused, IntakeInvalid
from app.petitions.models import Case, Citizen, Petition
from app.petitions.validation import validate_intake
from app.security.views_base import ScopedModelRestApi

_PETITION_COLUMNS = [
    "id",
    "register_number",
    "register_year",
    "received_at",
    "agency.id",
    "agency.name",
    "channel",
    "kind",
    "multi_content",
    "subject_area.id",
    "subject_area.name",
    "summary",
    "anonymous",
    "signatory_count",
    "prior_resolution",
    "is_repeat",
    "repeat_kind",
    "status",
    "due_date",
    "case.id",
    "case.code",
    "version_id",
]
_COMMON_LABELS = {
    "id": _l("Internal number"),
    "agency.id": _l("Agency number"),
    "subject_area.id": _l("Subject area number"),
    "subject_area.name": _l("Subject area"),
    "kind": _l("Petition kind"),
    "status": _l("Status"),
}
_PETITION_LABELS = {
    **_COMMON_LABELS,
    "register_number": _l("Register number"),
    "register_year": _l("Register year"),
    "received_at": _l("Date received"),
    "agency.name": _l("Receiving agency"),
    "channel": _l("Channel"),
    "multi_content": _l("Several contents"),
    "summary": _l("Summary"),
    "content": _l("Full content"),
    "anonymous": _l("Anonymous"),
    "signatory_count": _l("Signatories"),
    "prior_resolution": _l("Resolved before?"),
    "is_repeat": _l("Repeat submission"),
    "repeat_kind": _l("Classification of the repeat submission"),
    "due_date": _l("Processing deadline"),
    "case.id": _l("Case number"),
    "case.code": _l("Case"),
    "version_id": _l("Version (send it back with a processing step)"),
    "contested_act": _l("Decision or act complained about"),
    "contested_author": _l("Issued or done by"),
    "source_name": _l("Other sender"),
    "source_doc_number": _l("Document number"),
    "source_doc_date": _l("Document date"),
    "source_agency.name": _l("Forwarded by"),
}
_CITIZEN_LABELS = {
    **_COMMON_LABELS,
    "full_name": _l("Full name"),
    "id_number": _l("ID number (CCCD/CMND)"),
    "birth_year": _l("Year of birth"),
    "sex": _l("Sex"),
    "phone": _l("Phone"),
    "address_detail": _l("House number, street, hamlet"),
    "commune.id": _l("Commune number"),
    "commune.name": _l("Commune / ward"),
    "agency.name": _l("Registered by"),
    "ethnicity": _l("Ethnicity"),
    "nationality": _l("Nationality"),
}
_CASE_LABELS = {
    **_COMMON_LABELS,
    "code": _l("Case"),
    "opened_at": _l("Opened on"),
    "agency.name": _l("Agency holding it"),
}


class _ReadOnlyApi(ScopedModelRestApi):
    """Reads only: ``_info`` offers no fields to write (writes go through services)."""

    base_permissions = ["can_get", "can_info"]

    add_title = edit_title = _l("Not available: read-only")

    def _init_properties(self) -> None:
        every = self.datamodel.get_columns_list()
        self.add_exclude_columns = every
        self.edit_exclude_columns = every
        super()._init_properties()


class PetitionApi(_ReadOnlyApi):
    """Petitions of the caller's scope; ``POST /intake`` receives a new one."""

    resource_name = "petitions"
    datamodel = SQLAInterface(Petition)
    base_permissions = ["can_get", "can_info", "can_intake"]
    list_columns = _PETITION_COLUMNS
    show_columns = [
        *_PETITION_COLUMNS,
        "content",
        "contested_act",
        "contested_author",
        "source_name",
        "source_doc_number",
        "source_doc_date",
        "source_agency.name",
    ]
    search_columns = ["kind", "status", "received_at", "summary"]
    order_columns = ["received_at", "register_number", "due_date"]
    base_order = ("received_at", "desc")
    label_columns = _PETITION_LABELS
    list_title = show_title = _l("Petitions")

    @expose("/intake", methods=["POST"])
    @protect()
    @safe
    @permission_name("intake")
    def intake(self):
        """Receive a petition (issue 3, R2, R6, R11, R12, R20)
        ---
        post:
          description: >-
            Receive a petition with the intake screen's rules; 422 with a Vietnamese
            message per field when refused (nothing saved).
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
          responses:
            201:
              description: The petition received
            401:
              $ref: '#/components/responses/401'
            422:
              $ref: '#/components/responses/422'
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self._invalid({"": gettext("Send the petition as a JSON object.")})
        rows = body.get("signatories") or []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            return self._invalid({"signatories": gettext("Signatories must be a list of objects.")})
        data, errors = validate_intake(db.session, body, rows, g.user)
        if errors:
            return self._invalid(errors)
        try:
            petition = receive_petition(db.session, data, g.user)
            db.session.commit()
        except IntakeInvalid as invalid:
            return self._invalid(invalid.errors)
        except DenunciationRefused as refused:
            return self._invalid({"kind": refused.message})
        return self.response(201, id=petition.id, result=petition_json(petition))

    def _invalid(self, errors: dict[str, str]):
        db.session.rollback()
        return self.response_422(message=errors)


def petition_json(petition: Petition) -> dict[str, Any]:
    """A received petition as the intake API answers it."""
    return {
        "id": petition.id,
        "version_id": petition.version_id,
        "register_code": petition.register_code,
        "received_at": petition.received_at.isoformat(),
        "agency": {"id": petition.agency.id, "name": petition.agency.name},
        "kind": petition.kind,
        "status": petition.status,
        "is_repeat": petition.is_repeat,
        "repeat_kind": petition.repeat_kind,
        "due_date": petition.due_date.isoformat() if petition.due_date else None,
        "case": {"id": petition.case.id, "code": petition.case.code},
        "signatory_count": petition.signatory_count,
        "signatories": [
            {
                "citizen_id": signatory.citizen.id,
                "full_name": signatory.citizen.full_name,
                "is_representative": signatory.is_representative,
            }
            for signatory in petition.signatories
        ],
    }


class CitizenApi(_ReadOnlyApi):
    """Citizens of the caller's scope (registered by, or signing a petition of, it)."""

    resource_name = "citizens"
    datamodel = SQLAInterface(Citizen)
    list_columns = [
        "id",
        "full_name",
        "id_number",
        "birth_year",
        "sex",
        "phone",
        "address_detail",
        "commune.id",
        "commune.name",
        "agency.id",
        "agency.name",
    ]
    show_columns = [*list_columns, "ethnicity", "nationality"]
    search_columns = ["full_name", "id_number", "phone"]
    order_columns = ["full_name", "birth_year"]
    label_columns = _CITIZEN_LABELS
    list_title = show_title = _l("Citizens")


class CaseApi(_ReadOnlyApi):
    """Cases of the caller's scope (held by it, or holding one of its petitions)."""

    resource_name = "cases"
    datamodel = SQLAInterface(Case)
    list_columns = [
        "id",
        "code",
        "kind",
        "status",
        "opened_at",
        "agency.id",
        "agency.name",
        "subject_area.id",
        "subject_area.name",
    ]
    show_columns = list_columns
    search_columns = ["code", "kind", "status"]
    order_columns = ["code", "opened_at"]
    base_order = ("opened_at", "desc")
    label_columns = _CASE_LABELS
    list_title = show_title = _l("Cases")
