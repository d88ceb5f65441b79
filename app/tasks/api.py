"""REST API of the task loop (R7, R13–R20), with the screens' services and rules.

``/api/v1/task_documents/``
  ``POST /`` enters an assignment document: a JSON object with the entry form's fields
  (``assigning_agency_id``, ``doc_type``, ``number``, ``symbol``, ``summary``,
  ``issued_at`` "dd/mm/yyyy hh:mm" or ISO 8601, ``director_name``, ``signer_name``,
  ``drafter_name``, ``secrecy_grade``, ``default_deadline``, ``other_info``,
  ``petition_id``), ``receivers`` (a list of ``{"agency_id", "deadline", "role"}``),
  ``signed_document`` (``{"filename", "content"}``, content in base64; required, PDF)
  and ``related_documents`` (a list of such objects). 201 with the document; 422
  ``{"code", "message", "errors": {field: [text]}}`` (app.api.errors), nothing saved.
  ``GET /<id>``: a document of the caller's scope with its tasks in that scope.

``/api/v1/tasks/``
  ``GET /`` the tasks of the caller's scope (``?side=assigned|agency|overdue|review``,
  ``status``, ``page``); ``GET /<id>`` one task with its reports and extensions;
  ``POST /<id>/acknowledge|report|accept|return|extend|recall`` with ``version_id``
  (the task's, optimistic locking) and the step's fields: ``report`` takes the report
  form's fields with ``report_file`` (required) and ``other_files``; ``return`` and
  ``recall`` a ``reason``; ``extend`` ``new_deadline`` and ``reason``. 200 with the task;
  403 when the caller may not take the step, 404 outside the caller's scope, 409 when the
  task changed since ``version_id``, 422 when a value or the state refuses it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from flask import g, request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect
from flask_babel import gettext
from sqlalchemy import select

from app.api.errors import ApiErrors, api_error
from app.core.clock import today_local
from app.extensions import db
from app.files.storage import Incoming
from app.security.scope import scope_condition
from app.tasks import actions
from app.tasks.forms import parse_deadline, parse_document, parse_report, version_of
from app.tasks.listing import SIDES, TaskFilters, is_overdue, page_of, task_query
from app.tasks.models import AssignmentDocument, Task, TaskReport
from app.tasks.workflow import TaskConflict, TaskNotPermitted, TaskRefused

PAGE_SIZE = 100


class BadBody(ValueError):
    """A request body that cannot be read; ``errors`` by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadBody({"_": gettext("The request body must be a JSON object.")})
    return body


def _file(value: Any, field: str) -> Incoming | None:
    """``{"filename", "content"}`` (base64) as an upload."""
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("filename"), str):
        raise BadBody({field: gettext('Send a file as {"filename", "content"} (base64).')})
    try:
        data = base64.b64decode(value.get("content") or "", validate=True)
    except (binascii.Error, TypeError, ValueError) as error:
        raise BadBody({field: gettext("The file content is not valid base64.")}) from error
    return Incoming(value["filename"], data)


def _files(value: Any, field: str) -> list[Incoming]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadBody({field: gettext("Send a list of files.")})
    return [upload for item in value if (upload := _file(item, field)) is not None]


