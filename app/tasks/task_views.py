"""The task page and the steps taken on it (R15–R19): receipt, report, review, extension,
recall, and the download of the task's files. Thin: app.tasks.actions takes each step
with the workflow's checks; a refusal shows the page again with the message next to the
field and what was typed, and nothing is saved.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.audit.history import history_for
from app.calendar.store import load_calendar
from app.core.clock import today_local
from app.extensions import db
from app.files.storage import UploadRefused
from app.files.views import send_stored_file
from app.security.scope import scope_condition
from app.tasks import actions
from app.tasks.choices import COMPLETION, DOC_TYPES, ROLES, STATUSES, VERDICTS
from app.tasks.display import (
    COMPLETION_CSS,
    ENTRY_CSS,
    STATUS_CSS,
    STEP_ICONS,
    completion_result,
    entry_result,
    history,
    report_entry_result,
    review_due,
    review_result,
    user_names,
)
from app.tasks.documents import (
    REPORT_DOCUMENT,
    SIGNED_DOCUMENT,
    files_of_owners,
    signature_badge,
    task_file_in_scope,
)
from app.tasks.forms import parse_deadline, parse_report, version_of
from app.tasks.listing import is_overdue
from app.tasks.models import AssignmentDocument, Task
from app.tasks.view_helpers import files_note, status_for, uploads
from app.tasks.workflow import MAX_EXTENSIONS, TaskRefused, pending_report, permitted_actions
from app.templating import format_datetime

# The steps the assigning office takes on a task page (its panel).
OFFICE_ACTIONS = frozenset({"accept", "return", "extend", "recall"})


def scoped_task(pk: int) -> Task:
    """R11: the task ``pk`` when the user's scope reaches it (either side), else 404."""
    task = db.session.scalar(select(Task).where(Task.id == pk, scope_condition(Task, g.user)))
    if task is None:
        abort(404)
    return task


