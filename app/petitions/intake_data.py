"""What a clerk gives when receiving a petition, and the errors intake answers with.

The intake screen and the REST API both turn their input into an ``IntakeData``
(app.petitions.validation) and hand it to ``app.petitions.intake.receive_petition``.
Field names are shared by the form, the JSON body and the error dictionaries, so an
error is shown next to the field it is about; a signatory's fields are named
``signatories-<row>-<field>``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The case decision made after the lookup (R6, R12; legal-domain.md §2.5).
NEW_CASE = "new_case"
JOIN_CASE = "join_case"
NEW_CASE_SAME_CITIZEN = "new_case_same_citizen"
CASE_DECISIONS = (NEW_CASE, JOIN_CASE, NEW_CASE_SAME_CITIZEN)

# A kind the intake form offers only to refuse it (R20).
DENUNCIATION = "denunciation"
# Repeat classification that keeps the normal processing (the citizen may complain further).
FURTHER_RIGHT = "further_right"
# TT 07/2014 Art. 6(4): a petition of five or more signatories is a multi-signatory one.
MULTI_SIGNATORY_MIN = 5


def signatory_field(row: int, name: str) -> str:
    """The field name of a signatory's input, e.g. ``signatories-0-id_number``."""
    return f"signatories-{row}-{name}"


@dataclass
class SignatoryData:
    """One person signing the petition, as typed (or an existing citizen in scope)."""

    full_name: str = ""
    id_number: str | None = None
    birth_year: int | None = None
    sex: str | None = None
    phone: str | None = None
    commune_unit_id: int | None = None
    address_detail: str | None = None
    ethnicity: str | None = None
    nationality: str | None = None
    is_representative: bool = False
    # A citizen already registered in the user's scope (chosen from the lookup).
    citizen_id: int | None = None
    # The row of the form or of the JSON list, naming the fields in error messages (when
    # rows repeat, as in data built by code, the position in the list is used instead).
    row: int = 0


@dataclass
class CaseDecision:
    """New case, a repeat joined to an existing case, or a new case for the same citizen."""

    mode: str = NEW_CASE
    case_id: int | None = None
    repeat_kind: str | None = None


@dataclass
class IntakeData:
    """Everything ``receive_petition`` needs; typed values, already parsed."""

    agency_id: int | None = None
    received_at: dt.datetime | None = None
    channel: str = "in_person"
    kind: str = ""
    summary: str = ""
    subject_area_id: int | None = None
    content: str | None = None
    multi_content: bool = False
    contested_act: str | None = None
    contested_author: str | None = None
    anonymous: bool = False
    signatories: list[SignatoryData] = field(default_factory=list)
    # People who signed, when more than the signatories entered one by one.
    signatory_count: int | None = None
    prior_resolution: str = "none"
    source_agency_id: int | None = None
    source_name: str | None = None
    source_doc_number: str | None = None
    source_doc_date: dt.date | None = None
    visit_id: int | None = None
    decision: CaseDecision = field(default_factory=CaseDecision)


class IntakeInvalid(ValueError):
    """The input breaks intake rules; ``errors`` maps each field to its Vietnamese message.
    Nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {text}" for key, text in errors.items()))
        self.errors = errors


class DenunciationRefused(ValueError):
    """R20: denunciations follow separate rules and are not received here; nothing was
    saved. ``message`` is shown to the clerk."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
