"""The import steps shared by the screens, the background thread and the CLI (issue 7).

1. ``dry_run``: read the file and check every row with the kind's rules; report EVERY bad
   row (line, column, Vietnamese reason), duplicates within the file and the rows already
   imported; change nothing.
2. ``check_upload``: the web's dry run, keeping the file and its report as an
   ``ImportBatch`` for the importer to confirm.
3. ``run_import``: check again and insert every new row in ONE transaction — all or
   nothing — ending with the batch marked done (its audit entry names the file's SHA-256,
   R9). Rows already in the database (same external key) are skipped, so importing the
   same file twice creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, scoped_session

from app.core.clock import now_utc
from app.imports import petitions, tasks
from app.imports.collector import held_rows
from app.imports.files import Column, FileUnreadable, read_rows
from app.imports.models import CHECKED, DONE, FAILED, INVALID, QUEUED, RUNNING, ImportBatch
from app.imports.progress import (
    CHECKING,
    INSERTING,
    clear_progress,
    progress_time,
    write_progress,
)

logger = logging.getLogger(__name__)

PETITIONS = "petitions"
TASKS = "tasks"
# Rows checked at a time (an import inserts them while it checks the next ones).
CHECK_CHUNK = 2000


@dataclass(frozen=True)
class ImportKind:
    """What one kind of import reads and how it inserts."""

    columns: tuple[Column, ...]
    reader: Callable[[Session, Any], Any]
    error_column: Callable[[str], str]
    # insert(session, chunks of new rows, user, note, progress) -> rows created
    insert: Callable[..., int]
    # True when ``insert`` takes each chunk as soon as it has passed its checks (the
    # database inserts one chunk while the next is checked); else it gets every row at
    # once, after the whole file has passed.
    streams: bool = False


KINDS: dict[str, ImportKind] = {
    PETITIONS: ImportKind(
        petitions.COLUMNS,
        petitions.PetitionReader,
        petitions.error_column,
        petitions.insert_petitions,
        streams=True,
    ),
    TASKS: ImportKind(tasks.COLUMNS, tasks.TaskReader, tasks.error_column, tasks.insert_tasks),
}


@dataclass
class DryRun:
    """What a file would import: its rows, the new ones (their number, and the rows
    themselves when kept), those already imported, and the errors (``{"line", "column",
    "message"}``, in line order)."""

    rows_total: int = 0
    new_count: int = 0
    new: list = field(default_factory=list)
    existing: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _current(session: Session | scoped_session) -> Session:
    """The session behind a scoped session: an import calls it hundreds of thousands of
    times, and each call through the proxy looks the current session up again."""
    return session() if isinstance(session, scoped_session) else session


def _error(line: int, column: str, message: str) -> dict[str, Any]:
    return {"line": line, "column": column, "message": str(message)}


class FileCheck:
    """Issue 7: the checks of a file's rows for a user (their data scope, R11), chunk by
    chunk, so that an import can insert each chunk while the next one is checked.
    ``result`` is complete once ``new_rows`` is exhausted; it keeps the new rows
    themselves only when asked (``keep_rows``)."""

    def __init__(
        self,
        session: Session,
        kind: str,
        filename: str,
        data: bytes,
        user: Any,
        progress: Callable[[int, int], None] | None = None,
        keep_rows: bool = False,
    ):
        self.session = _current(session)
        self.spec = KINDS[kind]
        self.filename = filename
        self.data = data
        self.user = user
        self.progress = progress
        self.keep_rows = keep_rows
        self.result = DryRun()

    def _rows(self) -> list | None:
        """The file's rows, or None when the file itself is refused (one error)."""
        result = self.result
        try:
            rows, file_errors = read_rows(self.filename, self.data, self.spec.columns)
        except FileUnreadable as unreadable:
            result.errors.append(_error(1, "—", unreadable.message))
            return None
        result.rows_total = len(rows)
        result.errors.extend(file_errors)
        if file_errors:
            return None
        if not rows:
            result.errors.append(_error(2, "—", gettext("The file has no data rows.")))
            return None
        return rows

    def new_rows(self) -> Iterator[list]:
        """The valid rows not yet imported of each ``CHECK_CHUNK`` rows of the file, in file
        order, as long as no row has failed; after a bad row the rest of the file is
        still checked (every error reported) but nothing more is given out.
        ``progress(done, total)`` follows each chunk, once the caller has taken it."""
        rows = self._rows()
        if rows is None:
            return
        result = self.result
        reader = self.spec.reader(self.session, self.user)
        first_line: dict[Any, int] = {}
        chunk = CHECK_CHUNK
        with held_rows() as hold:
            for start in range(0, len(rows), chunk):
                new = self._check(rows[start : start + chunk], reader, first_line)
                if result.ok and new:
                    yield new
                hold()
                if self.progress is not None:
                    self.progress(min(start + chunk, len(rows)), len(rows))

    def _check(self, rows: list, reader: Any, first_line: dict[Any, int]) -> list:
        """The valid rows of ``rows`` not yet imported; their errors noted."""
        result = self.result
        with self.session.no_autoflush:
            valid = []
            for row in rows:
                parsed, errors = reader.read_row(row)
                for key, message in errors.items():
                    result.errors.append(_error(row.line, self.spec.error_column(key), message))
                if parsed is None:
                    continue
                if parsed.key in first_line:
                    result.errors.append(_duplicate(row.line, first_line[parsed.key]))
                else:
                    first_line[parsed.key] = row.line
                    valid.append(parsed)
            existing = reader.existing_keys([row.key for row in valid])
        new = [row for row in valid if row.key not in existing]
        result.new_count += len(new)
        if self.keep_rows:
            result.new.extend(new)
        result.existing += len(valid) - len(new)
        return new


