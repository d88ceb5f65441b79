"""What a user typed, read into the data the task loop takes (R13, R16, R20).

The entry screens and the REST API send the same field names; this module reads them,
collecting a translated message per field for everything that cannot be read or is
missing (all at once, so the form shows every mistake together) and for the R20
refusals (secrecy grade, no deadline). The rules that need the database — the assigning
agency, subordinates, the user's scope — are the workflow's (app.tasks.workflow).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask_babel import gettext

from app.tasks.choices import DOC_TYPES, ROLES
from app.tasks.workflow import (
    DOCUMENT_TEXTS,
    REPORT_TEXTS,
    AssignmentData,
    DocumentCorrection,
    ReceivingAssignment,
    ReportData,
    TaskRefused,
    check_deadlines,
    check_secrecy,
    required_text,
)
from app.ui.dates import INVALID_DATE, INVALID_DATETIME, parse_vn_date, parse_vn_datetime

Errors = dict[str, str]
T = TypeVar("T")
# Longest "other information" kept.
OTHER_INFO_LIMIT = 4000


def receiver_field(index: int, name: str) -> str:
    """The form name of one receiving agency's field: ``receivers-2-deadline``."""
    return f"receivers-{index}-{name}"


def form_receiver_rows(form: Mapping[str, str]) -> list[dict[str, Any]]:
    """The receiving-agency rows of the entry form, in row order, empty rows left out;
    each row keeps its form index (``row``) so that messages land next to it."""
    indexes = sorted(
        {
            int(key.split("-")[1])
            for key in form
            if key.startswith("receivers-") and key.split("-")[1].isdigit()
        }
    )
    rows = []
    for index in indexes:
        row = {
            name: (form.get(receiver_field(index, name)) or "").strip()
            for name in ("agency_id", "agency_label", "deadline", "role")
        }
        if any(row[name] for name in ("agency_id", "agency_label", "deadline")):
            rows.append({**row, "row": index})
    return rows


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return value.strip() if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def version_of(values: Mapping[str, Any]) -> int | None:
    """The record version the user saw (``version_id``), None when missing."""
    return _int(values.get("version_id"))


def _parsed(
    values: Mapping[str, Any],
    name: str,
    parse: Callable[[str], T],
    invalid: Any,
    errors: Errors,
    missing: str | None = None,
) -> T | None:
    text = _text(values, name)
    if not text:
        if missing:
            errors[name] = missing
        return None
    try:
        return parse(text)
    except ValueError:
        errors[name] = str(invalid)
        return None


def _collect(errors: Errors, check: Callable[[], T]) -> T | None:
    try:
        return check()
    except TaskRefused as refused:
        errors.setdefault(refused.field or "", refused.message)
        return None


def _texts(
    values: Mapping[str, Any], spec: tuple[tuple[str, Any, int], ...], errors: Errors
) -> dict[str, str | None]:
    texts: dict[str, str | None] = {}
    for name, label, limit in spec:
        try:
            texts[name] = required_text(_text(values, name), name, label, limit)
        except TaskRefused as refused:
            errors[name] = refused.message
            texts[name] = None
    return texts


def _receivers(rows: list[Mapping[str, Any]], errors: Errors) -> list[ReceivingAssignment]:
    receivers = []
    for position, row in enumerate(rows):
        index = row.get("row", position)
        agency_id = _int(row.get("agency_id"))
        if agency_id is None:
            errors[receiver_field(index, "agency_id")] = gettext(
                "Choose the agency from the list that appears as you type."
            )
        role = str(row.get("role") or "lead")
        if role not in ROLES:
            errors[receiver_field(index, "role")] = gettext("Choose lead or supporting agency.")
        row_errors: Errors = {}
        deadline = _parsed(row, "deadline", parse_vn_date, INVALID_DATE, row_errors)
        if row_errors:
            errors[receiver_field(index, "deadline")] = row_errors["deadline"]
        if agency_id is not None:
            receivers.append(ReceivingAssignment(agency_id, deadline, role))
    return receivers


