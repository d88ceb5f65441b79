"""``/api/v1/report_summaries``: the stored summaries for other systems (R7, R24), within
the caller's data scope and with the summaries page's permission (``SummaryView``).

- ``GET /``: the newest version of each summary of the caller's scope, latest period
  first; ``page`` (from 1), ``page_size`` (at most 100);
- ``GET /<id>``: one summary (any version) of the caller's scope with its forms (each
  workbook is downloaded from the summaries page, ``download_url``) and the cells that
  differ from the frozen version it was compared with.
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.agencies.models import Agency
from app.api.errors import ApiErrors
from app.core.clock import to_local
from app.extensions import db
from app.reports.models import SUMMARY_KINDS, SUMMARY_STATUSES, Summary
from app.reports.summaries import latest_versions
from app.security.scope import request_user, scope_condition

MAX_PAGE_SIZE = 100


def _positive(value: str | None, default: int) -> int:
    text = (value or "").strip()
    return int(text) if text.isdigit() and 0 < len(text) < 7 and int(text) > 0 else default


def summary_json(summary: Summary, *, with_files: bool = False) -> dict[str, Any]:
    """A summary as the API answers it, with the Vietnamese labels of its kind and status."""
    result: dict[str, Any] = {
        "id": summary.id,
        "kind": summary.kind,
        "kind_label": str(SUMMARY_KINDS.get(summary.kind, summary.kind)),
        "series": summary.series,
        "version": summary.version,
        "period_start": summary.period_start.isoformat(),
        "period_end": summary.period_end.isoformat(),
        "status": summary.status,
        "status_label": str(SUMMARY_STATUSES.get(summary.status, summary.status)),
        "agency": {"id": summary.agency_id, "name": summary.agency.name},
        "compiled_at": to_local(summary.compiled_at).isoformat() if summary.compiled_at else None,
        "frozen_at": to_local(summary.frozen_at).isoformat() if summary.frozen_at else None,
    }
    if with_files:
        result["forms"] = [
            {
                "form_code": item.form_code,
                "form_title": item.form_title,
                "download_url": url_for("SummaryView.download", pk=summary.id, file_id=item.id),
            }
            for item in summary.files
        ]
        result["differences"] = summary.differences
    return result


class SummaryApi(ApiErrors, BaseApi):
    """R24: stored summaries of the caller's scope, read-only."""

    resource_name = "report_summaries"
    openapi_spec_tag = "Reports"
    class_permission_name = "SummaryView"
    method_permission_name = {"list_summaries": "list", "get_summary": "list"}
    base_permissions = ["can_list"]

    @expose("/", methods=["GET"])
    @protect()
    def list_summaries(self):
        """The newest version of each summary of the caller's scope.
        ---
        get:
          parameters:
          - {in: query, name: page, schema: {type: integer, minimum: 1}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            200:
              description: One page of summaries
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
        """
        page = _positive(request.args.get("page"), 1)
        size = min(_positive(request.args.get("page_size"), 20), MAX_PAGE_SIZE)
        wanted = (
            select(Summary)
            .join(Agency, Agency.id == Summary.agency_id)
            .where(scope_condition(Summary, request_user()), Summary.id.in_(latest_versions()))
        )
        count = db.session.scalar(select(func.count()).select_from(wanted.subquery())) or 0
        summaries = db.session.scalars(
            wanted.options(selectinload(Summary.agency))
            .order_by(Summary.period_end.desc(), Summary.kind.desc(), Agency.path, Summary.id)
            .offset((page - 1) * size)
            .limit(size)
        )
        return self.response(
            200,
            count=count,
            page=page,
            page_size=size,
            result=[summary_json(summary) for summary in summaries],
        )

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    def get_summary(self, pk: int):
        """One summary of the caller's scope with its forms.
        ---
        get:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: The summary
              content:
                application/json:
                  schema: {type: object, properties: {result: {type: object}}}
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
        """
        summary = db.session.scalar(
            select(Summary).where(Summary.id == pk, scope_condition(Summary, request_user()))
        )
        if summary is None:
            return self.response_404()
        return self.response(200, result=summary_json(summary, with_files=True))
