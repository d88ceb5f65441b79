"""Complaint resolution steps, checked server-side (Luật Khiếu nại 2011; R5, R8).

    pending --accept--> accepted --decide--> resolved
       |                   |  ^
       +--refuse--> not_accepted   suspend/resume (suspended)   withdraw --> withdrawn

Each step is dated and carries its document number; flags (complex case, remote area)
are set by a recorded decision; every deadline change goes through app.complaints.clocks
and is kept with its reason. A refused step raises ``DossierRefused`` (a message in the
user's language, English msgids, and the form field it concerns) and changes nothing;
``NotAllowed`` when the user may not act on the dossier, ``DossierConflict`` when the
record changed since the user opened it (optimistic locking, ``check_version``).
Services flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import Session

from app.audit.since import what_changed
from app.complaints.choices import (
    DOSSIER_STATUSES,
    FIRST_INSTANCE_RESULTS,
    SECOND_INSTANCE_RESULTS,
    WORK_STEP_KINDS,
)
from app.complaints.clocks import acceptance_deadline, refresh_deadlines
from app.complaints.models import (
    ComplaintDossier,
    ComplaintGround,
    DossierStep,
    Enforcement,
    ResolutionDecision,
)
from app.complaints.permissions import RESOLVE
from app.core.clock import to_local, today_local
from app.petitions.models import Petition
from app.petitions.permissions import PROCESS, holds
from app.security.scope import agency_in_scope

# Longest texts the columns hold.
NUMBER_MAX = 60
SIGNER_MAX = 150
NOTE_MAX = 4000


class DossierRefused(Exception):
    """A step the rules refuse; ``field`` names the form field if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DossierRefused):
    """The user's roles or data scope do not let them act on the dossier."""


class DossierConflict(DossierRefused):
    """The record changed after the user opened it (another clerk saved first)."""

    def __init__(self, changed: str = "") -> None:
        message = gettext(
            "This dossier was changed by someone else after you opened it. The page now "
            "shows the current data: check it and try again if still needed."
        )
        super().__init__(f"{message} {changed}".strip())


def check_version(record: Any, version_id: int | None) -> None:
    """Optimistic locking: refuse a step taken on a version of ``record`` other than the
    one stored (the second of two clerks is refused, never silently wins)."""
    if version_id != record.version_id:
        raise DossierConflict(what_changed(record, version_id))


def _require_actor(user: Any, agency_id: int, *, opening: bool = False) -> None:
    if not holds(user, RESOLVE) and not (opening and holds(user, PROCESS)):
        raise NotAllowed(gettext("Your account may not resolve complaints."))
    if not agency_in_scope(agency_id, user):
        raise NotAllowed(gettext("This dossier does not belong to your agency."))


def _require_status(dossier: ComplaintDossier, allowed: tuple[str, ...], action: str) -> None:
    if dossier.status not in allowed:
        status = DOSSIER_STATUSES.get(dossier.status, dossier.status)
        raise DossierRefused(
            gettext(
                "Cannot %(action)s while the dossier is “%(status)s”.",
                action=action,
                status=status,
            )
        )


def _check_day(on: dt.date | None, not_before: dt.date | None, field: str) -> dt.date:
    if on is None:
        raise DossierRefused(gettext("Enter the date as dd/mm/yyyy."), field)
    if on > today_local():
        raise DossierRefused(gettext("The date cannot be after today."), field)
    if not_before is not None and on < not_before:
        raise DossierRefused(
            gettext("The date cannot be before %(date)s.", date=f"{not_before:%d/%m/%Y}"), field
        )
    return on


def _text(value: str | None, field: str, limit: int, required: str | None = None) -> str | None:
    """``value`` stripped (None when empty); refused when longer than ``limit`` or, with
    a ``required`` message, when empty."""
    text = (value or "").strip()
    if not text:
        if required is not None:
            raise DossierRefused(required, field)
        return None
    if len(text) > limit:
        raise DossierRefused(gettext("At most %(count)s characters.", count=limit), field)
    return text


