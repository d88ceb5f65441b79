"""``/api/v1/reception_visits``: the citizen reception book for other systems (Luật TCD
Art. 25; R7, R11), with the rules of the reception screens (app.petitions.reception).

- ``GET /``: the visits of the caller's scope in the book's order; ``date_from``,
  ``date_to`` (``dd/mm/yyyy`` or ``yyyy-mm-dd``), ``agency_id``, ``reception_type``,
  ``page`` (from 1), ``page_size`` (at most 100);
- ``GET /<id>``: one visit of the caller's scope;
- ``POST /``: record a visit, a JSON object with the form's fields (``agency``,
  ``received_at`` as ``dd/mm/yyyy hh:mm``, ``official_name``, ``reception_type``,
  ``leader_in_person``, ``delegated``, ``channel``, ``people_count``, ``is_delegation``,
  ``matter_summary``, ``outcome``, ``outcome_note``, ``case``) and ``visitors``, a list
  of objects with the citizen fields of the intake API (``citizen`` for a known one).
  The body is read by the form's own parser and checked by the same service.

Permissions are the reception book's (``ReceptionVisitView``): whoever may read or record
on the screen may do it here, and no one else. Answers: 201 with the visit; 422 with a
Vietnamese message per field (a visitor's field is ``signatories-<index>-<field>``, as on
the form), nothing saved; 404 outside the caller's scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect
from flask_babel import gettext

from app.api.errors import ApiErrors, api_error
from app.core.clock import to_local
from app.extensions import db
from app.petitions.models import ReceptionVisit
from app.petitions.reception import VisitInvalid, record_visit
from app.petitions.reception_book import BookFilter, book_query, book_visits, count_visits
from app.petitions.reception_form import parse_visit_form
from app.security.scope import request_user

MAX_PAGE_SIZE = 100
_VISITOR_FIELDS = (
    "citizen",
    "full_name",
    "id_number",
    "birth_year",
    "sex",
    "phone",
    "commune",
    "address_detail",
    "ethnicity",
    "nationality",
    "is_representative",
)


def visit_json(visit: ReceptionVisit) -> dict[str, Any]:
    """A visit of the book as the API answers it."""
    return {
        "id": visit.id,
        "version_id": visit.version_id,
        "received_at": to_local(visit.received_at).isoformat(),
        "agency": {"id": visit.agency_id, "name": visit.agency.name},
        "official_name": visit.official_name,
        "reception_type": visit.reception_type,
        "leader_in_person": visit.leader_in_person,
        "delegated": visit.delegated,
        "channel": visit.channel,
        "people_count": visit.people_count,
        "is_delegation": visit.is_delegation,
        "first_time": visit.first_time,
        "matter_summary": visit.matter_summary,
        "outcome": visit.outcome,
        "outcome_note": visit.outcome_note,
        "case": {"id": visit.case.id, "code": visit.case.code} if visit.case else None,
        "citizens": [{"id": c.id, "full_name": c.full_name} for c in visit.citizens],
    }


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "y" if value else ""
    return "" if value is None else str(value)


def visit_form_from_json(body: Any) -> dict[str, str]:
    """A JSON visit as the fields of the reception form; raises VisitInvalid when the body
    is not an object or ``visitors`` is not a list of objects."""
    if not isinstance(body, dict):
        raise VisitInvalid({"_": gettext("The request body must be a JSON object.")})
    visitors = body.get("visitors") or []
    if not isinstance(visitors, list) or not all(isinstance(row, dict) for row in visitors):
        raise VisitInvalid({"visitors": gettext("Signatories must be a list of objects.")})
    form = {
        key: _form_value(value)
        for key, value in body.items()
        if key != "visitors" and not isinstance(value, dict | list)
    }
    for index, row in enumerate(visitors):
        for key in _VISITOR_FIELDS:
            if key in row and not isinstance(row[key], dict | list):
                form[f"signatories-{index}-{key}"] = _form_value(row[key])
    return form


def _day(text: str | None) -> dt.date | None:
    value = (text or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def book_filter_from_args(args: Any) -> tuple[BookFilter, dict[str, str]]:
    """The book's filter from query arguments, with a Vietnamese message per bad one."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in ("date_from", "date_to"):
        if args.get(name):
            try:
                values[name] = _day(args.get(name))
            except ValueError:
                errors[name] = gettext("Invalid date, enter it as dd/mm/yyyy")
    agency = (args.get("agency_id") or "").strip()
    if agency:
        if agency.isdigit() and len(agency) < 10:
            values["agency_id"] = int(agency)
        else:
            errors["agency_id"] = gettext("Must be a whole number.")
    values["reception_type"] = args.get("reception_type") or None
    return BookFilter(**values), errors


