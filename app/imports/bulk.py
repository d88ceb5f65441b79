"""Bulk inserts of an import, in the caller's transaction (issue 7).

PostgreSQL: the rows of each table go in by ``COPY``, run by a thread of their own on the
transaction's connection, so the server inserts one chunk (rows, index entries, foreign
key checks) while the import checks and builds the next one on the other core. The
driver holds its connection's lock for a whole ``COPY``: a query of the import on that
connection waits for it, so the committed rows a chunk needs (citizens known by ID
number, the last case numbers, ids from the sequences) are read on a second connection
(``reads``). An error of a ``COPY`` is
raised in the importing thread at its next write or when it closes the writer; the
caller's transaction is then rolled back as for any other error.

SQLite: one ``executemany`` of the driver per table and chunk, in the importing thread
(SQLite works in the application's process: a second thread would only wait for the
first), with the values bound as for ``COPY``: through SQLAlchemy's ``insert`` each row's
parameters were processed again, a tenth of a SQLite import.

Values are bound by their columns' own SQLAlchemy types (aware timestamps stored as naive
UTC, JSON documents as text) as an ORM insert would bind them.
"""

from __future__ import annotations

import datetime as dt
import functools
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON, Table, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator, TypeEngine

# Writes (one table's rows of a chunk) waiting for the COPY thread: enough to keep it
# busy, few enough that the rows built ahead of the server stay a small part of the file.
QUEUED_WRITES = 8


