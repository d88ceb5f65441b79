"""Running a confirmed import in a background thread (issue 7), as app.reports.background
compiles summaries: the request queues the batch and returns; a thread of the same
process imports it in an app context of its own, acting as the importer. Its progress is
written to the shared progress file (app.imports.progress), its outcome to the batch.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from app.core.actor import Actor, acting_as
from app.extensions import db
from app.imports.service import run_import
from app.security.models import AppUser

logger = logging.getLogger(__name__)


def start(app: Flask, batch_id: int, user_id: int) -> threading.Thread:
    """Import the queued batch ``batch_id`` as the user ``user_id`` in a new thread (the
    request has committed the batch as queued)."""
    thread = threading.Thread(
        target=run_queued, args=(app, batch_id, user_id), name=f"import-{batch_id}"
    )
    thread.daemon = True
    thread.start()
    return thread


def run_queued(app: Flask, batch_id: int, user_id: int) -> None:
    """Issue 7: import the batch as the user who confirmed it (their data scope)."""
    with app.app_context():
        try:
            user = db.session.get(AppUser, user_id)
            with acting_as(Actor(user.id, user.username, user.agency_id)):
                run_import(db.session, batch_id, user)
        except Exception:
            logger.exception("import %s could not run", batch_id)
        finally:
            db.session.remove()
