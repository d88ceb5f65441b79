"""The progress of a running import, in a small file on the storage every instance shares.

The import runs in one transaction, so its progress cannot be committed to the database
while it runs (SQLite would wait for the import's own write lock); a JSON file under
``UPLOAD_FOLDER/imports/`` is written instead, replaced atomically, and read by the page
polling it on any instance.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from flask import current_app

CHECKING = "checking"
INSERTING = "inserting"


def _path(batch_id: int) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "imports" / f"{int(batch_id)}.json"


def write_progress(batch_id: int, phase: str, done: int, total: int) -> None:
    """Record that ``done`` of ``total`` rows of ``phase`` are through."""
    path = _path(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
    os.replace(partial, path)


def read_progress(batch_id: int) -> dict | None:
    """The last recorded progress, or None."""
    try:
        return json.loads(_path(batch_id).read_text())
    except (OSError, ValueError):
        return None


def clear_progress(batch_id: int) -> None:
    """Forget the progress of a finished import."""
    _path(batch_id).unlink(missing_ok=True)


def progress_time(batch_id: int) -> dt.datetime | None:
    """When the progress was last written (UTC), or None."""
    try:
        return dt.datetime.fromtimestamp(_path(batch_id).stat().st_mtime, dt.UTC)
    except OSError:
        return None