def _duplicate(line: int, first: int) -> dict[str, Any]:
    return _error(
        line,
        "—",
        gettext("Duplicate within the file: the same record as line %(line)s.", line=first),
    )


def dry_run(
    session: Session,
    kind: str,
    filename: str,
    data: bytes,
    user: Any,
    progress: Callable[[int, int], None] | None = None,
    keep_rows: bool = False,
) -> DryRun:
    """Issue 7: check every row of the file for ``user`` (their data scope, R11); writes
    nothing. An unreadable file is reported as one error on line 1. The new rows are
    kept in the result when asked (``keep_rows``: to insert them)."""
    check = FileCheck(session, kind, filename, data, user, progress, keep_rows)
    for _ in check.new_rows():
        pass
    return check.result


def check_upload(session: Session, kind: str, filename: str, data: bytes, user: Any) -> ImportBatch:
    """Issue 7: the dry run of an uploaded file, kept as a batch to confirm (flushed, not
    committed). Its status is ``checked`` when every row is good, else ``invalid``."""
    result = dry_run(session, kind, filename, data, user)
    return keep_batch(session, kind, filename, data, user, result)


def keep_batch(
    session: Session, kind: str, filename: str, data: bytes, user: Any, result: DryRun
) -> ImportBatch:
    """The file and its dry-run ``result`` as a batch (flushed, not committed)."""
    return _batch(session, kind, filename, data, user, result, CHECKED if result.ok else INVALID)


def queue_unchecked(
    session: Session, kind: str, filename: str, data: bytes, user: Any
) -> ImportBatch:
    """Issue 7: a file queued for import without a dry run of its own (the command
    line): ``run_import`` checks every row as it goes and saves nothing if one fails
    (flushed, not committed)."""
    return _batch(session, kind, filename, data, user, DryRun(), QUEUED)


def _batch(
    session: Session,
    kind: str,
    filename: str,
    data: bytes,
    user: Any,
    result: DryRun,
    status: str,
) -> ImportBatch:
    batch = ImportBatch(
        kind=kind,
        agency_id=user.agency_id,
        user_id=user.id,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        status=status,
        rows_total=result.rows_total,
        rows_new=result.new_count,
        rows_existing=result.existing,
        errors=result.errors,
    )
    session.add(batch)
    session.flush()
    return batch


class ImportRefused(ValueError):
    """The batch cannot be imported now; ``message`` (Vietnamese) says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def queue(session: Session, batch: ImportBatch) -> None:
    """Confirm a checked batch for import (flushed; the caller commits and starts it)."""
    if batch.status != CHECKED:
        raise ImportRefused(gettext("Only a file whose dry run found no error can be imported."))
    batch.status = QUEUED
    session.flush()


def import_note(batch: ImportBatch) -> str:
    """The note of the records' first history step: which file brought them."""
    return gettext(
        "Imported from the file “%(name)s” (import no. %(id)s).", name=batch.filename, id=batch.id
    )


