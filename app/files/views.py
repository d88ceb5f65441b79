"""Download of stored files: ``/files/<id>/download``, always as an attachment (issue 7)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, send_file
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge

from app.extensions import db
from app.files.access import stored_file_in_scope
from app.files.display import human_size, signature_summary
from app.files.models import StoredFile
from app.files.storage import stored_path
from app.security.scope import request_user


def send_stored_file(stored: StoredFile) -> ResponseReturnValue:
    """The content of ``stored`` as an attachment under its original name, never rendered
    by the browser; 404 when its content is missing. The caller has checked the scope."""
    path = stored_path(stored)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.original_name,
        max_age=0,
        etag=stored.sha256,
    )
    # never rendered by the browser, whatever the file holds
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


class StoredFileView(BaseView):
    """Serves a file only to users in whose scope the file and its record lie (R11)."""

    route_base = "/files"

    @expose("/<int:file_id>/download")
    @has_access
    def download(self, file_id: int):
        """R11: the file as an attachment under its original name; 404 outside the scope."""
        stored = stored_file_in_scope(db.session, file_id, request_user())
        if stored is None:
            abort(404)
        return send_stored_file(stored)


def request_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Issue 7: a request above ``MAX_CONTENT_LENGTH`` (several files at once) is refused
    with a Vietnamese message on the page it came from; nothing was saved."""
    message = gettext(
        "The files sent together are larger than the limit of %(limit)s; nothing was saved.",
        limit=human_size(current_app.config["MAX_CONTENT_LENGTH"]),
    )
    if request.path.startswith("/api/"):
        return {"message": message}, error.code
    flash(message, "danger")
    back = urlsplit(request.referrer or "")
    if back.netloc == request.host and back.path.startswith("/"):
        return redirect(back.path + (f"?{back.query}" if back.query else ""))
    return redirect(current_app.appbuilder.get_url_for_index)


def register(appbuilder: AppBuilder) -> None:
    """Add the file download (no menu entry), the answer to an oversized request and the
    template filters describing files."""
    appbuilder.add_view_no_menu(StoredFileView)
    current_app.register_error_handler(RequestEntityTooLarge, request_too_large)
    filters = current_app.jinja_env.filters
    filters["filesize"] = human_size
    filters["signature_summary"] = signature_summary
