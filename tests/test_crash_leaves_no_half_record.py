"""Issue 7, "Nothing lost": every multi-step operation is one transaction, so a worker
killed in the middle of one (SIGKILL: no cleanup, no rollback of its own) leaves no half
record — on SQLite and on PostgreSQL.

The worker (tests/crash_worker.py) runs a long multi-row service operation on the suite's
database and stops at a chosen point; there it reports the rows its own transaction has
written so far, and the test kills it. Every table must then hold exactly the rows it held
before, and the audit chain (R9) must still verify.
"""

from __future__ import annotations

import datetime as dt
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
from app.core.actor import Actor, acting_as
from app.core.clock import set_now, to_local
from app.extensions import db
from app.imports.models import CHECKED, FAILED, RUNNING, ImportBatch
from app.imports.service import PETITIONS, STALE_AFTER, check_upload, mark_interrupted, queue
from tests.imports_helpers import PETITION_HEADERS, csv_file, petition_row
from tests.petitions_intake_helpers import user

ROOT = Path(__file__).resolve().parent.parent
# Generous: the worker builds the whole app, and CI machines are busy.
PAUSE_TIMEOUT = 180


def _counts(app) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def _kill_when_paused(
    app, operation: str, pause: str, tmp_path: Path, **env_vars: str
) -> dict[str, int]:
    """Run the worker until it pauses, kill it with SIGKILL; return what it had written."""
    marker = tmp_path / "paused.json"
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        **env_vars,
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


def _queued_import(app, rows: int) -> int:
    """A file of ``rows`` new petitions of Cao Lãnh's reception board, checked and
    queued by its administrator as the import page does; the batch's id."""
    account = user("caolanh.quantri")
    petitions = [
        petition_row(
            **{
                "Số vào sổ": str(700 + number),
                "Họ và tên người đứng đơn": f"Nguyễn Văn Thử {number}",
                "Số CCCD/CMND": f"087078{number:06d}",
                "Số điện thoại": f"0918{number:06d}",
            }
        )
        for number in range(rows)
    ]
    with acting_as(Actor(account.id, account.username, account.agency_id)):
        batch = check_upload(
            db.session, PETITIONS, "so-don.csv", csv_file(PETITION_HEADERS, petitions), account
        )
        assert batch.status == CHECKED, batch.errors
        queue(db.session, batch)
        db.session.commit()
        return batch.id


@pytest.mark.slow
def test_a_worker_killed_mid_import_leaves_nothing_of_the_file(app, tmp_path):
    """Issue 7: the import's process is killed after two of its four chunks were
    inserted: none of the file's citizens, cases, petitions, signatories, history steps
    or national-database items stay; the batch, left running, is later shown as
    interrupted with nothing saved, and the audit chain verifies."""
    with app.app_context():
        batch_id = _queued_import(app, rows=40)
        db.session.remove()
    before = _counts(app)

    during = _kill_when_paused(app, "import", "chunk:2", tmp_path, CRASH_IMPORT_BATCH=str(batch_id))

    grown = _grown(before, during)
    written = (
        "citizen",
        "petition_case",
        "petition",
        "petition_signatory",
        "petition_event",
        "national_outbox_item",
    )
    assert all(grown.get(table, 0) >= 10 for table in written), grown
    after = _counts(app)
    assert {table: after[table] for table in written} == {table: before[table] for table in written}
    with app.app_context():
        batch = db.session.get(ImportBatch, batch_id)
        assert (batch.status, batch.rows_created) == (RUNNING, 0)
        set_now(to_local(batch.started_at + STALE_AFTER + dt.timedelta(minutes=1)))
        assert mark_interrupted(db.session, batch)
        db.session.commit()
        assert batch.status == FAILED
        assert batch.error == "Việc nhập bị gián đoạn; không dòng nào của tệp được lưu."
        db.session.remove()
    with app.app_context(), db.engine.connect() as connection:
        assert verify_chain(connection).ok
