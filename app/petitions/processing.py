"""Processing a petition (xử lý đơn): eligibility, competence, then exactly one outcome.

The receiving agency checks the petition against the law (TT 07/2014/TT-TTCP Art. 6,
TT 05/2021/TT-TTCP; legal-domain.md §2.3–2.4) and records:

- eligibility for processing (đủ / không đủ điều kiện xử lý, Art. 6(2)); the reasons the
  law gives for "not eligible" (anonymous, no signature or date, unclear content, sent
  to several places one of which competent, already guided once, already resolved …)
  are the managed reasons of the outcome "archived" (app.petitions.seeds);
- competence (thuộc / không thuộc thẩm quyền, Art. 6(3)), for an eligible petition;
- one outcome, with a reason from the managed list of that outcome (``ReasonCode.outcome``)
  and free text. Which outcomes fit (checked here, refused with a message otherwise):

=========  =====================================================================  =============
outcome    allowed when                                                           legal basis
=========  =====================================================================  =============
accepted   eligible and competent (complaint, recommendation or reflection);      Art. 7(1),
           sends ``petition_accepted`` (app.petitions.hooks): complaints open     9(2), 21(1)
           a dossier (issue 4); the accepting agency now holds the case
forwarded  eligible, not competent, not a complaint: recommendations and          Art. 21(2)
           reflections go to the competent receiving agency (R2) — a complaint
           outside competence is guided instead (Art. 8(1); the 2024 forms have
           no "forwarded" column for complaints)
guided     eligible; the citizen is guided to the competent agency (required      Art. 7(2),
           when not competent: an agency of the province or a name typed, e.g.    8(1), 9(1),
           a court), or told what to supplement, or to split a petition with      22–26
           several contents; only once per content: refused when another
           petition of the same case was already guided
returned   eligible, not competent, and forwarded to us by another body: the      Art. 8(2)
           petition goes back to that body, which is notified when it is an
           agency of the province
archived   always (filing, lưu đơn); the only outcome of a petition not eligible  Art. 6(2),
                                                                                  28
=========  =====================================================================  =============

Only a petition still "received" is processed (a repeat filed at intake is not); only a
user whose roles grant processing (app.petitions.permissions) and whose data scope holds
the petition's agency; only on the version the user saw (``version_id``, optimistic
locking: the second of two clerks is refused). A refusal raises ProcessingRefused (or
NotPermitted / StaleVersion) before anything changes. Services flush; the caller commits,
or rolls back on a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.agencies.models import Agency
from app.agencies.services import in_force
from app.audit.since import what_changed_after_stale_flush
from app.core.clock import now_utc, to_local, today_local
from app.petitions import permissions
from app.petitions.choices import OPEN_STATUSES, OUTCOMES, STATUSES
from app.petitions.events import record_event
from app.petitions.hooks import petition_accepted
from app.petitions.models import Petition, ReasonCode
from app.petitions.refusals import (
    NotPermitted,
    ProcessingRefused,
    changed_since,
    stale,
)
from app.petitions.transfers import check_forward_target, create_transfer, notify_returned

ACCEPTED, FORWARDED, GUIDED, RETURNED, ARCHIVED = (
    "accepted",
    "forwarded",
    "guided",
    "returned",
    "archived",
)
COMPLAINT = "complaint"
# Longest texts accepted (the columns' sizes; the note is bounded to stay readable).
NOTE_MAX = 4000
DOC_NUMBER_MAX = 100
TARGET_NAME_MAX = 255


@dataclass(frozen=True)
class ProcessingInput:
    """What the clerk decided about one petition, as typed (values not yet checked)."""

    version_id: int
    eligible: bool | None
    competent: bool | None
    outcome: str | None
    reason_id: int | None
    note: str | None
    target_agency_id: int | None = None
    target_name: str | None = None
    doc_number: str | None = None


def reasons_for(session: Session, outcome: str | None = None) -> list[ReasonCode]:
    """The active managed reasons (of one outcome, or all), in list order."""
    query = select(ReasonCode).where(ReasonCode.active.is_(True))
    if outcome is not None:
        query = query.where(ReasonCode.outcome == outcome)
    return list(session.scalars(query.order_by(ReasonCode.sort_order, ReasonCode.id)))


def earlier_guidance(session: Session, petition: Petition) -> Petition | None:
    """TT 07/2014 Art. 8(1): another petition of the same case (any agency) on which the
    citizen was already guided, if any."""
    return session.scalar(
        select(Petition)
        .where(
            Petition.case_id == petition.case_id,
            Petition.id != petition.id,
            Petition.status == GUIDED,
        )
        .order_by(Petition.processed_at)
        .limit(1)
    )


def outcome_refusal(
    session: Session,
    petition: Petition,
    outcome: str,
    *,
    eligible: bool | None,
    competent: bool | None,
) -> str | None:
    """Why ``outcome`` does not fit this petition as classified (the table of the module
    docstring, legal-domain §2.4), or None when it fits."""
    if outcome == ARCHIVED:
        return None
    if not eligible:
        return gettext(
            "A petition not eligible for processing can only be archived "
            "(TT 07/2014 Art. 6(2), Art. 28)."
        )
    if outcome == ACCEPTED and not competent:
        return gettext(
            "Only the competent agency accepts a petition for resolution (TT 07/2014 "
            "Art. 7(1), 21(1)): forward it, guide the citizen or return it."
        )
    if outcome in (FORWARDED, RETURNED) and competent:
        return gettext(
            "The agency is competent: accept the petition for resolution or guide the "
            "citizen; it is not forwarded or returned."
        )
    if outcome == FORWARDED and petition.kind == COMPLAINT:
        return gettext(
            "A complaint outside the agency's competence is not forwarded: guide the "
            "citizen to the competent agency, once (TT 07/2014 Art. 8(1))."
        )
    if outcome == RETURNED and petition.channel != "forwarded":
        return gettext(
            "Only a petition forwarded by another body can be returned to it "
            "(TT 07/2014 Art. 8(2))."
        )
    if outcome == GUIDED:
        earlier = earlier_guidance(session, petition)
        if earlier is not None:
            return gettext(
                "The citizen was already guided on this matter by %(agency)s on %(date)s; "
                "guidance is given only once (TT 07/2014 Art. 8(1)): archive the petition.",
                agency=earlier.agency.name,
                date=to_local(earlier.processed_at).strftime("%d/%m/%Y"),
            )
    return None


# The classifications the form offers: (eligible, competent).
CLASSIFICATIONS = ((True, True), (True, False), (False, None))


def allowed_outcomes(session: Session, petition: Petition) -> dict[str, dict[str, str | None]]:
    """For each classification ("1-1" eligible and competent, "1-0" eligible and not
    competent, "0-" not eligible): each outcome and why it does not fit (None when it
    does) — the form greys out what the rule table refuses."""
    return {
        f"{int(eligible)}-{'' if competent is None else int(competent)}": {
            outcome: outcome_refusal(
                session, petition, outcome, eligible=eligible, competent=competent
            )
            for outcome in OUTCOMES
        }
        for eligible, competent in CLASSIFICATIONS
    }


def _check_open(petition: Petition) -> None:
    if petition.status in OPEN_STATUSES:
        return
    if petition.status == "filed":
        message = gettext("This petition was filed as a repeat submission; it is not processed.")
    else:
        message = gettext(
            "This petition has already been processed (%(status)s on %(date)s).",
            status=STATUSES.get(petition.status, petition.status),
            date=to_local(petition.processed_at).strftime("%d/%m/%Y")
            if petition.processed_at
            else "—",
        )
    raise ProcessingRefused({"": message})


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _check_fields(session: Session, petition: Petition, data: ProcessingInput) -> dict[str, str]:
    """Field-by-field checks of the input; the outcome rule is checked after them."""
    errors: dict[str, str] = {}
    if data.eligible is None:
        errors["eligible"] = gettext("Say whether the petition is eligible for processing.")
    elif data.eligible and data.competent is None:
        errors["competent"] = gettext("Say whether the petition is within your competence.")
    if data.outcome not in OUTCOMES:
        errors["outcome"] = gettext("Choose the outcome of processing.")
    reason = session.get(ReasonCode, data.reason_id) if data.reason_id is not None else None
    if reason is None or not reason.active:
        errors["reason"] = gettext("Choose a reason from the list.")
    elif data.outcome in OUTCOMES and reason.outcome != data.outcome:
        errors["reason"] = gettext("This reason does not belong to the chosen outcome.")
    note = _clean(data.note)
    if note is None:
        errors["note"] = gettext("Explain the decision in a few words.")
    elif len(note) > NOTE_MAX:
        errors["note"] = gettext("At most %(count)s characters.", count=NOTE_MAX)
    if len(_clean(data.doc_number) or "") > DOC_NUMBER_MAX:
        errors["doc_number"] = gettext("At most %(count)s characters.", count=DOC_NUMBER_MAX)
    if len(_clean(data.target_name) or "") > TARGET_NAME_MAX:
        errors["target_name"] = gettext("At most %(count)s characters.", count=TARGET_NAME_MAX)
    return errors


def _guidance_target(session: Session, data: ProcessingInput) -> tuple[Agency | None, str | None]:
    """The agency (any agency of the province in force) or the name typed that the citizen
    is guided to; ProcessingRefused when an agency was chosen that does not exist."""
    if data.target_agency_id is None:
        return None, _clean(data.target_name)
    agency = session.scalar(
        select(Agency).where(Agency.id == data.target_agency_id, in_force(today_local()))
    )
    if agency is None:
        raise ProcessingRefused({"target_agency": gettext("The chosen agency no longer exists.")})
    return agency, agency.name


def _target(
    session: Session, petition: Petition, data: ProcessingInput
) -> tuple[Agency | None, int | None, str | None]:
    """(agency to forward to, target agency id, target name) of the outcome."""
    if data.outcome == FORWARDED:
        agency = check_forward_target(session, petition, data.target_agency_id)
        return agency, agency.id, agency.name
    if data.outcome == GUIDED:
        agency, name = _guidance_target(session, data)
        if name is None and not data.competent:
            message = gettext("Name the competent agency the citizen is guided to.")
            raise ProcessingRefused({"target_agency": message})
        return None, agency.id if agency is not None else None, name
    if data.outcome == RETURNED:
        source = petition.source_agency
        return None, petition.source_agency_id, petition.source_name or (source and source.name)
    return None, None, None


def process_petition(
    session: Session, petition: Petition, data: ProcessingInput, user: Any
) -> Petition:
    """TT 07/2014 Art. 6–9, 21–28 (legal-domain §2.3–2.4): record eligibility, competence
    and the one outcome of ``petition`` (table in the module docstring).

    Sets the status, processed_at/by, reason, note, target and document number, records
    the step in the history; forwarding creates the transfer and notifies the target
    agency; accepting sends ``petition_accepted``; returning notifies the forwarding
    agency. Raises NotPermitted, StaleVersion or ProcessingRefused (messages by field)
    without changing anything. Flushes; the caller commits.
    """
    if not permissions.may_act_for(user, permissions.PROCESS, petition.agency_id):
        raise NotPermitted(gettext("You may not process petitions of this agency."))
    if data.version_id != petition.version_id:
        raise stale(petition, data.version_id)
    _check_open(petition)
    errors = _check_fields(session, petition, data)
    if errors:
        raise ProcessingRefused(errors)
    refusal = outcome_refusal(
        session, petition, data.outcome, eligible=data.eligible, competent=data.competent
    )
    if refusal is not None:
        raise ProcessingRefused({"outcome": refusal})
    forward_to, target_id, target_name = _target(session, petition, data)
    reason = session.get(ReasonCode, data.reason_id)
    note = _clean(data.note)
    doc_number = _clean(data.doc_number)

    before = petition.status
    petition.eligible = data.eligible
    petition.competent = data.competent
    petition.status = data.outcome
    petition.processed_at = now_utc()
    petition.processed_by_id = getattr(user, "id", None)
    petition.outcome_reason = reason
    petition.outcome_note = note
    petition.target_agency_id = target_id
    petition.target_name = target_name
    petition.outcome_doc_number = doc_number
    summary = f"{reason.name}. {note}"
    if target_name:
        summary = f"{summary} → {target_name}"
    record_event(
        session,
        petition,
        user,
        "processed",
        from_status=before,
        to_status=petition.status,
        note=summary,
    )
    try:
        if forward_to is not None:
            create_transfer(
                session, petition, forward_to, doc_number=doc_number, note=note, user=user
            )
        if data.outcome == ACCEPTED:
            petition.case.agency_id = petition.agency_id
        if data.outcome == RETURNED:
            notify_returned(session, petition, user)
        session.flush()
    except StaleDataError as exc:
        changed = what_changed_after_stale_flush(session, petition, data.version_id)
        raise changed_since(changed) from exc
    if data.outcome == ACCEPTED:
        petition_accepted.send(petition, session=session, user=user)
        session.flush()
    return petition
