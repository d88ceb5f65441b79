"""Compiling a summary in the background (R24): ad hoc requests and months compiled again.

The web request records the summary as queued and returns at once; a thread of the same
process compiles it, in an app context of its own, acting as the user who asked. Its
state and progress are written to the summary's row as it goes (one commit per form), so
the page polling it may be answered by any worker of any instance. A compilation whose
process stops leaves the row running: app.reports.summaries.mark_interrupted turns it
into failed once it has made no progress for the crash timeout.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from app.core.actor import Actor, acting_as
from app.extensions import db
from app.reports.models import FAILED, MONTHLY, QUEUED, RUNNING, Summary
from app.reports.summaries import PROVINCE_READER, compile_summaries
from app.security.models import AppUser

logger = logging.getLogger(__name__)


def start(app: Flask, summary_id: int, user_id: int) -> threading.Thread:
    """R24: compile the queued summary ``summary_id`` in a background thread for the user
    ``user_id`` (the request has committed it)."""
    thread = threading.Thread(
        target=run_queued, args=(app, summary_id, user_id), name=f"summary-{summary_id}"
    )
    thread.daemon = True
    thread.start()
    return thread


def run_queued(app: Flask, summary_id: int, user_id: int) -> None:
    """R24: claim the queued summary and compile it as the user who asked (a month for the
    Board: as the system reads the whole province), committing the progress as it goes
    and the files at the end; a failure is recorded on the summary."""
    with app.app_context():
        session = db.session
        user = session.get(AppUser, user_id)
        actor = Actor(user.id, user.username, user.agency_id)
        with acting_as(actor):
            summary = session.get(Summary, summary_id)
            if summary is None or summary.status != QUEUED:
                return
            summary.status = RUNNING
            session.commit()

            def progress(done: int, total: int) -> None:
                summary.progress_done, summary.progress_total = done, total
                session.commit()

            reader = PROVINCE_READER if summary.kind == MONTHLY else user
            try:
                compile_summaries(session, [summary], reader, user.id, progress)
                session.commit()
            except Exception as error:
                session.rollback()
                logger.exception("summary %s failed", summary_id)
                failed = session.get(Summary, summary_id)
                failed.status, failed.error = FAILED, str(error) or type(error).__name__
                session.commit()
            finally:
                session.remove()