class BulkWriter:
    """Inserts lists of rows (dicts with the same keys) into tables."""

    def __init__(self, session: Session):
        self.session = session
        # where the import reads committed rows it needs while it writes
        self.reads = session
        self.connection = session.connection()
        self.dialect = self.connection.dialect

    def write(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` into ``table`` now, with one executemany of the driver (SQLite)."""
        if not rows:
            return
        keys = list(rows[0])
        values = _row_values(table, keys, self.dialect)
        columns = ", ".join(f'"{key}"' for key in keys)
        marks = ", ".join("?" * len(keys))
        cursor = self.connection.connection.driver_connection.cursor()
        try:
            cursor.executemany(
                f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})',
                [values(row) for row in rows],
            )
        finally:
            cursor.close()

    def reserve_ids(self, table: Table, count: int) -> None:
        """Announce that about ``count`` rows of ``table`` will be inserted."""

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        """Insert ``rows`` into ``table``; their new ids, in order. SQLite gives each new
        row the largest rowid + 1, and the transaction holds the only write lock: the rows
        just inserted hold the last ids."""
        if not rows:
            return []
        self.write(table, rows)
        last = self.session.execute(
            select(func.max(table.c.id)).execution_options(include_deleted=True)
        ).scalar_one()
        return list(range(last - len(rows) + 1, last + 1))

    def close(self) -> None:
        """Wait until every row written has been inserted."""


class CopyWriter(BulkWriter):
    """PostgreSQL: ``COPY`` in a thread of its own on the session's connection."""

    def __init__(self, session: Session):
        super().__init__(session)
        # A session of its own on another connection: its queries need not wait for the
        # COPY thread, which holds the import's connection (they see committed rows and
        # draw from the sequences).
        self.reads = Session(bind=session.get_bind())
        self.driver = self.connection.connection.driver_connection
        self.pending: queue.Queue[tuple[str, list[Sequence[Any]]] | None] = queue.Queue(
            QUEUED_WRITES
        )
        self.error: BaseException | None = None
        self.pools: dict[str, IdPool] = {}
        self.thread = threading.Thread(target=self._run, name="import-copy", daemon=True)
        self.thread.start()

    def write(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Queue ``rows`` for the COPY thread, their values bound here (the thread's work
        is the server's); raise the thread's error if one of its writes failed."""
        self._raise()
        if not rows:
            return
        keys = list(rows[0])
        values = _row_values(table, keys, self.dialect)
        columns = ", ".join(f'"{key}"' for key in keys)
        statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
        self.pending.put((statement, [values(row) for row in rows]))

    def reserve_ids(self, table: Table, count: int) -> None:
        """Draw ``count`` ids of ``table`` ahead, in one query."""
        self._pool(table).reserve(count)

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        """Give ``rows`` ids from the table's sequence (their ``id``) and queue them."""
        ids = self._pool(table).take(len(rows))
        for row, row_id in zip(rows, ids, strict=True):
            row["id"] = row_id
        self.write(table, rows)
        return ids

    def _pool(self, table: Table) -> IdPool:
        return self.pools.setdefault(table.name, IdPool(self.reads, table))

    def close(self) -> None:
        """Wait for the queued writes; raise the error of the first that failed."""
        self._stop()
        self._raise()

    def abandon(self) -> None:
        """Stop the thread after an error of the importing thread (its writes no longer
        matter: the transaction is rolled back)."""
        self.error = self.error or RuntimeError("abandoned")
        self._stop()

    def _stop(self) -> None:
        if self.thread.is_alive():
            self.pending.put(None)
            self.thread.join()
        self.reads.close()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (item := self.pending.get()) is not None:
            if self.error is None:
                try:
                    self._copy(*item)
                except BaseException as error:  # raised again in the importing thread
                    self.error = error

    def _copy(self, statement: str, rows: list[Sequence[Any]]) -> None:
        with self.driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


def _row_values(table: Table, keys: Sequence[str], dialect: Any) -> Callable[[dict], Sequence]:
    """A function giving the values of a row in ``keys`` order, each bound by its
    column's type; JSON documents as their compact text."""
    pick = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    processors = [
        (index, processor)
        for index, key in enumerate(keys)
        if (processor := _bind_processor(table.c[key].type, dialect)) is not None
    ]
    if not processors:
        return pick

    def values(row: dict[str, Any]) -> list[Any]:
        found = list(pick(row))
        for index, processor in processors:
            found[index] = processor(found[index])
        return found

    return values


def _json_text(document: Any) -> str:
    """A JSON document as compact UTF-8 text, Vietnamese letters as they are (not
    ``\\u`` escapes: a third of a payload's text); orjson writes it five times faster
    than the standard library (a tenth of an import's time went to the payloads' text)."""
    return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS).decode()


def _bind_processor(column_type: TypeEngine, dialect: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, JSON):
        return _json_text
    processor = column_type.dialect_impl(dialect).bind_processor(dialect)
    if processor is not None and _python_type(column_type) in (dt.datetime, dt.date, bool):
        # an import's rows share a few instants (the time of the import, days received)
        return functools.lru_cache(maxsize=4096)(processor)
    return processor


def _python_type(column_type: TypeEngine) -> type | None:
    """The Python type of a column's values (a decorated type's: its base type's)."""
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    try:
        return column_type.python_type
    except NotImplementedError:
        return None


@contextmanager
def bulk_writer(session: Session) -> Iterator[BulkWriter]:
    """The writer of the session's database, closed (every row inserted) on leaving."""
    if session.get_bind().dialect.name != "postgresql":
        yield BulkWriter(session)
        return
    # The import's own queries are planned for their values each time: the driver
    # prepares a statement run five times, and PostgreSQL may then keep a generic plan
    # made while the tables were small (a citizen lookup per chunk scanned every citizen
    # inserted so far). Foreign-key checks keep their plans (the server's own).
    driver = session.connection().connection.driver_connection
    threshold, driver.prepare_threshold = driver.prepare_threshold, None
    try:
        writer = CopyWriter(session)
        try:
            yield writer
        except BaseException:
            writer.abandon()
            raise
        writer.close()
    finally:
        driver.prepare_threshold = threshold


class IdPool:
    """PostgreSQL: ids of a table's sequence drawn ahead, in one query, so that the
    importing thread need not ask the server (and wait for the COPY thread) per chunk.
    Ids drawn from the sequence are safe beside concurrent inserts."""

    def __init__(self, session: Session, table: Table):
        self.session = session
        self.table = table
        self.ids: list[int] = []
        self.next = 0

    def reserve(self, count: int) -> None:
        """Draw ``count`` more ids from the sequence."""
        if count > 0:
            self.ids.extend(
                self.session.execute(
                    text(
                        "SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                        "FROM generate_series(1, :n)"
                    ),
                    {"t": self.table.name, "n": count},
                ).scalars()
            )

    def take(self, count: int) -> list[int]:
        """``count`` ids, drawing more when fewer were reserved."""
        self.reserve(count - (len(self.ids) - self.next))
        taken = self.ids[self.next : self.next + count]
        self.next += count
        return taken
