"""The backup archive (issue 7, "Nothing lost"): one ``.tar.gz`` holding

- the database: ``database.sqlite3`` (an SQLite copy) or ``database.pgdump`` (pg_dump's
  custom format);
- the stored files under ``files/``, by their stored names (``files/2026/11/<hex>.pdf``);
- ``manifest.json``, written last: application version, migration revision, database
  kind, creation time, row counts of the main tables and the SHA-256 of every other member.

Reading checks everything before anything is changed: each member is unpacked into a
staging folder while it is hashed, and the archive is refused when it cannot be read, holds
a member it should not (a link, a path outside ``files/``), or when the members and the
manifest's checksums differ in any way.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import os
import tarfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask_babel import gettext

MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupRefused(ValueError):
    """A backup or restore cannot go on; ``message`` (Vietnamese) says why. Nothing was
    changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Manifest:
    """What an archive holds and the checksum of each member."""

    app_version: str
    migration_revision: str | None
    database: str
    created_at: str
    counts: dict[str, int]
    members: dict[str, str]
    missing_files: tuple[str, ...] = ()
    damaged_files: tuple[str, ...] = ()

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.database]

    @property
    def file_count(self) -> int:
        return sum(1 for name in self.members if name.startswith(FILES_PREFIX))

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "application": "donthu",
            "app_version": self.app_version,
            "migration_revision": self.migration_revision,
            "database": self.database,
            "created_at": self.created_at,
            "counts": self.counts,
            "members": self.members,
            "missing_files": list(self.missing_files),
            "damaged_files": list(self.damaged_files),
        }
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """The manifest of an archive; BackupRefused when it is not one of ours."""
        try:
            document = json.loads(data)
            if document.get("format") != FORMAT or document.get("database") not in (
                DATABASE_MEMBERS
            ):
                raise ValueError("unknown format")
            return cls(
                app_version=str(document["app_version"]),
                migration_revision=document["migration_revision"],
                database=document["database"],
                created_at=str(document["created_at"]),
                counts={str(k): int(v) for k, v in document["counts"].items()},
                members={str(k): str(v) for k, v in document["members"].items()},
                missing_files=tuple(document.get("missing_files", ())),
                damaged_files=tuple(document.get("damaged_files", ())),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupRefused(
                gettext("The archive's manifest cannot be read: this is not a backup archive.")
            ) from error


class _HashingReader:
    """A file read once, for tarfile, while its SHA-256 is computed."""

    def __init__(self, handle: IO[bytes]):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o640
    return info


def write_archive(
    destination: Path,
    database_file: Path,
    files: Iterable[tuple[str, Path]],
    manifest: Manifest,
    recorded: dict[str, str],
) -> Manifest:
    """Write the archive at ``destination`` (never over an existing file): the database
    file, each stored file (``files`` gives the stored name and where it lies) and the
    manifest, completed with the checksum of every member and the files the database
    records (``recorded``: stored name → SHA-256) that are missing or whose content
    differs. Written under a ``.part`` name and renamed when complete, so an interrupted
    backup never looks like a finished one; readable by its owner only (it holds
    citizens' personal data)."""
    if destination.exists():
        raise BackupRefused(
            gettext("The file %(path)s already exists; choose another name.", path=destination)
        )
    partial = destination.with_name(destination.name + ".part")
    members: dict[str, str] = {}
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar,
        ):
            sources = [(manifest.database_member, database_file)]
            sources += [(FILES_PREFIX + name, path) for name, path in files]
            for member, path in sources:
                try:
                    handle = path.open("rb")
                except FileNotFoundError:
                    continue  # a file discarded by a failed transaction since it was listed
                with handle:
                    status = os.fstat(handle.fileno())
                    reader = _HashingReader(handle)
                    tar.addfile(_tarinfo(member, status.st_size, status.st_mtime), reader)
                members[member] = reader.digest.hexdigest()
            complete = dataclasses.replace(
                manifest,
                members=members,
                missing_files=tuple(
                    sorted(name for name in recorded if FILES_PREFIX + name not in members)
                ),
                damaged_files=tuple(
                    sorted(
                        name
                        for name, digest in recorded.items()
                        if members.get(FILES_PREFIX + name, digest) != digest
                    )
                ),
            )
            data = complete.to_json()
            tar.addfile(
                _tarinfo(MANIFEST, len(data), os.path.getmtime(database_file)), io.BytesIO(data)
            )
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return complete


def _checked_name(member: tarfile.TarInfo) -> str:
    """The member's name when it is one an archive of ours may hold; BackupRefused else."""
    name = member.name
    allowed = name in (MANIFEST, *DATABASE_MEMBERS.values())
    if name.startswith(FILES_PREFIX) and "\\" not in name and "\x00" not in name:
        parts = name[len(FILES_PREFIX) :].split("/")
        allowed = all(part not in ("", ".", "..") for part in parts)
    if not (allowed and member.isfile()):
        raise BackupRefused(
            gettext(
                "The archive holds “%(name)s”, which a backup never holds; it was refused.",
                name=name,
            )
        )
    return name


def _damaged(archive: Path) -> BackupRefused:
    return BackupRefused(
        gettext(
            "The archive %(path)s is damaged or incomplete and cannot be read; nothing was "
            "restored.",
            path=archive,
        )
    )


def unpack_checked(archive: Path, staging: Path) -> Manifest:
    """Unpack ``archive`` into ``staging`` and return its manifest once every member has
    the checksum the manifest gives and nothing is missing or extra (issue 7)."""
    hashes: dict[str, str] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = _checked_name(member)
                if name in hashes:
                    raise _damaged(archive)
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = tar.extractfile(member)
                with source, target.open("wb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                hashes[name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise _damaged(archive) from error
    if MANIFEST not in hashes:
        raise _damaged(archive)
    del hashes[MANIFEST]
    manifest = Manifest.from_json((staging / MANIFEST).read_bytes())
    if hashes != manifest.members or manifest.database_member not in hashes:
        changed = sorted(set(hashes) ^ set(manifest.members)) or sorted(
            name for name in hashes if hashes[name] != manifest.members.get(name)
        )
        raise BackupRefused(
            gettext(
                "The archive does not match its manifest (%(names)s): it was altered or "
                "damaged; nothing was restored.",
                names=", ".join(changed[:5]) or manifest.database_member,
            )
        )
    return manifest


def staged_files(staging: Path) -> list[tuple[str, Path]]:
    """The stored files unpacked into ``staging``: (stored name, where it lies)."""
    root = staging / FILES_PREFIX
    return sorted(
        (path.relative_to(root).as_posix(), path) for path in root.rglob("*") if path.is_file()
    )