def open_dossier(
    session: Session,
    petition: Petition,
    user: Any,
    *,
    instance: int = 1,
    reviewed_decision: ResolutionDecision | None = None,
) -> ComplaintDossier:
    """Open the dossier of a complaint petition accepted for resolution by the competent
    agency; the acceptance clock runs from the day the petition was received."""
    _require_actor(user, petition.agency_id, opening=True)
    if petition.kind != "complaint":
        raise DossierRefused(gettext("Only complaint petitions have a resolution dossier."))
    if instance == 2 and reviewed_decision is None:
        raise DossierRefused(
            gettext("A second-instance dossier must name the first-instance decision it reviews.")
        )
    received_on = to_local(petition.received_at).date()
    dossier = ComplaintDossier(
        agency_id=petition.agency_id,
        case_id=petition.case_id,
        petition_id=petition.id,
        instance=instance,
        reviewed_decision_id=reviewed_decision.id if reviewed_decision else None,
        received_on=received_on,
        acceptance_due=acceptance_deadline(session, received_on).due,
    )
    session.add(dossier)
    session.flush()
    return dossier


def accept(
    session: Session,
    dossier: ComplaintDossier,
    user: Any,
    on: dt.date | None,
    notice_number: str | None,
) -> None:
    """Luật KN Art. 27, 36: accept the complaint (thụ lý) on ``on`` with the notice's
    number; the resolution clock starts that day."""
    _require_actor(user, dossier.agency_id)
    _require_status(dossier, ("pending",), gettext("accept the complaint"))
    _check_day(on, dossier.received_on, "accepted_on")
    number = _text(
        notice_number,
        "notice_number",
        NUMBER_MAX,
        gettext("Enter the number of the notice of acceptance."),
    )
    dossier.accepted_on = on
    dossier.acceptance_notice_number = number
    dossier.status = "accepted"
    refresh_deadlines(session, dossier, gettext("Complaint accepted for resolution"))
    session.flush()


def refuse(
    session: Session,
    dossier: ComplaintDossier,
    user: Any,
    on: dt.date | None,
    ground: ComplaintGround | None,
    notice_number: str | None,
) -> None:
    """Luật KN Art. 11, 27: do not accept, with the legal ground and the notice."""
    _require_actor(user, dossier.agency_id)
    _require_status(dossier, ("pending",), gettext("refuse the complaint"))
    _check_day(on, dossier.received_on, "not_accepted_on")
    if ground is None or not ground.active:
        raise DossierRefused(
            gettext("Choose the legal ground for not accepting the complaint."), "ground"
        )
    number = _text(
        notice_number,
        "notice_number",
        NUMBER_MAX,
        gettext("Enter the number of the notice of non-acceptance."),
    )
    dossier.not_accepted_on = on
    dossier.non_acceptance_ground = ground
    dossier.acceptance_notice_number = number
    dossier.status = "not_accepted"
    dossier.closed_on = on
    session.flush()


def _add_step(
    session: Session,
    dossier: ComplaintDossier,
    kind: str,
    on: dt.date | None,
    doc_number: str | None,
    note: str | None,
    persons: int | None = None,
) -> DossierStep:
    last = max((step.on for step in dossier.steps), default=dossier.accepted_on)
    _check_day(on, last or dossier.received_on, "on")
    step = DossierStep(
        dossier=dossier,
        kind=kind,
        on=on,
        doc_number=_text(doc_number, "doc_number", NUMBER_MAX),
        note=_text(note, "note", NOTE_MAX),
        persons=persons,
    )
    session.add(step)
    session.flush()
    session.refresh(dossier, ["steps"])
    return step


def record_step(
    session: Session,
    dossier: ComplaintDossier,
    user: Any,
    kind: str | None,
    on: dt.date | None,
    doc_number: str | None = None,
    note: str | None = None,
) -> DossierStep:
    """A verification assignment, verification report, dialogue minutes or other step."""
    _require_actor(user, dossier.agency_id)
    _require_status(dossier, ("accepted",), gettext("record a resolution step"))
    if kind not in WORK_STEP_KINDS:
        raise DossierRefused(gettext("Choose the kind of step."), "kind")
    return _add_step(session, dossier, kind, on, doc_number, note)


