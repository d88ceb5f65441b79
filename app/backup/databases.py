"""Copying the database out and back in, consistently, while the application runs.

- SQLite: ``sqlite3.Connection.backup`` copies the file page by page inside one read
  transaction, so the copy is the database as it was at one moment even while the app
  writes; restoring runs the same copy the other way, in one write transaction.
- PostgreSQL: counts and revision are read in a REPEATABLE READ transaction whose
  snapshot ``pg_dump --snapshot`` then dumps (custom format), so the manifest describes
  exactly the dump; ``pg_restore --clean --single-transaction`` restores all or nothing.
  Both programs are taken from PATH (the postgresql-client package of the server's
  version).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from app.backup.archive import DATABASE_MEMBERS, BackupRefused

# The tables whose row counts the manifest keeps and a restore checks, with their names.
MAIN_TABLES = {
    "agency": _l("agencies"),
    "ab_user": _l("user accounts"),
    "citizen": _l("citizens"),
    "petition": _l("petitions"),
    "reception_visit": _l("reception visits"),
    "complaint_dossier": _l("complaint dossiers"),
    "assignment_document": _l("assignment documents"),
    "task": _l("tasks"),
    "task_report": _l("task reports"),
    "stored_file": _l("stored files"),
    "audit_log": _l("audit log entries"),
}


@dataclass(frozen=True)
class DatabaseCopy:
    """A consistent copy of the database and what it holds."""

    kind: str
    path: Path
    counts: dict[str, int]
    revision: str | None
    stored_files: dict[str, str]


def table_counts(connection: Connection) -> dict[str, int]:
    """Rows of each main table (soft-deleted rows included) that exists in the database."""
    present = set(inspect(connection).get_table_names())
    return {
        table: int(connection.scalar(text(f'SELECT COUNT(*) FROM "{table}"')))
        for table in MAIN_TABLES
        if table in present
    }


def database_revision(connection: Connection) -> str | None:
    """The migration revision the database is at (``alembic_version``); None if none."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def stored_file_hashes(connection: Connection) -> dict[str, str]:
    """The SHA-256 recorded for each stored file, by stored name (removed files included:
    records are never hard-deleted, nor is their content)."""
    rows = connection.execute(text("SELECT stored_name, sha256 FROM stored_file"))
    return {name: digest for name, digest in rows}


def describe_counts(counts: dict[str, int]) -> str:
    """ "12 petitions, 3 stored files" in Vietnamese, tables without rows left out."""
    return ", ".join(f"{count} {MAIN_TABLES[table]}" for table, count in counts.items() if count)


def copy_database(engine: Engine, folder: Path) -> DatabaseCopy:
    """A consistent copy of the database in ``folder`` (issue 7: online backup)."""
    if engine.dialect.name == "sqlite":
        return _copy_sqlite(engine, folder)
    if engine.dialect.name == "postgresql":
        return _copy_postgresql(engine, folder)
    raise BackupRefused(
        gettext("Backups support SQLite and PostgreSQL, not %(kind)s.", kind=engine.dialect.name)
    )


def restore_database(engine: Engine, copy: Path, kind: str) -> None:
    """Replace the database's content with ``copy``, all or nothing."""
    engine.dispose()  # no pooled connection of ours keeps a lock or a stale statement
    if kind == "sqlite":
        _restore_sqlite(engine, copy)
    else:
        _run_pg_tool(
            "pg_restore",
            engine,
            ["--clean", "--if-exists", "--no-owner", "--no-privileges"],
            ["--single-transaction", "--exit-on-error", str(copy)],
        )
    engine.dispose()


def _sqlite_file(engine: Engine) -> Path:
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupRefused(gettext("Only an SQLite database kept in a file can be backed up."))
    return Path(name)


def _existing_sqlite_file(engine: Engine) -> Path:
    path = _sqlite_file(engine)
    if not path.is_file():
        raise BackupRefused(gettext("There is no database file %(path)s.", path=path))
    return path


def _sqlite_copy(source_path: str, target_path: Path, *, uri: bool = False) -> None:
    """Copy one SQLite database over another in one step (the target is replaced in one
    write transaction); BackupRefused, the target unchanged, if SQLite refuses."""
    try:
        with (
            closing(sqlite3.connect(source_path, timeout=30, uri=uri)) as source,
            closing(sqlite3.connect(target_path, timeout=30)) as target,
        ):
            source.backup(target)
    except sqlite3.Error as error:
        raise BackupRefused(
            gettext("SQLite refused the copy (%(error)s); nothing was changed.", error=error)
        ) from error


def _copy_sqlite(engine: Engine, folder: Path) -> DatabaseCopy:
    path = folder / DATABASE_MEMBERS["sqlite"]
    _sqlite_copy(str(_existing_sqlite_file(engine)), path)
    copy_engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with copy_engine.connect() as connection:
            counts = table_counts(connection)
            revision = database_revision(connection)
            stored = stored_file_hashes(connection)
            # One self-contained file: no write-ahead log beside it.
            connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
    finally:
        copy_engine.dispose()
    return DatabaseCopy("sqlite", path, counts, revision, stored)


def _restore_sqlite(engine: Engine, copy: Path) -> None:
    target = _sqlite_file(engine)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(f"file:{copy}?mode=ro", target, uri=True)


def _copy_postgresql(engine: Engine, folder: Path) -> DatabaseCopy:
    path = folder / DATABASE_MEMBERS["postgresql"]
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            counts = table_counts(connection)
            revision = database_revision(connection)
            stored = stored_file_hashes(connection)
            _run_pg_tool(
                "pg_dump",
                engine,
                ["--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
                [],
            )
    return DatabaseCopy("postgresql", path, counts, revision, stored)


def _run_pg_tool(program: str, engine: Engine, options: list[str], tail: list[str]) -> None:
    """Run pg_dump or pg_restore on the engine's database (password through the
    environment, never on the command line); BackupRefused with its error otherwise."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupRefused(
            gettext(
                "The program %(program)s was not found on PATH: install the PostgreSQL client "
                "(package postgresql-client) of the server's version; nothing was changed.",
                program=program,
            )
        )
    url = engine.url
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    result = subprocess.run(
        [executable, *options, f"--dbname={target}", *tail],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupRefused(
            gettext(
                "%(program)s failed: %(error)s",
                program=program,
                error=result.stderr.strip()[-1000:],
            )
        )
