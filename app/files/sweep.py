"""Sweeping orphaned upload files (issue 7, Uploads).

A file is written under ``UPLOAD_FOLDER`` before the record naming it is committed
(app.files.storage); a failed transaction discards it, but a worker killed mid-request
leaves the file with no record — an orphan, never shown, never deleted. The sweep finds
the files of the storage layout (``YYYY/MM/<32 hex>.<ext>``, and ``.part`` leftovers of a
write cut short) that are older than ``ORPHAN_AFTER`` and that no ``stored_file`` row
names — soft-deleted rows included, as an administrator may restore them — and moves
them to ``UPLOAD_FOLDER/quarantine/`` under the same name, where an administrator can
still get one back. A referenced file is never moved; a recent one neither (its record
may still be on its way). Run by the daily housekeeping job and by ``flask files sweep``
(a dry run unless ``--apply``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import now_utc
from app.files.models import StoredFile

ORPHAN_AFTER = dt.timedelta(days=1)
QUARANTINE = "quarantine"
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{2}$")
_FILE = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}(\.part)?$")


@dataclass(frozen=True)
class Orphan:
    """A stored file no record names: its name under the storage location, size and
    last change (UTC)."""

    name: str
    size: int
    modified: dt.datetime


def _folders(parent: Path, pattern: re.Pattern[str]) -> list[Path]:
    return sorted(
        p for p in parent.iterdir() if pattern.match(p.name) and p.is_dir() and not p.is_symlink()
    )


def _layout_files(root: Path) -> dict[str, list[Path]]:
    """The files of the storage layout, by month folder ("2026/11/")."""
    months: dict[str, list[Path]] = {}
    if not root.is_dir():
        return months
    for year in _folders(root, _YEAR):
        for month in _folders(year, _MONTH):
            files = [
                path
                for path in sorted(month.iterdir())
                if _FILE.match(path.name) and path.is_file() and not path.is_symlink()
            ]
            if files:
                months[f"{year.name}/{month.name}/"] = files
    return months


def _referenced(session: Session, prefix: str) -> set[str]:
    """The stored names under ``prefix`` that a record names, deleted records included."""
    return set(
        session.scalars(
            select(StoredFile.stored_name)
            .where(StoredFile.stored_name.startswith(prefix, autoescape=True))
            .execution_options(include_deleted=True)
        )
    )


def find_orphans(session: Session, root: Path, now: dt.datetime | None = None) -> list[Orphan]:
    """Issue 7: the files under ``root`` older than ``ORPHAN_AFTER`` that no record names
    (a ``.part`` leftover counts by the name it was being written under)."""
    before = (now or now_utc()) - ORPHAN_AFTER
    orphans = []
    for prefix, files in _layout_files(root).items():
        known = None
        for path in files:
            status = path.stat()
            modified = dt.datetime.fromtimestamp(status.st_mtime, dt.UTC)
            if modified >= before:
                continue
            if known is None:
                known = _referenced(session, prefix)
            name = prefix + path.name
            if name.removesuffix(".part") not in known:
                orphans.append(Orphan(name, status.st_size, modified))
    return orphans


def quarantine(root: Path, orphans: list[Orphan]) -> list[Orphan]:
    """Move each orphan to ``root/quarantine/`` under the same name; those moved (one
    gone meanwhile is skipped)."""
    moved = []
    for orphan in orphans:
        source = root / orphan.name
        target = root / QUARANTINE / orphan.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except FileNotFoundError:
            continue
        moved.append(orphan)
    return moved


def sweep_orphans(session: Session, root: Path, *, apply: bool) -> list[Orphan]:
    """Issue 7: the orphans under ``root``, moved to quarantine when ``apply`` (else only
    listed: a dry run)."""
    orphans = find_orphans(session, root)
    return quarantine(root, orphans) if apply else orphans