def set_flags(
    session: Session,
    dossier: ComplaintDossier,
    user: Any,
    on: dt.date | None,
    doc_number: str | None,
    *,
    complex_case: bool | None = None,
    remote_area: bool | None = None,
) -> None:
    """Mark the case complex and/or in a remote area by a recorded decision; the
    resolution deadline follows (Luật KN Art. 28, 37)."""
    _require_actor(user, dossier.agency_id)
    _require_status(dossier, ("accepted", "suspended"), gettext("mark the case complex or remote"))
    number = _text(
        doc_number, "doc_number", NUMBER_MAX, gettext("Enter the number of the decision.")
    )
    complex_changes = complex_case is not None and complex_case != dossier.complex_case
    remote_changes = remote_area is not None and remote_area != dossier.remote_area
    if not (complex_changes or remote_changes):
        raise DossierRefused(
            gettext("Nothing changes: the case is already marked this way."), "complex_case"
        )
    reasons = []
    if complex_changes:
        _add_step(session, dossier, "complex_set", on, number, None)
        dossier.complex_case = bool(complex_case)
        reasons.append(gettext("complex case") if complex_case else gettext("no longer complex"))
    if remote_changes:
        _add_step(session, dossier, "remote_set", on, number, None)
        dossier.remote_area = bool(remote_area)
        reasons.append(
            gettext("remote or difficult area")
            if remote_area
            else gettext("no longer a remote or difficult area")
        )
    refresh_deadlines(
        session,
        dossier,
        gettext("Decision %(number)s: %(changes)s", number=number, changes=", ".join(reasons)),
    )
    session.flush()


def suspend(
    session: Session,
    dossier: ComplaintDossier,
    user: Any,
    on: dt.date | None,
    doc_number: str | None,
    note: str | None,
) -> None:
    """Suspension (tạm đình chỉ) stops the resolution clock."""
    _require_actor(user, dossier.agency_id)
    _require_status(dossier, ("accepted",), gettext("suspend the resolution"))
    _text(note, "note", NOTE_MAX, gettext("Give the reason for the suspension."))
    _add_step(session, dossier, "suspended", on, doc_number, note)
    dossier.status = "suspended"
    refresh_deadlines(session, dossier, gettext("Suspended from %(date)s", date=f"{on:%d/%m/%Y}"))
    session.flush()


def resume(
    session: Session,
    dossier: ComplaintDossier,
    user: Any,
    on: dt.date | None,
    doc_number: str | None,
) -> None:
    """Resumption (tiếp tục giải quyết) restarts the clock where it stopped."""
    _require_actor(user, dossier.agency_id)
    _require_status(dossier, ("suspended",), gettext("resume the resolution"))
    _add_step(session, dossier, "resumed", on, doc_number, None)
    dossier.status = "accepted"
    refresh_deadlines(session, dossier, gettext("Resumed from %(date)s", date=f"{on:%d/%m/%Y}"))
    session.flush()


def withdrawn_persons(dossier: ComplaintDossier) -> int:
    """How many complainants have withdrawn so far by partial withdrawals."""
    return sum(step.persons or 0 for step in dossier.steps if step.kind == "withdrawal_partial")


def remaining_complainants(dossier: ComplaintDossier, petition: Petition) -> int:
    """Complainants of a many-person complaint still pursuing it (legal-domain §3.4)."""
    return max(petition.signatory_count - withdrawn_persons(dossier), 0)