def parse_document(
    values: Mapping[str, Any], rows: list[Mapping[str, Any]]
) -> tuple[AssignmentData | None, Errors]:
    """R13, R20: an assignment document as typed (``rows``: the receiving agencies with
    ``agency_id``, ``deadline``, ``role``) and a message per field that is wrong."""
    errors: Errors = {}
    _collect(errors, lambda: check_secrecy(_text(values, "secrecy_grade") or None))
    assigning_id = _int(values.get("assigning_agency_id"))
    if assigning_id is None:
        errors["assigning_agency_id"] = gettext("Choose the assigning agency.")
    issued_at = _parsed(
        values,
        "issued_at",
        parse_vn_datetime,
        INVALID_DATETIME,
        errors,
        gettext("Enter the issue date and time (dd/mm/yyyy hh:mm)."),
    )
    default_deadline = _parsed(values, "default_deadline", parse_vn_date, INVALID_DATE, errors)
    receivers = _receivers(rows, errors)
    if not rows:
        errors["receivers"] = gettext("Choose at least one receiving agency.")
    if "default_deadline" not in errors:
        _collect(errors, lambda: check_deadlines(default_deadline, receivers))
    if _text(values, "doc_type") not in DOC_TYPES:
        errors["doc_type"] = gettext("Choose the type of document.")
    texts = _texts(values, DOCUMENT_TEXTS, errors)
    other_info = _other_info(values, errors)
    if errors:
        return None, errors
    return (
        AssignmentData(
            assigning_agency_id=assigning_id,
            doc_type=_text(values, "doc_type"),
            issued_at=issued_at,
            secrecy_grade=_text(values, "secrecy_grade"),
            default_deadline=default_deadline,
            receivers=receivers,
            other_info=other_info,
            petition_id=_int(values.get("petition_id")),
            **texts,
        ),
        errors,
    )


def _other_info(values: Mapping[str, Any], errors: Errors) -> str | None:
    text = _text(values, "other_info")
    if len(text) > OTHER_INFO_LIMIT:
        errors["other_info"] = gettext("At most %(limit)s characters.", limit=OTHER_INFO_LIMIT)
    return text or None


def parse_correction(values: Mapping[str, Any]) -> tuple[DocumentCorrection | None, Errors]:
    """R13: the corrected descriptive fields of a document and a message per wrong field."""
    errors: Errors = {}
    if _text(values, "doc_type") not in DOC_TYPES:
        errors["doc_type"] = gettext("Choose the type of document.")
    texts = _texts(values, DOCUMENT_TEXTS, errors)
    other_info = _other_info(values, errors)
    if errors:
        return None, errors
    return (
        DocumentCorrection(
            doc_type=_text(values, "doc_type"),
            other_info=other_info,
            petition_id=_int(values.get("petition_id")),
            **texts,
        ),
        errors,
    )


def parse_report(values: Mapping[str, Any]) -> tuple[ReportData | None, Errors]:
    """R16: a report document as typed and a message per wrong field."""
    errors: Errors = {}
    doc_date = _parsed(
        values,
        "doc_date",
        parse_vn_date,
        INVALID_DATE,
        errors,
        gettext("Enter the date of the report document."),
    )
    texts = _texts(values, REPORT_TEXTS, errors)
    other_info = _other_info(values, errors)
    if errors:
        return None, errors
    return ReportData(doc_date=doc_date, other_info=other_info, **texts), errors


def parse_deadline(values: Mapping[str, Any], errors: Errors) -> dt.date | None:
    """The new deadline of an extension (``new_deadline``, dd/mm/yyyy)."""
    return _parsed(
        values,
        "new_deadline",
        parse_vn_date,
        INVALID_DATE,
        errors,
        gettext("Enter the new deadline."),
    )
