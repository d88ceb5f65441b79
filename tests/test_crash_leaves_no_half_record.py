"""Issue 7, "Nothing lost": every multi-step operation is one transaction, so a worker
killed in the middle of one (SIGKILL: no cleanup, no rollback of its own) leaves no half
record — on SQLite and on PostgreSQL.

The worker (tests/crash_worker.py) runs a long multi-row service operation on the suite's
database and stops at a chosen point; there it reports the rows its own transaction has
written so far, and the test kills it. Every table must then hold exactly the rows it held
before, and the audit chain (R9) must still verify.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.chain import verify_chain
from app.extensions import db

ROOT = Path(__file__).resolve().parent.parent
# Generous: the worker builds the whole app, and CI machines are busy.
PAUSE_TIMEOUT = 180


def _counts(app) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def _kill_when_paused(app, operation: str, pause: str, tmp_path: Path) -> dict[str, int]:
    """Run the worker until it pauses, kill it with SIGKILL; return what it had written."""
    marker = tmp_path / "paused.json"
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_worker", operation, pause, str(marker)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + PAUSE_TIMEOUT
        while not marker.exists():
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not reach {pause}:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    return json.loads(marker.read_text())


def _grown(before: dict[str, int], during: dict[str, int]) -> dict[str, int]:
    return {
        table: during[table] - before[table] for table in before if during[table] != before[table]
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("operation", "pause", "written"),
    [
        # R13: the document and its 40 tasks are written, the file and notifications not yet.
        ("document", "insert:notification", {"assignment_document": 1, "task": 40}),
        # Everything written: document, 40 tasks, the signed PDF, notifications, audit log.
        ("document", "commit", {"assignment_document": 1, "task": 40, "stored_file": 1}),
        # R24: the month's summaries are written, the first workbook being stored.
        ("summaries", "insert:report_summary_file", {"report_summary_file": 1}),
        # Every summary with its workbooks, just before the commit.
        ("summaries", "commit", {}),
    ],
)
def test_a_worker_killed_mid_operation_leaves_no_half_record(
    app, tmp_path, operation, pause, written
):
    before = _counts(app)

    during = _kill_when_paused(app, operation, pause, tmp_path)

    grown = _grown(before, during)
    for table, rows in written.items():
        assert grown.get(table) == rows, grown
    assert "audit_log" in grown  # the operation's changes were being logged too
    if operation == "summaries":
        assert grown["report_summary"] >= 2  # the province and an assigning agency
    assert _counts(app) == before
    with app.app_context(), db.engine.connect() as connection:
        assert verify_chain(connection).ok