def withdraw(
    session: Session,
    dossier: ComplaintDossier,
    user: Any,
    on: dt.date | None,
    *,
    complete: bool,
    persons: int | None = None,
    note: str | None = None,
) -> None:
    """Luật KN Art. 10: a written withdrawal; complete withdrawal closes the dossier, a
    partial one (some complainants of a many-person case) continues it for the others."""
    _require_actor(user, dossier.agency_id)
    _require_status(dossier, ("pending", "accepted", "suspended"), gettext("record a withdrawal"))
    kind = "withdrawal_full" if complete else "withdrawal_partial"
    if not complete:
        remaining = remaining_complainants(dossier, dossier.petition)
        if not persons or persons < 1:
            raise DossierRefused(
                gettext("Partial withdrawal: enter how many complainants withdraw."), "persons"
            )
        if persons >= remaining:
            raise DossierRefused(
                gettext(
                    "Partial withdrawal: fewer than the %(count)s complainants still pursuing "
                    "the complaint; if all of them withdraw, record a complete withdrawal.",
                    count=remaining,
                ),
                "persons",
            )
    if dossier.accepted_on is None:
        _check_day(on, dossier.received_on, "on")
        session.add(
            DossierStep(
                dossier=dossier,
                kind=kind,
                on=on,
                note=_text(note, "note", NOTE_MAX),
                persons=None if complete else persons,
            )
        )
    else:
        _add_step(session, dossier, kind, on, None, note, None if complete else persons)
    if complete:
        dossier.status = "withdrawn"
        dossier.closed_on = on
    session.flush()


@dataclass
class DecisionData:
    """A resolution decision and its results as the forms count them (01/KQGQ, 2c)."""

    decided_on: dt.date | None
    number: str | None = None
    signer: str | None = None
    mode: str = "decision"
    result: str | None = None
    money_to_state: Decimal = Decimal(0)
    land_to_state: Decimal = Decimal(0)
    money_to_organisations: Decimal = Decimal(0)
    land_to_organisations: Decimal = Decimal(0)
    money_to_individuals: Decimal = Decimal(0)
    land_to_individuals: Decimal = Decimal(0)
    organisations_restored: int = 0
    individuals_restored: int = 0
    persons_for_sanction: int = 0
    officials_for_sanction: int = 0
    cases_to_investigators: int = 0
    persons_to_investigators: int = 0
    officials_to_investigators: int = 0
    sent_to_parties_on: dt.date | None = None


def _not_negative(values: dict[str, Any], message: str) -> None:
    for name, value in values.items():
        if isinstance(value, Decimal | int) and not isinstance(value, bool) and value < 0:
            raise DossierRefused(message, name)


def _part_of(values: dict[str, Any], part: str, whole: str, message: str) -> None:
    if values[part] > values[whole]:
        raise DossierRefused(message, part)


def decide(
    session: Session, dossier: ComplaintDossier, user: Any, data: DecisionData
) -> ResolutionDecision:
    """Luật KN Art. 31, 40: close the dossier with its decision; "resolved within the
    time limit" is recorded now (the forms count it)."""
    _require_actor(user, dossier.agency_id)
    _require_status(dossier, ("accepted",), gettext("record the resolution decision"))
    _check_day(data.decided_on, dossier.accepted_on, "decided_on")
    allowed = FIRST_INSTANCE_RESULTS if dossier.instance == 1 else SECOND_INSTANCE_RESULTS
    number = _text(data.number, "number", NUMBER_MAX)
    if data.mode == "decision":
        if data.result not in allowed:
            raise DossierRefused(
                gettext("Choose the result that fits the instance of resolution."), "result"
            )
        if number is None:
            raise DossierRefused(gettext("Enter the number of the decision."), "number")
    elif data.mode == "withdrawn":
        if data.result is not None:
            raise DossierRefused(
                gettext("A complaint withdrawn after explanation has no result to choose."),
                "result",
            )
    else:
        raise DossierRefused(gettext("Choose how the complaint was resolved."), "mode")
    values = {item.name: getattr(data, item.name) for item in fields(DecisionData)}
    values["number"] = number
    values["signer"] = _text(data.signer, "signer", SIGNER_MAX)
    _not_negative(values, gettext("Result figures cannot be negative."))
    _part_of(
        values,
        "officials_for_sanction",
        "persons_for_sanction",
        gettext("Officials cannot outnumber the persons recommended for sanction."),
    )
    _part_of(
        values,
        "officials_to_investigators",
        "persons_to_investigators",
        gettext("Officials cannot outnumber the persons referred to investigators."),
    )
    if data.sent_to_parties_on is not None:
        _check_sent_on(data.sent_to_parties_on, data.decided_on)
    decision = ResolutionDecision(
        dossier=dossier,
        in_time=dossier.resolution_due is not None and data.decided_on <= dossier.resolution_due,
        **values,
    )
    session.add(decision)
    dossier.status = "resolved"
    dossier.closed_on = data.decided_on
    dossier.resolved_in_time = decision.in_time
    session.flush()
    return decision


