"""Small pieces the task screens share: uploaded files of a form, the HTTP status of a
refusal, the note that chosen files are not kept after one.

A form refused for what was typed is shown again as an ordinary page (200), as the
petition and complaint screens do: a 4xx answer to a page load is logged by the browser
as an error on every mistake a user makes. The REST API keeps its statuses (app.tasks.api).
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext

from app.files.storage import Incoming, read_limited
from app.tasks.workflow import TaskConflict, TaskNotPermitted, TaskRefused


def uploads(name: str) -> list[Incoming]:
    """The files sent in the form field ``name`` (size limit checked while reading)."""
    return [
        Incoming(upload.filename, read_limited(upload.stream, upload.filename))
        for upload in request.files.getlist(name)
        if upload.filename
    ]


def status_for(refused: TaskRefused) -> int:
    """The status of the page shown again after ``refused``: 409 for a conflict
    (optimistic locking), 403 when the user may not act at all, else 200 (the form with
    its messages)."""
    if isinstance(refused, TaskConflict):
        return 409
    return 403 if isinstance(refused, TaskNotPermitted) else 200


def files_note(errors: dict[str, str], field: str) -> dict[str, str]:
    """After a refusal the chosen files are not kept (browsers cannot refill a file
    field): say so next to the main file field ``field``."""
    if errors and field not in errors:
        errors[field] = gettext("The file chosen was not kept: choose it again.")
    return errors
