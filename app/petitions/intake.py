"""Receiving a petition (tiếp nhận đơn): citizens, the case, the register number, the
deadline and the first event, in one service the screen and the API share (issue 3).

The clerk has looked the petition up first (R6, R12) and decided: a new case, a repeat
submission joined to an existing case at any agency of the province (counted as a
petition, not a case; filed without a second round of processing unless the citizen has
a further right — TT 07/2014 Art. 6(2)(b), Art. 28), or a new case for the same citizen.
Denunciations are refused (R20). Services flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.core.clock import now_utc, to_local
from app.geography.models import AdminUnit
from app.notifications.service import notify_agency
from app.petitions.choices import REPEAT_KINDS
from app.petitions.deadlines import assign_processing_deadline
from app.petitions.events import record_event
from app.petitions.intake_data import (
    DENUNCIATION,
    FURTHER_RIGHT,
    JOIN_CASE,
    MULTI_SIGNATORY_MIN,
    NEW_CASE,
    NEW_CASE_SAME_CITIZEN,
    DenunciationRefused,
    IntakeData,
    IntakeInvalid,
    SignatoryData,
)
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory
from app.petitions.numbering import format_case_code, last_case_number, next_register_number
from app.petitions.validation import check_intake, denunciation_message
from app.security.scope import scope_condition

# Times a sequential number is drawn again when a concurrent save took it.
NUMBER_ATTEMPTS = 5
CASE_CODE_PREFIX = "VV"
# The page of a case (app.petitions.list_views), linked from notifications.
CASE_PATH = "/petitions/cases/{id}"


def is_multi_signatory(petition: Petition) -> bool:
    """TT 07/2014 Art. 6(4): a petition signed by five or more people."""
    return petition.signatory_count >= MULTI_SIGNATORY_MIN


def _insert_numbered(session: Session, record: Any, draw: Callable[[], None]) -> None:
    """Insert ``record`` after ``draw()`` gave it the next sequential number; when a
    concurrent save took that number (unique constraint), draw again (TT 07/2014 Art. 29).

    Each attempt runs in a savepoint, so a refused number leaves the rest of the
    transaction intact. Not on SQLite: there pysqlite releases a savepoint that opened
    the transaction as a COMMIT (the petition would be saved even if the intake then
    failed), and SQLite lets one writer at a time draw numbers, so no race exists.
    """
    if session.get_bind().dialect.name == "sqlite":
        draw()
        session.add(record)
        session.flush()
        return
    for attempt in range(NUMBER_ATTEMPTS):
        draw()
        try:
            with session.begin_nested():
                session.add(record)
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
        else:
            return


def _province_code(session: Session, unit_id: int | None) -> str | None:
    """The code of the province above an administrative unit (its address's province)."""
    unit = session.get(AdminUnit, unit_id) if unit_id is not None else None
    while unit is not None and unit.level != "province":
        unit = unit.parent
    return unit.code if unit is not None else None


def _fill_blanks(citizen: Citizen, data: SignatoryData) -> None:
    for name in ("id_number", "birth_year", "sex", "phone", "address_detail", "ethnicity"):
        if getattr(citizen, name) in (None, "") and getattr(data, name) is not None:
            setattr(citizen, name, getattr(data, name))
    if citizen.commune_unit_id is None and data.commune_unit_id is not None:
        citizen.commune_unit_id = data.commune_unit_id


def find_or_create_citizen(
    session: Session, data: SignatoryData, *, agency_id: int, user: Any
) -> Citizen:
    """R6, R11: the citizen already known in the user's scope — the one chosen, else the
    one with the same ID number — completed with what was typed; otherwise a new citizen
    registered by the receiving agency. A citizen of another agency's records is never
    reused, so no details outside the scope are revealed (the case links them instead)."""
    citizen = None
    if data.citizen_id is not None:
        citizen = session.scalar(
            select(Citizen).where(Citizen.id == data.citizen_id, scope_condition(Citizen, user))
        )
    if citizen is None and data.id_number:
        citizen = session.scalar(
            select(Citizen)
            .where(Citizen.id_number == data.id_number, scope_condition(Citizen, user))
            .order_by(Citizen.id)
            .limit(1)
        )
    if citizen is not None:
        _fill_blanks(citizen, data)
        return citizen
    citizen = Citizen(
        agency_id=agency_id,
        full_name=data.full_name,
        id_number=data.id_number,
        id_kind=_id_kind(data.id_number),
        birth_year=data.birth_year,
        sex=data.sex,
        phone=data.phone,
        commune_unit_id=data.commune_unit_id,
        province_code=_province_code(session, data.commune_unit_id),
        address_detail=data.address_detail,
        ethnicity=data.ethnicity,
        nationality=data.nationality or "Việt Nam",
    )
    session.add(citizen)
    session.flush()
    return citizen


def _id_kind(number: str | None) -> str | None:
    if not number:
        return None
    return "cccd" if len(number) == 12 else "cmnd"


def _next_case_code(session: Session, agency: Agency, year: int) -> str:
    """``VV2026-DT17-866-TCD-00012``: the agency's cases of the year, numbered in order."""
    prefix = f"{CASE_CODE_PREFIX}{year}-{agency.code}-"
    return format_case_code(prefix, last_case_number(session, prefix) + 1)


def open_case(
    session: Session,
    *,
    agency: Agency,
    title: str,
    kind: str,
    subject_area_id: int | None,
    main_citizen: Citizen | None,
    opened_at: dt.datetime,
) -> Case:
    """Open a case (vụ việc) held by ``agency``, with the next code of its year; the
    report forms count cases apart from petitions (legal-domain.md §2.5)."""
    case = Case(
        agency_id=agency.id,
        title=title,
        kind=kind,
        subject_area_id=subject_area_id,
        main_citizen_id=main_citizen.id if main_citizen is not None else None,
        opened_at=opened_at,
        status="open",
    )

    def draw() -> None:
        case.code = _next_case_code(session, agency, to_local(opened_at).year)

    _insert_numbered(session, case, draw)
    return case


def _main_citizen(citizens: list[tuple[Citizen, SignatoryData]]) -> Citizen | None:
    for citizen, signatory in citizens:
        if signatory.is_representative:
            return citizen
    return citizens[0][0] if citizens else None


def _add_signatories(
    session: Session, petition: Petition, citizens: list[tuple[Citizen, SignatoryData]]
) -> None:
    """The signatories in the order typed; with several, one represents them (the one
    marked, else the first: TT 07/2014 Art. 9(1) guides one clearly named signatory)."""
    main = _main_citizen(citizens)
    for position, (citizen, signatory) in enumerate(citizens):
        representative = citizen is main and (len(citizens) > 1 or signatory.is_representative)
        session.add(
            PetitionSignatory(
                petition=petition,
                citizen=citizen,
                position=position,
                is_representative=representative,
            )
        )


def _case_for(
    session: Session,
    data: IntakeData,
    agency: Agency,
    citizens: list[tuple[Citizen, SignatoryData]],
) -> Case:
    """The case the petition belongs to: the one joined, or a new one (R6, R12)."""
    if data.decision.mode == JOIN_CASE:
        return session.get(Case, data.decision.case_id)
    return open_case(
        session,
        agency=agency,
        title=data.summary,
        kind=data.kind,
        subject_area_id=data.subject_area_id,
        main_citizen=_main_citizen(citizens),
        opened_at=data.received_at,
    )


def _received_note(session: Session, data: IntakeData, case: Case) -> str | None:
    decision = data.decision
    if decision.mode == JOIN_CASE:
        return gettext(
            "Repeat submission joined to case %(code)s: %(kind)s.",
            code=case.code,
            kind=REPEAT_KINDS[decision.repeat_kind],
        )
    if decision.mode == NEW_CASE_SAME_CITIZEN:
        earlier = session.get(Case, decision.case_id)
        return gettext("New case of a citizen who already has case %(code)s.", code=earlier.code)
    return None


def _with_known_citizen(session: Session, data: IntakeData, user: Any) -> list[SignatoryData]:
    """R6: the petitioner of a repeat or of a new case "for the same citizen" is the main
    citizen of the matched case — when that citizen is in the user's scope and the typed
    ID number does not say otherwise."""
    signatories = list(data.signatories)
    if data.decision.mode == NEW_CASE or not signatories or signatories[0].citizen_id:
        return signatories
    matched = session.get(Case, data.decision.case_id)
    if matched.main_citizen_id is None:
        return signatories
    known = session.scalar(
        select(Citizen).where(Citizen.id == matched.main_citizen_id, scope_condition(Citizen, user))
    )
    first = signatories[0]
    if known is not None and (not first.id_number or first.id_number == known.id_number):
        signatories[0] = replace(first, citizen_id=known.id)
    return signatories


def notify_case_holder(session: Session, petition: Petition, user: Any) -> None:
    """R6: the agency holding a case learns that a repeat submission joined it — a
    "repeat_received" step on each earlier petition of the case and, when another agency
    received it, a notification to the holding agency linking to the case."""
    case = petition.case
    note = gettext(
        "Repeat submission %(number)s received by %(agency)s.",
        number=petition.register_code,
        agency=petition.agency.name,
    )
    earlier = session.scalars(
        select(Petition).where(Petition.case_id == case.id, Petition.id != petition.id)
    )
    for other in earlier:
        record_event(session, other, user, "repeat_received", note=note)
    if case.agency_id == petition.agency_id:
        return
    notify_agency(
        session,
        case.agency_id,
        _l("Repeat submission for case %(code)s", code=case.code),
        body=_l(
            "%(agency)s received on %(date)s a petition joined to this case as a repeat "
            "submission: %(kind)s.",
            agency=petition.agency.name,
            date=to_local(petition.received_at).strftime("%d/%m/%Y"),
            kind=REPEAT_KINDS[petition.repeat_kind],
        ),
        link=CASE_PATH.format(id=case.id),
        kind="petition.repeat_received",
        dedup_key=f"petition.repeat_received:{petition.id}",
    )


def receive_petition(session: Session, data: IntakeData, user: Any) -> Petition:
    """Issue 3, R2, R6, R12, R20: record a received petition.

    Refuses a denunciation (``DenunciationRefused``, R20) and any input breaking the
    intake rules (``IntakeInvalid`` with a message per field), saving nothing. Otherwise
    registers the citizens, opens or joins the case, numbers the petition in its agency's
    register of the year (TT 07/2014 Art. 29), gives it its processing deadline — except
    a repeat filed without a second round of processing — and records the "received"
    event. Flushes; the caller commits.
    """
    if data.kind == DENUNCIATION:
        raise DenunciationRefused(denunciation_message())
    errors = check_intake(session, data, user)
    if errors:
        raise IntakeInvalid(errors)
    agency = session.get(Agency, data.agency_id)
    citizens = [
        (find_or_create_citizen(session, signatory, agency_id=agency.id, user=user), signatory)
        for signatory in ([] if data.anonymous else _with_known_citizen(session, data, user))
    ]
    case = _case_for(session, data, agency, citizens)
    repeat = data.decision.mode == JOIN_CASE
    filed = repeat and data.decision.repeat_kind != FURTHER_RIGHT
    petition = Petition(
        agency_id=agency.id,
        register_year=to_local(data.received_at).year,
        received_at=data.received_at,
        channel=data.channel,
        source_agency_id=data.source_agency_id if data.channel == "forwarded" else None,
        source_name=data.source_name if data.channel == "forwarded" else None,
        source_doc_number=data.source_doc_number,
        source_doc_date=data.source_doc_date,
        visit_id=data.visit_id,
        case_id=case.id,
        kind=data.kind,
        multi_content=data.multi_content,
        subject_area_id=data.subject_area_id,
        contested_act=data.contested_act,
        contested_author=data.contested_author,
        summary=data.summary,
        content=data.content,
        anonymous=data.anonymous,
        signatory_count=0 if data.anonymous else max(data.signatory_count or 0, len(citizens)),
        prior_resolution=data.prior_resolution,
        is_repeat=repeat,
        repeat_kind=data.decision.repeat_kind if repeat else None,
        status="filed" if filed else "received",
    )
    if filed:
        # TT 07/2014 Art. 6(2)(b), Art. 28: not processable again; filed on receipt.
        petition.eligible = False
        petition.processed_at = now_utc()
        petition.processed_by_id = getattr(user, "id", None)
    else:
        assign_processing_deadline(session, petition)

    def draw() -> None:
        petition.register_number = next_register_number(session, agency.id, petition.register_year)

    _insert_numbered(session, petition, draw)
    _add_signatories(session, petition, citizens)
    note = _received_note(session, data, case)
    record_event(session, petition, user, "received", to_status=petition.status, note=note)
    if repeat:
        notify_case_holder(session, petition, user)
    session.flush()
    return petition
