"""A worker process that test_crash_leaves_no_half_record.py kills with SIGKILL in the
middle of a multi-step operation.

``python -m tests.crash_worker OPERATION PAUSE MARKER`` builds the app on ``DATABASE_URL``
(``UPLOAD_FOLDER`` for the files) and runs OPERATION:

- ``document``: the Provincial PC's Office enters one assignment document for 40
  subordinate agencies with its signed PDF (R13: a document, 40 tasks, the file, the
  notifications, their audit entries — one transaction);
- ``summaries``: the monthly summaries of last month are compiled (R24: a summary per
  scope, its workbooks stored as files — one transaction);
- ``import``: the import batch ``CRASH_IMPORT_BATCH`` (queued by the test) is run as the
  import page runs it, in chunks of 10 rows (issue 7: citizens, cases, petitions,
  signatories, history steps, national-database items of every chunk — one transaction).

PAUSE is where it stops: ``insert:TABLE`` right after the first INSERT into TABLE,
``chunk:N`` right after the import has inserted its N-th chunk (its rows go in through the
driver, by COPY on PostgreSQL, which SQLAlchemy's events do not see), or ``commit`` right
before the transaction commits. There it writes MARKER — the row count of
every table as its own transaction sees them — and waits to be killed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path

from sqlalchemy import event, select

RECEIVERS = 40


def _pause(connection, marker: Path) -> None:
    """Write the counts seen by the paused transaction into MARKER, then wait forever."""
    from app.extensions import db

    cursor = connection.connection.dbapi_connection.cursor()
    counts = {}
    for table in db.metadata.sorted_tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table.name}"')
        counts[table.name] = cursor.fetchone()[0]
    partial = marker.with_name(marker.name + ".part")
    partial.write_text(json.dumps(counts))
    os.replace(partial, marker)
    while True:
        time.sleep(60)


def _install_pause(engine, pause: str, marker: Path) -> None:
    if pause.startswith("chunk:"):
        _pause_after_chunk(int(pause.removeprefix("chunk:")), marker)
        return
    if pause == "commit":
        event.listen(engine, "commit", lambda connection: _pause(connection, marker))
        return
    table = pause.removeprefix("insert:")
    insert = re.compile(rf'^\s*INSERT INTO "?{table}"?[\s(]', re.IGNORECASE)

    def after_execute(connection, _cursor, statement, *_args) -> None:
        if insert.match(statement):
            _pause(connection, marker)

    event.listen(engine, "after_cursor_execute", after_execute)


def _pause_after_chunk(number: int, marker: Path) -> None:
    from app.extensions import db
    from app.imports import petitions

    insert_chunk = petitions._Inserter.insert_chunk
    inserted = []

    def pausing(inserter, chunk) -> None:
        insert_chunk(inserter, chunk)
        inserted.append(chunk)
        if len(inserted) == number:
            # every row written so far inserted (PostgreSQL: the COPY thread drained); the
            # worker is killed at the pause, so the writer is not needed any more
            inserter.writer.close()
            _pause(db.session.connection(), marker)

    petitions._Inserter.insert_chunk = pausing


def _import() -> None:
    from app.core.actor import Actor, acting_as
    from app.extensions import db
    from app.imports import petitions, service
    from app.security.models import AppUser

    petitions.CHUNK = service.CHECK_CHUNK = 10
    batch = db.session.get(service.ImportBatch, int(os.environ["CRASH_IMPORT_BATCH"]))
    user = db.session.get(AppUser, batch.user_id)
    with acting_as(Actor(user.id, user.username, user.agency_id)):
        service.run_import(db.session, batch.id, user)


def _enter_document() -> None:
    from app.agencies.models import Agency
    from app.core.clock import now_local
    from app.extensions import db
    from app.files.storage import Incoming
    from app.tasks import actions
    from app.tasks.workflow import AssignmentData, ReceivingAssignment
    from tests.tasks_records import PROVINCE, SUMMARY, agency, signed_document, user

    province = agency(PROVINCE)
    receivers = db.session.scalars(
        select(Agency.id)
        .where(Agency.path.startswith(province.path), Agency.id != province.id)
        .order_by(Agency.path)
        .limit(RECEIVERS)
    ).all()
    assert len(receivers) == RECEIVERS, receivers
    today = now_local()
    data = AssignmentData(
        assigning_agency_id=province.id,
        doc_type="cong_van",
        number="1377",
        symbol="UBND-HC",
        summary=SUMMARY,
        issued_at=(today - dt.timedelta(hours=1)).astimezone(dt.UTC),
        director_name="Phạm Thiện Nghĩa",
        signer_name="Đoàn Tấn Bửu",
        drafter_name="Trần Thị Thu",
        secrecy_grade="none",
        default_deadline=today.date() + dt.timedelta(days=30),
        receivers=[ReceivingAssignment(agency_id=agency_id) for agency_id in receivers],
    )
    document = signed_document("Cong van 1377/UBND-HC giao nhiem vu")
    with actions.saving(db.session) as written:
        actions.enter_document(
            db.session,
            data,
            Incoming("1377-UBND-HC.pdf", document),
            [],
            user("vpub.nhiemvu"),
            written,
        )


def _compile_summaries() -> None:
    from app.core.actor import SYSTEM_ACTOR, acting_as
    from app.core.clock import today_local
    from app.extensions import db
    from app.jobs.monthly_summaries import previous_month
    from app.reports.summaries import compile_monthly_summaries

    with acting_as(SYSTEM_ACTOR):
        compile_monthly_summaries(db.session, *previous_month(today_local()))
        db.session.commit()


OPERATIONS = {"document": _enter_document, "summaries": _compile_summaries, "import": _import}


def main(operation: str, pause: str, marker: str) -> None:
    from app import create_app
    from app.extensions import db

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        _install_pause(db.engine, pause, Path(marker))
        OPERATIONS[operation]()
    sys.exit("the operation ended without reaching its pause")


if __name__ == "__main__":
    main(*sys.argv[1:])
