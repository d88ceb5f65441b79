"""The JSON records sent to the national database (national-database.md).

No official specification of the national database's interface is public: the shape
below is our own, built from the fields the public code of two provincial products
sends (national-database.md, "five kinds of record"). ASSUMED (unverified) marks a field
name, code or structure the document does not state. Every record is an envelope::

    {"schema": "donthu.national/1", "record_type": "case", "message_id": "…",
     "national_case_id": null, "local_ref": {…}, "reporting_agency": {…}, "data": {…}}

``national_case_id`` is filled when the record is sent (app.outbox.sender): the id the
national database returned for the petition's case record. Codes of agencies, subject
areas and petition kinds go through the mapping table (``NationalCode``); a code not
mapped is sent as the local one with ``"mapped": false``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.complaints.models import ComplaintDossier, Enforcement, ResolutionDecision
from app.core.clock import to_local
from app.files.models import StoredFile
from app.geography.models import AdminUnit
from app.outbox.models import (
    ACCEPTANCE,
    CASE,
    ENFORCEMENT,
    PROCESSING,
    RESOLUTION,
    NationalCode,
)
from app.petitions.models import Petition

SCHEMA = "donthu.national/1"
# ASSUMED: the national source codes; local channels map onto the three the document
# names (direct, post, forwarded), online counted as direct.
SOURCES = {
    "in_person": "direct",
    "online": "direct",
    "post": "post",
    "forwarded": "forwarded",
    "other": "other",
}


def _value(value: Any) -> Any:
    """Dates as ISO text, amounts as exact decimal text (JSON has no decimal type)."""
    if isinstance(value, dt.datetime):
        return to_local(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


@dataclass(frozen=True)
class _ReadOnce:
    codes: dict[tuple[str, str], str]
    new_petition_ids: frozenset[int]


_READ_ONCE = "outbox.payloads.read_once"


def national_codes(session: Session) -> dict[tuple[str, str], str]:
    """R7: the whole code mapping, ``(kind, local code) -> national code``."""
    return {
        (kind, local): national
        for kind, local, national in session.execute(
            select(NationalCode.kind, NationalCode.local_code, NationalCode.national_code)
        )
    }


@contextmanager
def lookups_read_once(
    session: Session, new_petition_ids: Collection[int], codes: dict[tuple[str, str], str]
) -> Iterator[None]:
    """R7: while the payloads of many petitions the caller has just inserted (a bulk
    import) are built, the code mapping is the one the caller read once
    (``national_codes``) and no query looks for attachments: new petitions have none."""
    session.info[_READ_ONCE] = _ReadOnce(codes, frozenset(new_petition_ids))
    try:
        yield
    finally:
        session.info.pop(_READ_ONCE, None)


def national_code(session: Session, kind: str, local_code: str | None) -> dict[str, Any] | None:
    """``{"code", "local_code", "mapped"}`` of a local code through the mapping table."""
    if local_code is None:
        return None
    read_once = session.info.get(_READ_ONCE)
    if read_once is not None:
        mapped = read_once.codes.get((kind, local_code))
    else:
        mapped = session.scalar(
            select(NationalCode.national_code).where(
                NationalCode.kind == kind, NationalCode.local_code == local_code
            )
        )
    return {"code": mapped or local_code, "local_code": local_code, "mapped": mapped is not None}


def _agency(session: Session, agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {**national_code(session, "agency", agency.code), "name": agency.name}


def _unit_codes(unit: AdminUnit | None) -> dict[str, str | None]:
    """Province, district and commune codes of an address (2017 three tiers; since the
    2025 reform a commune sits directly under its province and has no district)."""
    codes: dict[str, str | None] = {"province": None, "district": None, "commune": None}
    while unit is not None:
        if unit.level in codes:
            codes[unit.level] = unit.code
        unit = unit.parent
    return codes


def _complainants(petition: Petition) -> list[dict[str, Any]]:
    people = []
    for signatory in petition.signatories:
        citizen = signatory.citizen
        codes = _unit_codes(citizen.commune)
        people.append(
            {
                "full_name": citizen.full_name,
                "id_number": citizen.id_number,
                "id_kind": citizen.id_kind,
                # ASSUMED: the document asks for the ID's issue date and place; they are
                # not recorded locally and are sent empty.
                "id_issued_on": None,
                "id_issued_by": None,
                "sex": citizen.sex,
                "birth_year": citizen.birth_year,
                "ethnicity": citizen.ethnicity,
                "nationality": citizen.nationality,
                "province_code": codes["province"] or citizen.province_code,
                "district_code": codes["district"],
                "commune_code": codes["commune"],
                "address": citizen.address_detail,
                "is_representative": signatory.is_representative,
            }
        )
    return people


def _file(stored: StoredFile) -> dict[str, Any]:
    return {
        "name": stored.original_name,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
    }


def _attachments(session: Session, petition: Petition) -> list[dict[str, Any]]:
    read_once = session.info.get(_READ_ONCE)
    if read_once is not None and petition.id in read_once.new_petition_ids:
        return []
    files = session.scalars(
        select(StoredFile)
        .where(StoredFile.owner_table == "petition", StoredFile.owner_id == petition.id)
        .order_by(StoredFile.id)
    )
    return [_file(stored) for stored in files]


def _reception(petition: Petition) -> dict[str, Any] | None:
    visit = petition.visit
    if visit is None:
        return None
    return {
        "received_by_leader_in_person": visit.leader_in_person,
        "delegated": visit.delegated,
        "periodic": visit.reception_type == "leader_periodic",
        "official_name": visit.official_name,
        "people_count": visit.people_count,
    }


def case_data(session: Session, petition: Petition) -> dict[str, Any]:
    """Record 1, the case: receipt, source, complainants, the act complained about,
    previous handling, classification and attachments."""
    area = petition.subject_area
    representatives = sum(1 for signatory in petition.signatories if signatory.is_representative)
    return {
        "received_at": _value(petition.received_at),
        "register_number": petition.register_code,
        "reception": _reception(petition),
        "source": {
            "kind": SOURCES.get(petition.channel, "other"),
            "forwarding_agency": _agency(session, petition.source_agency),
            "forwarding_agency_name": petition.source_name,
            "incoming_doc_number": petition.source_doc_number,
            "incoming_doc_date": _value(petition.source_doc_date),
        },
        "anonymous": petition.anonymous,
        "complainant_count": petition.signatory_count,
        "representative_count": representatives,
        "complainants": _complainants(petition),
        "complained_about": {
            "act": petition.contested_act,
            "author": petition.contested_author,
        },
        # ASSUMED: no authorised representative (người được ủy quyền) is recorded locally.
        "authorised_representative": None,
        # ASSUMED: the document asks for the previous agency, instance and decision; only
        # the resolution status at receipt is recorded locally (app.petitions.choices).
        "previous_handling": {"status": petition.prior_resolution},
        # ASSUMED: the three levels are kind, subject-area group and subject area.
        "classification": {
            "level_1": national_code(session, "petition_kind", petition.kind),
            "level_2": area.group_2021 if area is not None else None,
            "level_3": national_code(session, "subject_area", area.code) if area else None,
        },
        "summary": petition.summary,
        "content": petition.content,
        "repeat": {"is_repeat": petition.is_repeat, "repeat_kind": petition.repeat_kind},
        # Filled when sent: the national case of an earlier petition of the same case.
        "attach_to_national_case": None,
        "attachments": _attachments(session, petition),
    }


def processing_data(session: Session, petition: Petition) -> dict[str, Any]:
    """Record 2, the processing result (xử lý đơn, TT 07/2014 Art. 6–9, 21–28)."""
    reason = petition.outcome_reason
    return {
        "processed_at": _value(petition.processed_at),
        "eligible": petition.eligible,
        "competent": petition.competent,
        # ASSUMED: the national outcome codes are the local ones.
        "outcome": petition.status,
        "reason": {"code": reason.code, "name": reason.name} if reason is not None else None,
        "note": petition.outcome_note,
        "target_agency": _agency(session, petition.target_agency),
        "target_name": petition.target_name,
        "document_number": petition.outcome_doc_number,
    }


def acceptance_data(session: Session, dossier: ComplaintDossier) -> dict[str, Any]:
    """Record 3, the acceptance decision (thụ lý or not, Luật KN Art. 11, 27, 36), with
    the resolution deadline."""
    ground = dossier.non_acceptance_ground
    accepted = dossier.status != "not_accepted"
    return {
        "instance": dossier.instance,
        "accepted": accepted,
        "decided_on": _value(dossier.accepted_on if accepted else dossier.not_accepted_on),
        "notice_number": dossier.acceptance_notice_number,
        "resolution_due": _value(dossier.resolution_due),
        "non_acceptance_ground": (
            {"code": ground.code, "name": ground.name, "legal_ref": ground.legal_ref}
            if ground is not None
            else None
        ),
        # ASSUMED: no approver is recorded with the acceptance; the agency that decided
        # is sent, and the notice number identifies the signed notice.
        "approver": _agency(session, dossier.agency),
    }


_DECISION_FIGURES = (
    "money_to_state",
    "land_to_state",
    "money_to_organisations",
    "land_to_organisations",
    "money_to_individuals",
    "land_to_individuals",
    "organisations_restored",
    "individuals_restored",
    "persons_for_sanction",
    "officials_for_sanction",
    "cases_to_investigators",
    "persons_to_investigators",
    "officials_to_investigators",
)


def resolution_data(decision: ResolutionDecision) -> dict[str, Any]:
    """Record 4, the resolution decision (Luật KN Art. 31, 40) and its results as the
    forms count them (money in million VND, land in m²)."""
    return {
        "instance": decision.dossier.instance,
        "number": decision.number,
        "decided_on": _value(decision.decided_on),
        "signer": decision.signer,
        "mode": decision.mode,
        "result": decision.result,
        "in_time": decision.in_time,
        "sent_to_parties_on": _value(decision.sent_to_parties_on),
        "results": {name: _value(getattr(decision, name)) for name in _DECISION_FIGURES},
    }


def enforcement_data(enforcement: Enforcement) -> dict[str, Any]:
    """Record 5, enforcement of the decision (Luật KN Art. 46; form 02/KQGQ)."""
    figures = {
        column.key: _value(getattr(enforcement, column.key))
        for column in Enforcement.__table__.columns
        if column.key.startswith(("money", "land", "persons", "officials", "cases"))
    }
    return {
        "decision_number": enforcement.decision.number,
        "decided_on": _value(enforcement.decision.decided_on),
        "done": enforcement.done,
        "done_on": _value(enforcement.done_on),
        "figures": figures,
    }


def source_of(kind: str, record: Any) -> tuple[Petition, Agency]:
    """The petition a record belongs to and the agency whose record it is."""
    if kind in (CASE, PROCESSING):
        return record, record.agency
    dossier = {
        ACCEPTANCE: lambda: record,
        RESOLUTION: lambda: record.dossier,
        ENFORCEMENT: lambda: record.decision.dossier,
    }[kind]()
    return dossier.petition, dossier.agency


def build_payload(session: Session, kind: str, record: Any, message_id: str) -> dict[str, Any]:
    """The envelope of ``record`` as a record of ``kind`` (module docstring)."""
    petition, agency = source_of(kind, record)
    data = {
        CASE: lambda: case_data(session, record),
        PROCESSING: lambda: processing_data(session, record),
        ACCEPTANCE: lambda: acceptance_data(session, record),
        RESOLUTION: lambda: resolution_data(record),
        ENFORCEMENT: lambda: enforcement_data(record),
    }[kind]()
    return {
        "schema": SCHEMA,
        "record_type": kind,
        "message_id": message_id,
        "national_case_id": None,
        "local_ref": {
            "record": f"{type(record).__tablename__}:{record.id}",
            "petition_id": petition.id,
            "case_code": petition.case.code,
        },
        "reporting_agency": _agency(session, agency),
        "data": data,
    }