def run_import(
    session: Session, batch_id: int, user: Any, checked: DryRun | None = None
) -> ImportBatch:
    """Issue 7: import a queued batch as ``user``, all or nothing.

    The batch is marked running (committed), then checked again — the database may have
    changed since the dry run — and every new row inserted in one transaction that also
    marks the batch done; a kind that streams inserts each chunk of rows while the next
    is checked. Any bad row or error rolls that transaction back: nothing of the file is
    saved and the batch is marked failed with the reason (and the rows' errors).
    ``checked``: the dry run just made by the caller in this process, used instead of
    checking again.
    """
    batch = session.get(ImportBatch, batch_id)
    if batch is None or batch.status != QUEUED:
        return batch
    # a dry run counted the file's rows; a file queued unchecked (the command line) has none
    had_dry_run = batch.rows_total > 0
    batch.status, batch.started_at = RUNNING, now_utc()
    session.commit()
    spec = KINDS[batch.kind]
    # errors of the database, through SQLAlchemy or from the driver (PostgreSQL's COPY)
    database_errors = (SQLAlchemyError, session.get_bind().dialect.loaded_dbapi.Error)
    try:
        result, chunks, progress = _checked_chunks(session, batch, user, spec, checked)
        created = spec.insert(_current(session), chunks, user, import_note(batch), progress)
        if not result.ok:
            session.rollback()
            reason = (
                gettext("The file no longer passes its checks.")
                if had_dry_run
                else gettext("Rows of the file do not pass the checks.")
            )
            _fail(session, batch_id, reason, result)
            return session.get(ImportBatch, batch_id)
        batch.status, batch.finished_at = DONE, now_utc()
        batch.rows_total, batch.rows_new = result.rows_total, result.new_count
        batch.rows_created, batch.rows_existing = created, result.existing
        session.commit()
    except database_errors:
        # the statement's text is for the log, not for the page
        session.rollback()
        logger.exception("import %s failed", batch_id)
        _fail(
            session,
            batch_id,
            gettext(
                "The database refused the import (another user saved one of the file's "
                "records meanwhile, or the connection was lost). Check the file again."
            ),
            None,
        )
    except Exception as error:
        session.rollback()
        logger.exception("import %s failed", batch_id)
        _fail(session, batch_id, str(error) or type(error).__name__, None)
    finally:
        clear_progress(batch_id)
    return session.get(ImportBatch, batch_id)


def _checked_chunks(
    session: Session, batch: ImportBatch, user: Any, spec: ImportKind, checked: DryRun | None
) -> tuple[DryRun, Iterable[list], Callable[[int], None]]:
    """The check of the batch's rows (complete once the chunks are used up), the chunks
    of new rows to insert and the insert's progress report."""
    batch_id = batch.id
    if checked is not None:
        return checked, [checked.new] if checked.ok else [], _saving(batch_id, checked)
    if spec.streams:
        # progress: the rows of the file checked and, when new, inserted
        check = FileCheck(
            session,
            batch.kind,
            batch.filename,
            batch.content,
            user,
            lambda done, total: write_progress(batch_id, INSERTING, done, total),
        )
        return check.result, check.new_rows(), lambda done: None
    result = dry_run(
        session,
        batch.kind,
        batch.filename,
        batch.content,
        user,
        lambda done, total: write_progress(batch_id, CHECKING, done, total),
        keep_rows=True,
    )
    return result, [result.new] if result.ok else [], _saving(batch_id, result)


def _saving(batch_id: int, result: DryRun) -> Callable[[int], None]:
    """Progress of inserting the new rows of a file checked beforehand."""
    total = result.new_count
    write_progress(batch_id, INSERTING, 0, total)
    return lambda done: write_progress(batch_id, INSERTING, done, total)


def _fail(session: Session, batch_id: int, reason: str, result: DryRun | None) -> None:
    batch = session.get(ImportBatch, batch_id)
    batch.status, batch.finished_at, batch.error = FAILED, now_utc(), reason[:2000]
    if result is not None:
        batch.errors = result.errors
        batch.rows_total, batch.rows_new = result.rows_total, result.new_count
        batch.rows_existing = result.existing
    session.commit()


# A running import whose progress has not moved for this long is taken as interrupted.
STALE_AFTER = dt.timedelta(minutes=10)


def mark_interrupted(session: Session, batch: ImportBatch) -> bool:
    """A batch left running by a stopped process (its transaction was rolled back, so
    nothing of it is saved) is marked failed once its progress is older than
    ``STALE_AFTER``. Returns True when it changed the batch (flushed)."""
    if batch.status not in (QUEUED, RUNNING):
        return False
    moved = progress_time(batch.id) or batch.started_at or batch.updated_at
    if moved is None or now_utc() - moved < STALE_AFTER:
        return False
    batch.status, batch.finished_at = FAILED, now_utc()
    batch.error = gettext("The import was interrupted; nothing of the file was saved.")
    session.flush()
    return True
