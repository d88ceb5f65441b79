"""The "Nhập dữ liệu" pages (issue 7): templates to download, upload → dry run with every
bad row listed → confirm → import in the background with a progress bar polled by htmx.

Who: agency administrators and the system administrator (app.security.roles
IMPORT_DATA); each sees and imports only within their data scope (R10, R11): a row for an
agency outside it is a bad row, a batch of another agency is not found (404).
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, current_app, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.files.storage import UploadRefused, clean_name, read_limited
from app.imports import background
from app.imports.files import template_workbook
from app.imports.models import KIND_LABELS, QUEUED, RUNNING, STATUS_LABELS, ImportBatch
from app.imports.progress import read_progress
from app.imports.service import (
    KINDS,
    PETITIONS,
    TASKS,
    ImportRefused,
    check_upload,
    mark_interrupted,
    queue,
)
from app.security.scope import scope_condition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Bad rows listed on the page; the full list is a CSV download.
ERRORS_SHOWN = 500
RECENT = 20
TEMPLATE_NAMES = {PETITIONS: "mau-nhap-don-thu.xlsx", TASKS: "mau-nhap-nhiem-vu.xlsx"}


def _batch_or_404(pk: int) -> ImportBatch:
    batch = db.session.scalar(
        select(ImportBatch).where(ImportBatch.id == pk, scope_condition(ImportBatch, g.user))
    )
    return batch if batch is not None else abort(404)


class ImportView(BaseView):
    """Issue 7: bulk import of petitions and tasks from Excel or CSV."""

    route_base = "/imports"
    default_view = "index"
    method_permission_name = {
        "index": "import",
        "template": "import",
        "upload": "import",
        "show": "import",
        "errors_csv": "import",
        "run": "import",
        "progress": "import",
    }

    def _index(self, errors: list[str], status: int = 200) -> ResponseReturnValue:
        batches = db.session.scalars(
            select(ImportBatch)
            .where(scope_condition(ImportBatch, g.user))
            .order_by(ImportBatch.id.desc())
            .limit(RECENT)
        ).all()
        page = self.render_template(
            "imports/index.html",
            batches=batches,
            kinds=KIND_LABELS,
            statuses=STATUS_LABELS,
            columns={kind: spec.columns for kind, spec in KINDS.items()},
            errors=errors,
            chosen=request.form.get("kind", PETITIONS),
        )
        return page, status

    @expose("/")
    @has_access
    def index(self) -> ResponseReturnValue:
        """The kinds of import with their templates, the upload form, recent imports."""
        return self._index([])

    @expose("/template/<kind>")
    @has_access
    def template(self, kind: str) -> ResponseReturnValue:
        """The blank Excel template of ``kind`` with its Vietnamese headers."""
        if kind not in KINDS:
            abort(404)
        data = template_workbook(KINDS[kind].columns, gettext("Data"), gettext("Guide"))
        return Response(
            data,
            mimetype=XLSX,
            headers={"Content-Disposition": f"attachment; filename={TEMPLATE_NAMES[kind]}"},
        )

    @expose("/upload", methods=["POST"])
    @has_access
    def upload(self) -> ResponseReturnValue:
        """Dry run of the uploaded file: every row checked, nothing imported yet."""
        kind = request.form.get("kind", "")
        upload = request.files.get("file")
        if kind not in KINDS:
            return self._index([gettext("Choose what the file holds.")], 400)
        if upload is None or not upload.filename:
            return self._index([gettext("Choose an Excel (.xlsx) or CSV (UTF-8) file.")], 400)
        try:
            name = clean_name(upload.filename)
            data = read_limited(upload.stream, name)
        except UploadRefused as refused:
            return self._index([refused.message], 400)
        if not data:
            return self._index([gettext("The file is empty.")], 400)
        batch = check_upload(db.session, kind, name, data, g.user)
        db.session.commit()
        return redirect(url_for(".show", pk=batch.id))

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int) -> ResponseReturnValue:
        """A batch: its dry-run report (every bad row), the import button, its progress
        or its outcome."""
        batch = _batch_or_404(pk)
        if mark_interrupted(db.session, batch):
            db.session.commit()
        errors = batch.errors or []
        return self.render_template(
            "imports/batch.html",
            batch=batch,
            kinds=KIND_LABELS,
            statuses=STATUS_LABELS,
            errors=errors[:ERRORS_SHOWN],
            error_count=len(errors),
            progress=read_progress(batch.id),
        )

    @expose("/<int:pk>/errors.csv")
    @has_access
    def errors_csv(self, pk: int) -> ResponseReturnValue:
        """Every bad row of a batch as CSV (UTF-8 with BOM, for Excel)."""
        batch = _batch_or_404(pk)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([gettext("Line"), gettext("Column"), gettext("Reason")])
        for error in batch.errors or []:
            writer.writerow([error["line"], error["column"], error["message"]])
        return Response(
            "\ufeff" + buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename=loi-nhap-{batch.id}.csv"},
        )

    @expose("/<int:pk>/run", methods=["POST"])
    @has_access
    def run(self, pk: int) -> ResponseReturnValue:
        """Confirm: import the checked batch in the background, all or nothing."""
        batch = _batch_or_404(pk)
        try:
            queue(db.session, batch)
        except ImportRefused as refused:
            flash(refused.message, "danger")
            return redirect(url_for(".show", pk=pk))
        db.session.commit()
        background.start(current_app._get_current_object(), batch.id, g.user.id)
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/progress")
    @has_access
    def progress(self, pk: int) -> ResponseReturnValue:
        """The progress block, polled by the batch page (htmx) while the import runs; once
        finished, the page reloads to show the outcome."""
        batch = _batch_or_404(pk)
        if mark_interrupted(db.session, batch):
            db.session.commit()
        body = self.render_template(
            "imports/_progress.html",
            batch=batch,
            statuses=STATUS_LABELS,
            progress=read_progress(batch.id),
        )
        if batch.status in (QUEUED, RUNNING):
            return body
        return body, 200, {"HX-Refresh": "true"}


def register(appbuilder: AppBuilder) -> None:
    """Add the import page to the interoperability menu."""
    appbuilder.add_view(
        ImportView,
        "Import data",
        label=_l("Import data"),
        icon="fa-upload",
        category="Interoperability",
        category_label=_l("Interoperability"),
        category_icon="fa-share-alt",
    )
