"""``/api/v1/petitions/lookup``: the duplicate lookup for other systems and the intake
page (R6, R7, R12), with a JWT or the browser session.

GET takes the fields as query arguments, POST as a JSON object (POST keeps ID numbers
and phones out of web-server logs): ``full_name``, ``id_number``, ``phone``, ``address``,
``commune_unit_id``, ``matter``, and optionally ``limit`` (1–50) and ``threshold``
(0–100). The answer lists the matches of app.petitions.lookup, masked the same way:
outside the caller's data scope ``citizen_name`` and ``summary`` are null.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.api.errors import ApiErrors
from app.extensions import db
from app.petitions.choices import KINDS, STATUSES
from app.petitions.lookup import REASON_LABELS, LookupMatch, LookupQuery, lookup
from app.security.scope import request_user

_TEXT_FIELDS = {
    "full_name": 150,
    "id_number": 20,
    "phone": 20,
    "address": 500,
    "matter": 2000,
}
FIELD_LABELS = {
    "full_name": _l("Citizen's full name"),
    "id_number": _l("ID number (CCCD/CMND)"),
    "phone": _l("Phone number"),
    "address": _l("Citizen's address"),
    "matter": _l("Matter (a few words)"),
    "commune_unit_id": _l("Commune"),
    "limit": _l("Number of matches"),
    "threshold": _l("Score threshold"),
}
MAX_LIMIT = 50


class LookupInputError(ValueError):
    """A lookup request field is invalid; the message (Vietnamese) names the field."""


def parse_lookup_request(data: dict[str, Any]) -> tuple[LookupQuery, int, float | None]:
    """The query, the limit and the threshold of a request; raises LookupInputError."""
    values: dict[str, Any] = {}
    for field, max_length in _TEXT_FIELDS.items():
        value = data.get(field) or ""
        if not isinstance(value, str):
            raise LookupInputError(gettext("“%(field)s” must be text.", field=FIELD_LABELS[field]))
        if len(value) > max_length:
            raise LookupInputError(
                gettext(
                    "“%(field)s” is longer than %(n)d characters.",
                    field=FIELD_LABELS[field],
                    n=max_length,
                )
            )
        values[field] = value
    values["commune_unit_id"] = _number(data, "commune_unit_id", int, 1, None)
    limit = _number(data, "limit", int, 1, MAX_LIMIT)
    threshold = _number(data, "threshold", float, 0, 100)
    return LookupQuery(**values), (10 if limit is None else limit), threshold


def _number(data: dict[str, Any], field: str, kind: type, low: float, high: float | None):
    raw = data.get(field)
    if raw in (None, ""):
        return None
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        raise LookupInputError(
            gettext("“%(field)s” must be a number.", field=FIELD_LABELS[field])
        ) from None
    if value < low or (high is not None and value > high):
        raise LookupInputError(gettext("“%(field)s” is out of range.", field=FIELD_LABELS[field]))
    return value


def match_json(match: LookupMatch) -> dict[str, Any]:
    """One match as JSON, with the Vietnamese labels of its reasons, kind and status."""
    return {
        "petition_id": match.petition_id,
        "case_id": match.case_id,
        "case_code": match.case_code,
        "score": match.score,
        "reasons": [{"code": code, "label": str(REASON_LABELS[code])} for code in match.reasons],
        "agency": {"id": match.agency_id, "name": match.agency_name},
        "received_at": match.received_at.isoformat(),
        "kind": match.kind,
        "kind_label": str(KINDS.get(match.kind, match.kind)),
        "status": match.status,
        "status_label": str(STATUSES.get(match.status, match.status)),
        "in_scope": match.in_scope,
        "citizen_name": match.citizen_name,
        "summary": match.summary,
    }


class PetitionLookupApi(ApiErrors, BaseApi):
    """R6, R12: the cross-agency duplicate lookup over REST."""

    resource_name = "petitions"
    allow_browser_login = True
    openapi_spec_tag = "Petitions"

    @expose("/lookup", methods=["GET", "POST"])
    @protect()
    def lookup(self):
        """Petitions of every agency that may be the one described, best first.
        ---
        get:
          description: Duplicate lookup (query arguments).
          responses:
            200:
              description: Matches, masked outside the caller's scope
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
        post:
          description: Duplicate lookup (JSON body).
          responses:
            200:
              description: Matches, masked outside the caller's scope
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
        """
        data = request.args.to_dict() if request.method == "GET" else request.get_json(silent=True)
        if not isinstance(data, dict):
            return self.response_400(message=gettext("The request body must be a JSON object."))
        try:
            query, limit, threshold = parse_lookup_request(data)
        except LookupInputError as error:
            return self.response_400(message=str(error))
        matches = lookup(db.session, query, request_user(), limit=limit, threshold=threshold)
        return self.response(200, count=len(matches), result=[match_json(m) for m in matches])
