"""Attachments of a petition: the papers a citizen hands in, scanned or as files (issue 3).

Storage rules are app.files (content-checked types, size limit, generated names, PDF
signatures); this module ties files to a petition and writes each change into the
petition's history (R9). Originals handed in are flagged and marked when handed back
(TT 07/2014 Art. 10: returned at once when the petition is not accepted, after the
resolution decision when it is). Services flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from app.files.access import files_of, mark_original_returned, remove_file
from app.files.models import StoredFile
from app.files.storage import Incoming, store_files
from app.petitions.events import record_event
from app.petitions.models import Petition


def petition_attachments(session: Session, petition: Petition) -> list[StoredFile]:
    """The petition's files, oldest first (removed ones left out)."""
    return files_of(session, petition)


def add_attachments(
    session: Session,
    petition: Petition,
    uploads: list[Incoming],
    user: Any,
    *,
    is_original: bool = False,
) -> list[StoredFile]:
    """Store the uploads on the petition, all or none (app.files.storage.store_files), and
    log them in its history."""
    stored = store_files(session, petition, petition.agency_id, uploads, is_original=is_original)
    names = ", ".join(file.original_name for file in stored)
    record_event(session, petition, user, "attachments_added", note=names)
    session.flush()
    return stored


def _check_owner(petition: Petition, stored: StoredFile) -> None:
    if (stored.owner_table, stored.owner_id) != (Petition.__tablename__, petition.id):
        raise ValueError(f"file {stored.id} does not belong to petition {petition.id}")


def remove_attachment(session: Session, petition: Petition, stored: StoredFile, user: Any) -> None:
    """R9: soft-delete one of the petition's files and log it in its history."""
    _check_owner(petition, stored)
    remove_file(session, stored)
    record_event(session, petition, user, "attachment_removed", note=stored.original_name)
    session.flush()


def return_original(
    session: Session, petition: Petition, stored: StoredFile, user: Any, on: dt.date
) -> None:
    """TT 07/2014 Art. 10: record that an original paper was handed back on ``on``."""
    _check_owner(petition, stored)
    mark_original_returned(session, stored, on)
    record_event(session, petition, user, "original_returned", note=stored.original_name)
    session.flush()
