"""What a file really is, read from its content (issue 7, Uploads: types checked by
content, not just the name).

Accepted: PDF, JPEG, PNG, Word (.docx), Excel (.xlsx) and plain UTF-8 text. An Office
file is a zip holding ``[Content_Types].xml`` and its main part (``word/document.xml``,
``xl/workbook.xml``); only the zip's directory is read, nothing is extracted. Old binary
Office formats (.doc, .xls), which may carry macros, are not accepted.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}


@dataclass(frozen=True)
class FileType:
    """An accepted type: its code, MIME type, name extensions and the name users know."""

    code: str
    mimetype: str
    extensions: tuple[str, ...]
    label: str


FILE_TYPES: dict[str, FileType] = {
    file_type.code: file_type
    for file_type in (
        FileType("pdf", "application/pdf", (".pdf",), "PDF"),
        FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"), "ảnh JPEG"),
        FileType("png", "image/png", (".png",), "ảnh PNG"),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
            "Word (.docx)",
        ),
        FileType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
            "Excel (.xlsx)",
        ),
        FileType("text", "text/plain", (".txt",), "văn bản (.txt)"),
    )
}


def type_for_extension(extension: str) -> FileType | None:
    """The accepted type a name extension (".pdf") announces, if any."""
    extension = extension.lower()
    return next((t for t in FILE_TYPES.values() if extension in t.extensions), None)


def _office_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return FILE_TYPES["docx"]
    if "xl/workbook.xml" in names:
        return FILE_TYPES["xlsx"]
    return None


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(
        unicodedata.category(char) == "Cc" and char not in _TEXT_CONTROLS for char in text
    )


def detect_type(data: bytes) -> FileType | None:
    """The accepted type ``data`` is, judged by its content only; None when none fits."""
    if data.startswith(_PDF):
        return FILE_TYPES["pdf"]
    if data.startswith(_JPEG):
        return FILE_TYPES["jpeg"]
    if data.startswith(_PNG):
        return FILE_TYPES["png"]
    if data.startswith(_ZIP):
        return _office_type(data)
    if _is_text(data):
        return FILE_TYPES["text"]
    return None