def _check_sent_on(on: dt.date, decided_on: dt.date) -> None:
    if on < decided_on:
        raise DossierRefused(
            gettext("The decision cannot be sent before the day it was signed."),
            "sent_to_parties_on",
        )
    _check_day(on, decided_on, "sent_to_parties_on")


def record_delivery(
    session: Session, decision: ResolutionDecision, user: Any, on: dt.date | None
) -> None:
    """Luật KN Art. 32, 40: the day the decision was sent to the parties (the page warns
    when it is later than the rule ``complaint.decision_delivery`` allows)."""
    _require_actor(user, decision.dossier.agency_id)
    if on is None:
        raise DossierRefused(gettext("Enter the date as dd/mm/yyyy."), "sent_to_parties_on")
    _check_sent_on(on, decision.decided_on)
    decision.sent_to_parties_on = on
    session.flush()


# (done, due) pairs of enforcement: what was recovered or returned cannot exceed what was to be.
_ENFORCED_PARTS = (
    ("money_recovered", "money_to_recover"),
    ("land_recovered", "land_to_recover"),
    ("money_returned_organisations", "money_to_return_organisations"),
    ("land_returned_organisations", "land_to_return_organisations"),
    ("money_returned_individuals", "money_to_return_individuals"),
    ("land_returned_individuals", "land_to_return_individuals"),
)
_ENFORCEMENT_FIELDS = frozenset(
    column.key for column in Enforcement.__table__.columns if column.key not in ("id",)
) - {"decision_id", "version_id", "created_at", "updated_at", "created_by_id", "updated_by_id"}


def record_enforcement(
    session: Session, decision: ResolutionDecision, user: Any, **values: Any
) -> Enforcement:
    """Luật KN Art. 46: enforcement of a decision in force — what is to be recovered or
    returned and what was; persons sanctioned; cases prosecuted (form 02/KQGQ)."""
    _require_actor(user, decision.dossier.agency_id)
    if decision.mode != "decision":
        raise DossierRefused(
            gettext("A complaint withdrawn after explanation has no decision to enforce.")
        )
    for name in values:
        if name not in _ENFORCEMENT_FIELDS:
            raise DossierRefused(gettext("Invalid enforcement figure."), name)
    _not_negative(values, gettext("Enforcement figures cannot be negative."))
    enforcement = decision.enforcement or Enforcement(decision=decision)
    merged = {name: getattr(enforcement, name) for name in _ENFORCEMENT_FIELDS}
    merged.update(values)
    for name in _ENFORCEMENT_FIELDS:
        if merged[name] is None and name != "done_on":
            merged[name] = Decimal(0) if name.startswith(("money", "land")) else 0
    message = gettext("What was recovered or returned cannot exceed what was to be.")
    for done, due in _ENFORCED_PARTS:
        _part_of(merged, done, due, message)
    _part_of(
        merged,
        "officials_sanctioned",
        "persons_sanctioned",
        gettext("Officials cannot outnumber the persons sanctioned."),
    )
    _part_of(
        merged,
        "officials_prosecuted",
        "persons_prosecuted",
        gettext("Officials cannot outnumber the persons prosecuted."),
    )
    if merged["done"]:
        merged["done_on"] = _check_day(
            merged["done_on"] or today_local(), decision.decided_on, "done_on"
        )
    else:
        merged["done_on"] = None
    for name, value in merged.items():
        setattr(enforcement, name, value)
    session.add(enforcement)
    session.flush()
    return enforcement