def _positive(value: str | None, default: int) -> int:
    text = (value or "").strip()
    return int(text) if text.isdigit() and 0 < len(text) < 7 and int(text) > 0 else default


class ReceptionVisitApi(ApiErrors, BaseApi):
    """The reception book over REST, with the screens' parser, rules and permissions."""

    resource_name = "reception_visits"
    openapi_spec_tag = "Citizen reception"
    class_permission_name = "ReceptionVisitView"
    method_permission_name = {"list_visits": "book", "get_visit": "show", "record": "record"}
    base_permissions = ["can_book", "can_show", "can_record"]

    @expose("/", methods=["GET"])
    @protect()
    def list_visits(self):
        """The visits of the caller's scope, one page of the book.
        ---
        get:
          description: The reception book of the caller's scope, filtered, one page.
          parameters:
          - {in: query, name: date_from, schema: {type: string}}
          - {in: query, name: date_to, schema: {type: string}}
          - {in: query, name: agency_id, schema: {type: integer}}
          - {in: query, name: page, schema: {type: integer, minimum: 1}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            200:
              description: One page of visits
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      count: {type: integer}
                      page: {type: integer}
                      page_size: {type: integer}
                      result: {type: array, items: {type: object}}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            422:
              $ref: '#/components/responses/422'
        """
        wanted, errors = book_filter_from_args(request.args)
        if errors:
            return api_error(422, errors)
        user = request_user()
        page = _positive(request.args.get("page"), 1)
        size = min(_positive(request.args.get("page_size"), 20), MAX_PAGE_SIZE)
        visits = book_visits(db.session, user, wanted, offset=(page - 1) * size, limit=size)
        return self.response(
            200,
            count=count_visits(db.session, user, wanted),
            page=page,
            page_size=size,
            result=[visit_json(visit) for visit in visits],
        )

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    def get_visit(self, pk: int):
        """One visit of the caller's scope.
        ---
        get:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: The visit
              content:
                application/json:
                  schema: {type: object, properties: {result: {type: object}}}
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
        """
        visit = db.session.scalar(
            book_query(request_user(), BookFilter()).where(ReceptionVisit.id == pk)
        )
        if visit is None:
            return self.response_404()
        return self.response(200, result=visit_json(visit))

    @expose("/", methods=["POST"])
    @protect()
    def record(self):
        """Record a visit in the reception book (Luật TCD Art. 25).
        ---
        post:
          description: The reception form's fields as JSON; 422 with a message per field.
          requestBody:
            required: true
            content:
              application/json:
                schema: {type: object}
          responses:
            201:
              description: The visit recorded
              content:
                application/json:
                  schema:
                    type: object
                    properties: {id: {type: integer}, result: {type: object}}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            422:
              $ref: '#/components/responses/422'
        """
        user = request_user()
        try:
            form = visit_form_from_json(request.get_json(silent=True))
            data, errors = parse_visit_form(db.session, form, user)
            if errors:
                raise VisitInvalid(errors)
            own_name = " ".join(part for part in (user.first_name, user.last_name) if part)
            data.official_id = user.id if data.official_name == own_name else None
            visit = record_visit(db.session, data, user)
            db.session.commit()
        except VisitInvalid as invalid:
            db.session.rollback()
            return api_error(422, invalid.errors)
        return self.response(201, id=visit.id, result=visit_json(visit))