def _receivers(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise BadBody({"receivers": gettext("Receiving agencies must be a list of objects.")})
    return value


def report_json(report: TaskReport) -> dict[str, Any]:
    """One report round and its review."""
    return {
        "round": report.round,
        "doc_name": report.doc_name,
        "doc_number": report.doc_number,
        "doc_symbol": report.doc_symbol,
        "doc_summary": report.doc_summary,
        "doc_date": _iso(report.doc_date),
        "doc_signer": report.doc_signer,
        "sent_at": _iso(report.sent_at),
        "entry_timeliness": report.entry_timeliness,
        "verdict": report.verdict,
        "verdict_reason": report.verdict_reason,
        "reviewed_at": _iso(report.reviewed_at),
        "review_timeliness": report.review_timeliness,
    }


def task_json(task: Task) -> dict[str, Any]:
    """A task as the API answers it."""
    document = task.document
    return {
        "id": task.id,
        "version_id": task.version_id,
        "status": task.status,
        "document": {
            "id": document.id,
            "reference": document.reference,
            "doc_type": document.doc_type,
            "summary": document.summary,
            "issued_at": _iso(document.issued_at),
            "assigning_agency": document.assigning_agency.name,
        },
        "receiving_agency": {"id": task.receiving_agency_id, "name": task.receiving_agency.name},
        "role": task.role,
        "deadline": _iso(task.deadline),
        "original_deadline": _iso(task.original_deadline),
        "acknowledged_at": _iso(task.acknowledged_at),
        "completion": task.completion,
        "completed_at": _iso(task.completed_at),
        "overdue": is_overdue(task, today_local()),
        "returns_count": task.returns_count,
        "recalled_reason": task.recalled_reason,
        "reports": [report_json(report) for report in task.reports],
        "extensions": [
            {
                "at": _iso(e.at),
                "old_deadline": _iso(e.old_deadline),
                "new_deadline": _iso(e.new_deadline),
                "reason": e.reason,
            }
            for e in task.extensions
        ],
    }


def document_json(document: AssignmentDocument, tasks: list[Task]) -> dict[str, Any]:
    """A document with the tasks of it the caller sees."""
    return {
        "id": document.id,
        "version_id": document.version_id,
        "reference": document.reference,
        "doc_type": document.doc_type,
        "number": document.number,
        "symbol": document.symbol,
        "summary": document.summary,
        "issued_at": _iso(document.issued_at),
        "entered_at": _iso(document.entered_at),
        "entry_timeliness": document.entry_timeliness,
        "assigning_agency": {
            "id": document.assigning_agency_id,
            "name": document.assigning_agency.name,
        },
        "director_name": document.director_name,
        "signer_name": document.signer_name,
        "drafter_name": document.drafter_name,
        "secrecy_grade": document.secrecy_grade,
        "default_deadline": _iso(document.default_deadline),
        "petition_id": document.petition_id,
        "tasks": [task_json(task) for task in tasks],
    }


class _TaskApiBase(ApiErrors, BaseApi):
    def _refused(self, refused: TaskRefused):
        db.session.rollback()
        errors = {refused.field or "_": refused.message}
        if isinstance(refused, TaskNotPermitted):
            return api_error(403, errors)
        if isinstance(refused, TaskConflict):
            return api_error(409, errors)
        return api_error(422, errors)

    def _bad(self, errors: dict[str, str]):
        db.session.rollback()
        return api_error(422, errors)


class AssignmentDocumentApi(_TaskApiBase):
    """Entering and reading assignment documents (R13, R20)."""

    resource_name = "task_documents"
    openapi_spec_tag = "Task assignment"
    method_permission_name = {"create": "assign", "get": "show"}

    @expose("/", methods=["POST"])
    @protect()
    def create(self):
        """Enter an assignment document (R13, R14, R20); 422 with a message per field."""
        try:
            body = _body()
            signed = _file(body.get("signed_document"), "signed_document")
            related = _files(body.get("related_documents"), "related_documents")
            rows = _receivers(body.get("receivers"))
        except BadBody as bad:
            return self._bad(bad.errors)
        data, errors = parse_document(body, rows)
        if errors:
            return self._bad(errors)
        try:
            with actions.saving(db.session) as written:
                document = actions.enter_document(
                    db.session, data, signed, related, g.user, written
                )
        except TaskRefused as refused:
            if refused.field == "signed_file":
                refused.field = "signed_document"
            return self._refused(refused)
        return self.response(201, id=document.id, result=document_json(document, document.tasks))

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    def get(self, pk: int):
        """A document of the caller's scope and its tasks in that scope."""
        user = g.user
        document = db.session.scalar(
            select(AssignmentDocument).where(
                AssignmentDocument.id == pk, scope_condition(AssignmentDocument, user)
            )
        )
        if document is None:
            return self.response_404()
        tasks = list(
            db.session.scalars(
                select(Task)
                .where(Task.document_id == pk, scope_condition(Task, user))
                .order_by(Task.id)
            )
        )
        return self.response(200, result=document_json(document, tasks))


class TaskApi(_TaskApiBase):
    """Reading tasks and taking the steps of the loop (R15–R19)."""

    resource_name = "tasks"
    openapi_spec_tag = "Task assignment"
    method_permission_name = {
        "get_list": "show",
        "get": "show",
        "acknowledge": "report",
        "report": "report",
        "accept": "review",
        "return_report": "review",
        "extend": "review",
        "recall": "review",
    }

    def _task(self, pk: int) -> Task | None:
        return db.session.scalar(select(Task).where(Task.id == pk, scope_condition(Task, g.user)))

    @expose("/", methods=["GET"])
    @protect()
    def get_list(self):
        """Tasks of the caller's scope, one list (``side``) or both sides."""
        side = request.args.get("side")
        today = today_local()
        status = request.args.get("status") or None
        if side in SIDES:
            query = task_query(side, TaskFilters(status=status), g.user, today)
        else:
            query = select(Task).where(scope_condition(Task, g.user)).order_by(Task.id)
            if status:
                query = query.where(Task.status == status)
        page = request.args.get("page", default=1, type=int) or 1
        tasks = page_of(db.session, query, max(page, 1), PAGE_SIZE)
        return self.response(200, result=[task_json(task) for task in tasks], page=page)

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    def get(self, pk: int):
        """One task of the caller's scope."""
        task = self._task(pk)
        if task is None:
            return self.response_404()
        return self.response(200, result=task_json(task))

    def _step(self, pk: int, step):
        task = self._task(pk)
        if task is None:
            return self.response_404()
        try:
            body = _body()
            with actions.saving(db.session, task, version_of(body)) as written:
                step(task, body, written)
        except BadBody as bad:
            return self._bad(bad.errors)
        except TaskRefused as refused:
            return self._refused(refused)
        return self.response(200, result=task_json(task))

    @expose("/<int:pk>/acknowledge", methods=["POST"])
    @protect()
    def acknowledge(self, pk: int):
        """R15: acknowledge receipt."""
        return self._step(
            pk,
            lambda task, body, _w: actions.acknowledge(db.session, task, version_of(body), g.user),
        )

    @expose("/<int:pk>/report", methods=["POST"])
    @protect()
    def report(self, pk: int):
        """R16, R18: send a report with its file."""

        def step(task: Task, body: dict[str, Any], written: list) -> None:
            main = _file(body.get("report_file"), "report_file")
            others = _files(body.get("other_files"), "other_files")
            data, errors = parse_report(body)
            if errors:
                raise BadBody(errors)
            actions.report(db.session, task, version_of(body), data, main, others, g.user, written)

        return self._step(pk, step)

    @expose("/<int:pk>/accept", methods=["POST"])
    @protect()
    def accept(self, pk: int):
        """R17, R19: accept the pending report."""
        return self._step(
            pk, lambda task, body, _w: actions.accept(db.session, task, version_of(body), g.user)
        )

    @expose("/<int:pk>/return", methods=["POST"])
    @protect()
    def return_report(self, pk: int):
        """R17, R18: return the pending report with a reason."""
        return self._step(
            pk,
            lambda task, body, _w: actions.return_report(
                db.session, task, version_of(body), str(body.get("reason") or ""), g.user
            ),
        )

    @expose("/<int:pk>/extend", methods=["POST"])
    @protect()
    def extend(self, pk: int):
        """Extend the deadline (``new_deadline``, ``reason``)."""

        def step(task: Task, body: dict[str, Any], _written: list) -> None:
            errors: dict[str, str] = {}
            new_deadline = parse_deadline(body, errors)
            if errors:
                raise BadBody(errors)
            reason = str(body.get("reason") or "")
            actions.extend(db.session, task, version_of(body), new_deadline, reason, g.user)

        return self._step(pk, step)

    @expose("/<int:pk>/recall", methods=["POST"])
    @protect()
    def recall(self, pk: int):
        """Recall the task with a reason."""
        return self._step(
            pk,
            lambda task, body, _w: actions.recall(
                db.session, task, version_of(body), str(body.get("reason") or ""), g.user
            ),
        )
