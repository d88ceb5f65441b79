"""Text is stored composed (Unicode NFC), whatever the keyboard sent (issue 7, Bad input).

Vietnamese can be typed precomposed ("ế", one code point, NFC) or decomposed ("e" +
circumflex + acute, NFD: some macOS and mobile keyboards, text pasted from PDFs). Both
look the same but compare, sort, search and count differently. A ``before_flush``
listener composes every text column of every new or changed record before it is written,
so forms, REST and imports all store NFC and the audit log records what is stored.
Bulk statements (``insert().values``) bypass it: their callers compose their values.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session


def nfc(value: str) -> str:
    """``value`` composed (NFC); the same object when it already is."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def _compose(session: Session, _context: Any, _instances: Any) -> None:
    for record in (*session.new, *session.dirty):
        state = inspect(record)
        for attr in state.mapper.column_attrs:
            if not isinstance(attr.columns[0].type, String):
                continue
            if record not in session.new and not state.attrs[attr.key].history.has_changes():
                continue
            value = state.dict.get(attr.key)
            if isinstance(value, str) and (composed := nfc(value)) is not value:
                setattr(record, attr.key, composed)


def install_nfc_text() -> None:
    """Compose the text of every record before each flush (idempotent)."""
    if not event.contains(Session, "before_flush", _compose):
        event.listen(Session, "before_flush", _compose)