class TaskView(BaseView):
    """R15–R19: one task of the user's scope, its history and the steps its user may take."""

    route_base = "/tasks"
    method_permission_name = {
        "show": "show",
        "download": "show",
        "acknowledge": "report",
        "report_form": "report",
        "send_report": "report",
        "accept": "review",
        "return_report": "review",
        "extend": "review",
        "recall": "review",
    }

    def _page(
        self,
        task: Task,
        *,
        panel: str | None = None,
        values: MultiDict | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> ResponseReturnValue:
        calendar = load_calendar(db.session)
        document = task.document
        owners = [document, *task.reports]
        files = files_of_owners(db.session, owners)
        names = user_names(
            db.session,
            [r.sent_by_id for r in task.reports] + [r.reviewed_by_id for r in task.reports],
        )
        pending = pending_report(task)
        allowed = permitted_actions(task, g.user)
        page = self.render_template(
            "tasks/task.html",
            task=task,
            document=document,
            document_files=files.get((AssignmentDocument.__tablename__, document.id), []),
            report_files={r.id: files.get((r.__tablename__, r.id), []) for r in task.reports},
            signed_purpose=SIGNED_DOCUMENT,
            report_purpose=REPORT_DOCUMENT,
            signature_badge=signature_badge,
            names=names,
            entry=entry_result(calendar, document),
            report_entries={r.id: report_entry_result(calendar, r) for r in task.reports},
            reviews={r.id: review_result(calendar, r) for r in task.reports},
            review_due=review_due(calendar, pending) if pending else None,
            pending=pending,
            completion=completion_result(task),
            overdue=is_overdue(task, today_local()),
            steps=history(db.session, task),
            step_icons=STEP_ICONS,
            acknowledged_by=user_names(db.session, [task.acknowledged_by_id]).get(
                task.acknowledged_by_id
            ),
            allowed=allowed,
            office_actions=allowed & OFFICE_ACTIONS,
            max_extensions=MAX_EXTENSIONS,
            panel=panel,
            values=values or MultiDict(),
            errors=errors or {},
            doc_types=DOC_TYPES,
            roles=ROLES,
            statuses=STATUSES,
            status_css=STATUS_CSS,
            completion_labels=COMPLETION,
            completion_css=COMPLETION_CSS,
            entry_css=ENTRY_CSS,
            verdicts=VERDICTS,
            audit=history_for(task),
        )
        return page, status

    def _refused(
        self, pk: int, refused: TaskRefused, panel: str, values: MultiDict
    ) -> ResponseReturnValue:
        flash(refused.message, "danger")
        task = scoped_task(pk)
        errors = {refused.field or "": refused.message}
        return self._page(
            task, panel=panel, values=values, errors=errors, status=status_for(refused)
        )

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int) -> ResponseReturnValue:
        """R15–R19: the task page (404 outside the user's scope)."""
        return self._page(scoped_task(pk))

    @expose("/files/<int:file_id>")
    @has_access
    def download(self, file_id: int) -> ResponseReturnValue:
        """R11: a file of a document or report of the user's scope, as an attachment."""
        stored = task_file_in_scope(db.session, file_id, g.user)
        if stored is None:
            abort(404)
        return send_stored_file(stored)

    @expose("/<int:pk>/acknowledge", methods=["POST"])
    @has_access
    def acknowledge(self, pk: int) -> ResponseReturnValue:
        """R15: the receiving agency confirms it received the task."""
        task = scoped_task(pk)
        try:
            with actions.saving(db.session, task, version_of(request.form)):
                actions.acknowledge(db.session, task, version_of(request.form), g.user)
        except TaskRefused as refused:
            return self._refused(pk, refused, "acknowledge", request.form)
        flash(gettext("Receipt of the task was acknowledged."), "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/report", methods=["GET"])
    @has_access
    def report_form(self, pk: int) -> ResponseReturnValue:
        """R16: the report form, the assigning document's identity filled in."""
        task = scoped_task(pk)
        if "report" not in permitted_actions(task, g.user):
            flash(gettext("This task cannot be reported on now."), "warning")
            return redirect(url_for(".show", pk=pk))
        values = MultiDict({"version_id": str(task.version_id)})
        return self._report_form(task, values, {})

    def _report_form(
        self, task: Task, values: MultiDict, errors: dict[str, str], status: int = 200
    ) -> ResponseReturnValue:
        page = self.render_template(
            "tasks/report_form.html",
            task=task,
            document=task.document,
            doc_types=DOC_TYPES,
            values=values,
            errors=errors,
            overdue=is_overdue(task, today_local()),
            last=task.reports[-1] if task.reports else None,
        )
        return page, status

    @expose("/<int:pk>/report", methods=["POST"])
    @has_access
    def send_report(self, pk: int) -> ResponseReturnValue:
        """R16, R18, R19: send the report; the server stamps the sending time."""
        task = scoped_task(pk)
        form = request.form
        data, errors = parse_report(form)
        main, others = None, []
        try:
            main = next(iter(uploads("report_file")), None)
        except UploadRefused as refused:
            errors["report_file"] = refused.message
        try:
            others = uploads("other_files")
        except UploadRefused as refused:
            errors["other_files"] = refused.message
        if errors:
            flash(gettext("Nothing was saved: correct the fields marked."), "danger")
            return self._report_form(task, form, files_note(errors, "report_file"))
        try:
            with actions.saving(db.session, task, version_of(form)) as written:
                sent = actions.report(
                    db.session, task, version_of(form), data, main, others, g.user, written
                )
                message = gettext(
                    "Report round %(round)s was sent at %(time)s.",
                    round=sent.round,
                    time=format_datetime(sent.sent_at),
                )
        except TaskRefused as refused:
            flash(refused.message, "danger")
            task = scoped_task(pk)
            errors = files_note({refused.field or "": refused.message}, "report_file")
            return self._report_form(task, form, errors, status_for(refused))
        flash(message, "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/accept", methods=["POST"])
    @has_access
    def accept(self, pk: int) -> ResponseReturnValue:
        """R17, R19: the report is satisfactory; the task is completed and classified."""
        task = scoped_task(pk)
        try:
            with actions.saving(db.session, task, version_of(request.form)):
                actions.accept(db.session, task, version_of(request.form), g.user)
                message = gettext(
                    "The report was accepted: the task is completed (%(completion)s).",
                    completion=COMPLETION.get(task.completion or "", ""),
                )
        except TaskRefused as refused:
            return self._refused(pk, refused, "review", request.form)
        flash(message, "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/return", methods=["POST"])
    @has_access
    def return_report(self, pk: int) -> ResponseReturnValue:
        """R17, R18: the report is not yet satisfactory (reason required)."""
        task = scoped_task(pk)
        form = request.form
        try:
            with actions.saving(db.session, task, version_of(form)):
                actions.return_report(
                    db.session, task, version_of(form), form.get("reason", ""), g.user
                )
        except TaskRefused as refused:
            return self._refused(pk, refused, "review", form)
        flash(gettext("The report was returned to the agency to report again."), "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/extend", methods=["POST"])
    @has_access
    def extend(self, pk: int) -> ResponseReturnValue:
        """Extend the deadline with a reason (limited, logged)."""
        task = scoped_task(pk)
        form = request.form
        errors: dict[str, str] = {}
        new_deadline = parse_deadline(form, errors)
        if errors:
            flash(gettext("Nothing was saved: correct the fields marked."), "danger")
            return self._page(task, panel="extend", values=form, errors=errors)
        try:
            with actions.saving(db.session, task, version_of(form)):
                actions.extend(
                    db.session, task, version_of(form), new_deadline, form.get("reason", ""), g.user
                )
        except TaskRefused as refused:
            return self._refused(pk, refused, "extend", form)
        flash(gettext("The deadline was extended."), "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/recall", methods=["POST"])
    @has_access
    def recall(self, pk: int) -> ResponseReturnValue:
        """Recall the task with a reason."""
        task = scoped_task(pk)
        form = request.form
        try:
            with actions.saving(db.session, task, version_of(form)):
                actions.recall(db.session, task, version_of(form), form.get("reason", ""), g.user)
        except TaskRefused as refused:
            return self._refused(pk, refused, "recall", form)
        flash(gettext("The task was recalled."), "success")
        return redirect(url_for(".show", pk=pk))
