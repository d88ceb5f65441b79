"""Storing uploaded files (issue 7, Uploads; R23).

- The type is judged by content (app.files.sniff) and must be the one the name announces:
  a text file renamed ``.pdf`` is refused; so is an empty file, a file above
  ``UPLOAD_MAX_FILE_SIZE`` and a PDF whose structure cannot be read.
- Files live under ``UPLOAD_FOLDER`` (outside the web root; one location shared by every
  instance) in dated folders under generated names (``2026/11/<32 hex>.pdf``): the name a
  user gives never reaches the file system, so no path trick can. It is kept, cleaned, as
  the download name.
- The SHA-256 of the content is stored; PDF signatures are read into ``signature_info``
  (unsigned is flagged, not refused).

Services flush; the caller commits, and calls ``discard`` on the files written when the
transaction fails, so that no orphan stays on disk.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask import Flask, current_app
from flask_babel import gettext
from sqlalchemy.orm import Session

from app.core.clock import now_local
from app.files.models import StoredFile
from app.files.signatures import UnreadablePdf, load_trust_roots, read_signatures
from app.files.sniff import FILE_TYPES, FileType, detect_type, type_for_extension

_STORED_NAME = re.compile(r"^\d{4}/\d{2}/[0-9a-f]{32}\.[a-z]{3,4}$")
_NAME_LIMIT = 255
_CHUNK = 64 * 1024


class UploadRefused(ValueError):
    """An upload breaks a rule; ``message`` (Vietnamese) says which file and why. Nothing
    was stored."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Incoming:
    """A file as received: the name the user's computer gave it and its content."""

    filename: str
    data: bytes


def max_file_size() -> int:
    """The largest accepted file, in bytes (config ``UPLOAD_MAX_FILE_SIZE``)."""
    return int(current_app.config["UPLOAD_MAX_FILE_SIZE"])


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")


def read_limited(stream: IO[bytes], filename: str) -> bytes:
    """Read an uploaded stream, refusing it as soon as it exceeds the size limit."""
    limit = max_file_size()
    chunks, total = [], 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise UploadRefused(
                gettext(
                    "The file “%(name)s” is larger than the limit of %(limit)s MB.",
                    name=filename,
                    limit=_megabytes(limit),
                )
            )
        chunks.append(chunk)
    return b"".join(chunks)


def clean_name(filename: str) -> str:
    """The name to keep for download: the last path part, NFC, without control characters
    or leading dots, at most 255 characters. A NUL byte or nothing left is refused."""
    if "\x00" in (filename or ""):
        raise UploadRefused(gettext("The file name contains forbidden characters."))
    name = re.split(r"[\\/]", unicodedata.normalize("NFC", filename or ""))[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if not name:
        raise UploadRefused(gettext("The file has no valid name."))
    stem, extension = os.path.splitext(name)
    if len(name) > _NAME_LIMIT:
        name = stem[: _NAME_LIMIT - len(extension)] + extension
    return name


def _accepted_list() -> str:
    return ", ".join(file_type.label for file_type in FILE_TYPES.values())


def check_upload(incoming: Incoming) -> tuple[str, FileType]:
    """Issue 7: the cleaned name and the type of an acceptable file; UploadRefused with a
    Vietnamese message otherwise (empty, too large, type not accepted or not what the
    name says)."""
    name = clean_name(incoming.filename)
    if not incoming.data:
        raise UploadRefused(gettext("The file “%(name)s” is empty.", name=name))
    if len(incoming.data) > max_file_size():
        raise UploadRefused(
            gettext(
                "The file “%(name)s” is larger than the limit of %(limit)s MB.",
                name=name,
                limit=_megabytes(max_file_size()),
            )
        )
    announced = type_for_extension(os.path.splitext(name)[1])
    if announced is None:
        raise UploadRefused(
            gettext(
                "The file “%(name)s” is not of an accepted type. Accepted: %(types)s.",
                name=name,
                types=_accepted_list(),
            )
        )
    actual = detect_type(incoming.data)
    if actual != announced:
        raise UploadRefused(
            gettext(
                "The content of “%(name)s” is not %(type)s; the file was refused.",
                name=name,
                type=announced.label,
            )
        )
    return name, actual


def _signature_info(data: bytes, name: str) -> dict[str, Any]:
    roots = load_trust_roots(current_app.config.get("SIGNATURE_TRUST_ROOTS", []))
    try:
        return read_signatures(data, roots)
    except UnreadablePdf as error:
        raise UploadRefused(
            gettext("The PDF file “%(name)s” is damaged and cannot be read.", name=name)
        ) from error


def upload_root() -> Path:
    """The storage location of every instance (config ``UPLOAD_FOLDER``)."""
    return Path(current_app.config["UPLOAD_FOLDER"])


def check_upload_root_not_served(app: Flask) -> None:
    """Uploads (R23): refuse to start when ``UPLOAD_FOLDER`` lies inside a folder the
    application serves as static files (its own, FAB's, a blueprint's), where a stored
    file could be fetched without the scope check and the attachment answer."""
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    served = [app.static_folder] + [bp.static_folder for bp in app.blueprints.values()]
    for folder in filter(None, served):
        if root.is_relative_to(Path(folder).resolve()):
            raise RuntimeError(
                f"UPLOAD_FOLDER {root} lies inside the static folder {folder}: "
                "stored files would be served to anyone. Choose a folder outside it."
            )


def stored_path(stored: StoredFile) -> Path:
    """Where a stored file's content lies; ValueError for a stored name that is not one of
    ours (never a path outside the storage location)."""
    if not _STORED_NAME.fullmatch(stored.stored_name or ""):
        raise ValueError(f"not a stored file name: {stored.stored_name!r}")
    return upload_root() / stored.stored_name


def _write(data: bytes, extension: str) -> str:
    """Write ``data`` under a new generated name in this month's folder; return the name."""
    today = now_local()
    stored_name = f"{today:%Y}/{today:%m}/{uuid.uuid4().hex}{extension}"
    target = upload_root() / stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(partial, target)
    return stored_name


def store_files(
    session: Session,
    owner: Any,
    agency_id: int,
    uploads: Iterable[Incoming],
    *,
    purpose: str = "attachment",
    is_original: bool = False,
) -> list[StoredFile]:
    """Store every upload for ``owner`` (a saved record) or none: all are checked first,
    the first refusal raises UploadRefused and nothing is written (issue 7)."""
    uploads = list(uploads)
    if not uploads:
        raise UploadRefused(gettext("Choose at least one file."))
    checked = []
    for incoming in uploads:
        name, file_type = check_upload(incoming)
        info = _signature_info(incoming.data, name) if file_type.code == "pdf" else None
        checked.append((incoming, name, file_type, info))
    stored: list[StoredFile] = []
    try:
        for incoming, name, file_type, info in checked:
            record = StoredFile(
                owner_table=type(owner).__tablename__,
                owner_id=owner.id,
                agency_id=agency_id,
                purpose=purpose,
                original_name=name,
                stored_name=_write(incoming.data, file_type.extensions[0]),
                content_type=file_type.mimetype,
                size=len(incoming.data),
                sha256=hashlib.sha256(incoming.data).hexdigest(),
                is_original_document=is_original,
                signature_info=info,
            )
            stored.append(record)
            session.add(record)
        session.flush()
    except Exception:
        discard(stored)
        raise
    return stored


def discard(files: Iterable[StoredFile]) -> None:
    """Remove the content of files whose record was not saved (a failed transaction)."""
    for stored in files:
        try:
            stored_path(stored).unlink(missing_ok=True)
        except ValueError:
            continue
