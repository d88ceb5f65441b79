"""``/api/v1/complaint_dossier``: complaint dossiers for other systems (R8), with the rules
of the screens (app.complaints.actions → app.complaints.services).

- ``GET /``: the dossiers of the caller's scope, with the list's filters as query
  arguments (``q``, ``agency_id``, ``instance``, ``status``, ``state``, ``result``,
  ``in_time``) and ``page`` (from 1), ``page_size`` (at most 100);
- ``GET /<id>``: one dossier with its clocks (due date, state, explanation), steps,
  deadline changes, decision and enforcement;
- ``POST /<id>/<step>``: take a step (``accept``, ``refuse``, ``step``, ``flags``,
  ``suspend``, ``resume``, ``withdraw``, ``decide``, ``delivery``, ``enforce``) with a
  JSON object of the form's fields (app.complaints.actions), ``version_id`` included.

Answers: 200 with the dossier; 422 with ``{"code", "message", "errors": {field: [text]}}``
(Vietnamese, app.api.errors) when a value breaks a rule; 403 when the caller may not act
on it; 404 outside the caller's data scope or for an unknown step; 409 when the dossier
changed since the version sent. Nothing is saved on a refusal.
"""

from __future__ import annotations

from flask import request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect
from flask_babel import gettext
from sqlalchemy import select

from app.api.errors import ApiErrors, api_error
from app.calendar.store import load_calendar
from app.complaints.actions import ActionRefused, apply_action
from app.complaints.listing import count_dossiers, dossier_query, page_of, parse_filters
from app.complaints.models import ComplaintDossier
from app.complaints.serialize import detail_json, summary_json
from app.core.clock import today_local
from app.extensions import db
from app.security.scope import request_user, scope_condition

MAX_PAGE_SIZE = 100


def _positive(value: str | None, default: int) -> int:
    text = (value or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else default


class ComplaintDossierApi(ApiErrors, BaseApi):
    """Complaint dossiers of the caller's scope, and their steps, over REST."""

    resource_name = "complaint_dossier"
    openapi_spec_tag = "Complaint dossiers"
    method_permission_name = {"list_dossiers": "get", "get_dossier": "get", "act": "act"}

    def _dossier(self, pk: int) -> ComplaintDossier | None:
        return db.session.scalar(
            select(ComplaintDossier).where(
                ComplaintDossier.id == pk, scope_condition(ComplaintDossier, request_user())
            )
        )

    def _detail(self, dossier: ComplaintDossier):
        calendar = load_calendar(db.session)
        return self.response(200, **detail_json(db.session, dossier, today_local(), calendar))

    @expose("/", methods=["GET"])
    @protect()
    def list_dossiers(self):
        """The dossiers of the caller's scope, filtered, urgent first, one page."""
        today = today_local()
        calendar = load_calendar(db.session)
        query = dossier_query(
            parse_filters(request.args), request_user(), today=today, calendar=calendar
        )
        page = _positive(request.args.get("page"), 1)
        size = min(_positive(request.args.get("page_size"), 20), MAX_PAGE_SIZE)
        return self.response(
            200,
            count=count_dossiers(db.session, query),
            page=page,
            page_size=size,
            result=[
                summary_json(dossier, today, calendar)
                for dossier in page_of(db.session, query, page, size)
            ],
        )

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    def get_dossier(self, pk: int):
        """One dossier of the caller's scope."""
        dossier = self._dossier(pk)
        if dossier is None:
            return self.response_404()
        return self._detail(dossier)

    @expose("/<int:pk>/<string:action>", methods=["POST"])
    @protect()
    def act(self, pk: int, action: str):
        """Take a step on a dossier of the caller's scope (module docstring)."""
        dossier = self._dossier(pk)
        if dossier is None:
            return self.response_404()
        data = request.get_json(silent=True)
        try:
            if not isinstance(data, dict):
                message = gettext("The request body must be a JSON object.")
                raise ActionRefused({"": message})
            apply_action(db.session, dossier, request_user(), action, data)
            db.session.commit()
        except ActionRefused as refused:
            db.session.rollback()
            return api_error(refused.status, refused.errors)
        return self._detail(self._dossier(pk))
