"""Backing up and restoring the whole system: database and stored files (issue 7, "Nothing
lost"; R4 one central database, R9 the audit log survives a restore intact, R23).

A backup copies the database first (one consistent moment, app.backup.databases), then
every stored file: files are written before the record that names them is committed and
never changed afterwards, so each file the copied database names is already on disk.

A restore changes nothing until the whole archive has been read and checked (checksums,
database kind, migration revision of this code); a database that already holds data is
replaced only when the caller says so. Files come back first and are removed again if the
database cannot be restored; the database is restored all or nothing; the row counts are
then compared with the manifest and the restore is appended to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from flask_babel import gettext
from sqlalchemy.engine import Engine

from app.audit.chain import append_entries
from app.backup.archive import (
    FILES_PREFIX,
    BackupRefused,
    Manifest,
    staged_files,
    unpack_checked,
    write_archive,
)
from app.backup.databases import (
    copy_database,
    describe_counts,
    restore_database,
    table_counts,
)
from app.core.actor import Actor
from app.core.clock import now_utc

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
# The audit action recorded when the database is replaced by a backup.
DATABASE_RESTORED = "database_restore"


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put back."""

    manifest: Manifest
    counts: dict[str, int]
    files_written: int


def app_version() -> str:
    """The application's version (pyproject.toml)."""
    with (PROJECT_DIR / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def code_revision(migrations_directory: str | Path) -> str | None:
    """The migration revision this code's models are at (the head of ``migrations/``)."""
    return ScriptDirectory(str(migrations_directory)).get_current_head()


def default_archive_path(folder: Path, kind: str, moment: dt.datetime) -> Path:
    """``donthu-<kind>-YYYYmmdd-HHMMSS.tar.gz`` in ``folder``."""
    return folder / f"donthu-{kind}-{moment:%Y%m%d-%H%M%S}.tar.gz"


def _stored_files(upload_folder: Path) -> list[tuple[str, Path]]:
    """Every stored file (by stored name), leaving out writes still in progress."""
    if not upload_folder.is_dir():
        return []
    return sorted(
        (path.relative_to(upload_folder).as_posix(), path)
        for path in upload_folder.rglob("*")
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".part")
    )


def create_backup(engine: Engine, upload_folder: Path, destination: Path) -> Manifest:
    """Issue 7: write the database and the stored files into one archive at
    ``destination``; return its manifest, which names the files the database records but
    the storage location lacks or holds with other content (the archive is still written:
    it is the best copy there is)."""
    if destination.resolve().is_relative_to(upload_folder.resolve()):
        raise BackupRefused(
            gettext(
                "Write the backup outside the storage location of the files (%(folder)s).",
                folder=upload_folder,
            )
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as folder:
        copy = copy_database(engine, Path(folder))
        manifest = Manifest(
            app_version=app_version(),
            migration_revision=copy.revision,
            database=copy.kind,
            created_at=now_utc().isoformat(),
            counts=copy.counts,
            members={},
        )
        return write_archive(
            destination, copy.path, _stored_files(upload_folder), manifest, copy.stored_files
        )


def _check_compatible(manifest: Manifest, engine: Engine, expected_revision: str | None) -> None:
    if manifest.database != engine.dialect.name:
        raise BackupRefused(
            gettext(
                "The archive holds a %(archive)s database but this system runs on %(kind)s; "
                "nothing was restored.",
                archive=manifest.database,
                kind=engine.dialect.name,
            )
        )
    if manifest.migration_revision != expected_revision:
        raise BackupRefused(
            gettext(
                "The archive was made at migration revision %(archive)s but this code is at "
                "%(code)s: restore it with the version of the application that made it, then "
                "run flask db upgrade; nothing was restored.",
                archive=manifest.migration_revision or "—",
                code=expected_revision or "—",
            )
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _put_files(staging: Path, upload_folder: Path, manifest: Manifest) -> list[Path]:
    """Copy the archive's stored files into place, but for those already there with the
    same content; return the files written."""
    written: list[Path] = []
    try:
        for name, source in staged_files(staging):
            target = upload_folder / name
            if target.is_file() and _sha256(target) == manifest.members[FILES_PREFIX + name]:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            shutil.copyfile(source, partial)
            os.chmod(partial, 0o640)
            os.replace(partial, target)
            written.append(target)
    except BaseException:
        _remove(written)
        raise
    return written


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def restore_backup(
    archive: Path,
    engine: Engine,
    upload_folder: Path,
    *,
    expected_revision: str | None,
    overwrite: bool,
    actor: Actor,
) -> RestoreReport:
    """Issue 7: restore the database and the stored files from ``archive``.

    BackupRefused, with nothing changed, when the archive is damaged or altered, is of
    another database kind or migration revision, or when the database holds data and
    ``overwrite`` is false. R9: the restored audit chain is the archived one, followed by
    one entry recording the restore.
    """
    if not archive.is_file():
        raise BackupRefused(gettext("There is no file %(path)s.", path=archive))
    with tempfile.TemporaryDirectory(prefix="donthu-restore-") as folder:
        staging = Path(folder)
        manifest = unpack_checked(archive, staging)
        _check_compatible(manifest, engine, expected_revision)
        with engine.connect() as connection:
            present = table_counts(connection)
        if any(present.values()) and not overwrite:
            raise BackupRefused(
                gettext(
                    "The database already holds data (%(counts)s). Run the command again with "
                    "--yes to replace it with the backup; nothing was restored.",
                    counts=describe_counts(present),
                )
            )
        written = _put_files(staging, upload_folder, manifest)
        try:
            restore_database(engine, staging / manifest.database_member, manifest.database)
        except BaseException:
            _remove(written)
            raise
    with engine.begin() as connection:
        counts = table_counts(connection)
        append_entries(connection, [_restore_entry(archive, manifest, actor)])
    if counts != manifest.counts:
        raise BackupRefused(
            gettext(
                "The database was restored but holds %(counts)s where the archive says "
                "%(expected)s: check the archive and the database.",
                counts=describe_counts(counts),
                expected=describe_counts(manifest.counts),
            )
        )
    return RestoreReport(manifest, counts, len(written))


def _restore_entry(archive: Path, manifest: Manifest, actor: Actor) -> dict:
    """R9: the audit entry recording that the database was replaced by a backup."""
    return {
        "at": now_utc(),
        "user_id": actor.user_id,
        "username": actor.username,
        "agency_id": actor.agency_id,
        "action": DATABASE_RESTORED,
        "table_name": "database",
        "record_id": None,
        "record_label": archive.name[:255],
        "record_agency_id": None,
        "changes": {
            "archive": archive.name,
            "created_at": manifest.created_at,
            "migration_revision": manifest.migration_revision,
            "counts": manifest.counts,
        },
    }
