"""The full timeline of a complaint case on one page (issue 4; R9): every petition of the
case received across the agencies of the user's scope with its processing and forwarding,
then each dossier's opening, acceptance, steps, decision, delivery, enforcement and
attachments, oldest first.

What lies outside the user's data scope (R11) is shown as the petition pages show it —
agency, date and status only: another agency's petition of the case, another instance's
dossier (with its decision's number, date and result, which the second instance reviews).

Entries with a time (a petition received at 08:30) come before those with only a date
(an acceptance notice dated that day) on the same day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.complaints.choices import (
    DECISION_MODES,
    DOSSIER_STATUSES,
    FIRST_INSTANCE_RESULTS,
    SECOND_INSTANCE_RESULTS,
    STEP_KINDS,
)
from app.complaints.models import ComplaintDossier, ResolutionDecision
from app.core.clock import to_local
from app.files.models import StoredFile
from app.petitions import choices as petition_choices
from app.petitions.models import Petition, PetitionTransfer
from app.security.models import AppUser
from app.security.scope import ids_in_scope

RESULTS = {**FIRST_INSTANCE_RESULTS, **SECOND_INSTANCE_RESULTS}
# Font Awesome icon of each kind of entry.
ICONS = {
    "petition": "fa-inbox",
    "petition_event": "fa-file-text-o",
    "forwarded": "fa-share",
    "elsewhere": "fa-eye-slash",
    "opened": "fa-folder-open-o",
    "accepted": "fa-check-square-o",
    "not_accepted": "fa-ban",
    "step": "fa-circle-o",
    "suspended": "fa-pause-circle-o",
    "resumed": "fa-play-circle-o",
    "flag": "fa-flag-o",
    "withdrawal": "fa-undo",
    "decision": "fa-gavel",
    "delivery": "fa-paper-plane-o",
    "enforcement": "fa-balance-scale",
    "attachment": "fa-paperclip",
}
_STEP_ICONS = {
    "suspended": "suspended",
    "resumed": "resumed",
    "complex_set": "flag",
    "remote_set": "flag",
    "withdrawal_partial": "withdrawal",
    "withdrawal_full": "withdrawal",
}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    day: dt.date
    at: dt.datetime | None
    kind: str
    title: str
    agency: str
    note: str | None = None
    who: str | None = None
    masked: bool = False

    @property
    def icon(self) -> str:
        """The entry's Font Awesome icon."""
        return ICONS.get(self.kind, "fa-circle-o")


def _timed(at: dt.datetime, **values: Any) -> Entry:
    local = to_local(at)
    return Entry(day=local.date(), at=local, **values)


def _label(mapping: dict[str, Any], key: str | None) -> str:
    return str(mapping.get(key, key or ""))


def _petition_entries(petition: Petition) -> list[Entry]:
    agency = petition.agency.name
    code = gettext("Petition %(number)s", number=petition.register_code)
    entries = []
    for event in petition.events:
        title = f"{code}: {_label(petition_choices.EVENTS, event.event)}"
        if event.event == "processed" and event.to_status:
            title = f"{title} — {_label(petition_choices.STATUSES, event.to_status)}"
        kind = "petition" if event.event in ("received", "received_by_transfer") else None
        entries.append(
            _timed(
                event.at,
                kind=kind or "petition_event",
                title=title,
                agency=agency,
                note=event.note,
                who=event.username,
            )
        )
    return entries


def _transfer_entries(session: Session, petition_ids: list[int]) -> list[Entry]:
    transfers = session.scalars(
        select(PetitionTransfer).where(PetitionTransfer.petition_id.in_(petition_ids))
    )
    return [
        _timed(
            transfer.sent_at,
            kind="forwarded",
            title=gettext(
                "Petition %(number)s forwarded to %(agency)s",
                number=transfer.petition.register_code,
                agency=transfer.to_agency.name,
            ),
            agency=transfer.from_agency.name,
            note=gettext("Document %(doc)s", doc=transfer.doc_number)
            if transfer.doc_number
            else None,
        )
        for transfer in transfers
    ]


def _elsewhere(petition: Petition) -> Entry:
    return _timed(
        petition.received_at,
        kind="elsewhere",
        title=gettext("Petition received at another agency"),
        agency=petition.agency.name,
        note=_label(petition_choices.STATUSES, petition.status),
        masked=True,
    )


def _decision_title(decision: ResolutionDecision, instance: int) -> str:
    if decision.mode != "decision":
        return _label(DECISION_MODES, decision.mode)
    return gettext(
        "Resolution decision %(number)s (instance %(instance)s): %(result)s",
        number=decision.number or "—",
        instance=instance,
        result=_label(RESULTS, decision.result),
    )


def _decision_entries(dossier: ComplaintDossier, agency: str, masked: bool) -> list[Entry]:
    decision = dossier.decision
    if decision is None:
        return []
    timing = (
        gettext("Resolved within the time limit")
        if decision.in_time
        else gettext("Resolved after the time limit")
    )
    note = timing if masked else " · ".join(filter(None, [decision.signer, timing]))
    entries = [
        Entry(
            day=decision.decided_on,
            at=None,
            kind="decision",
            title=_decision_title(decision, dossier.instance),
            agency=agency,
            note=note,
            masked=masked,
        )
    ]
    if decision.sent_to_parties_on is not None and not masked:
        entries.append(
            Entry(
                day=decision.sent_to_parties_on,
                at=None,
                kind="delivery",
                title=gettext("Decision sent to the parties"),
                agency=agency,
            )
        )
    enforcement = decision.enforcement
    if enforcement is not None and not masked:
        if enforcement.done and enforcement.done_on is not None:
            entries.append(
                Entry(
                    day=enforcement.done_on,
                    at=None,
                    kind="enforcement",
                    title=gettext("Decision enforced"),
                    agency=agency,
                )
            )
        else:
            entries.append(
                _timed(
                    enforcement.updated_at,
                    kind="enforcement",
                    title=gettext("Enforcement of the decision recorded (not finished)"),
                    agency=agency,
                )
            )
    return entries


def _masked_dossier(dossier: ComplaintDossier) -> list[Entry]:
    agency = dossier.agency.name
    opened = _timed(
        dossier.created_at,
        kind="elsewhere",
        title=gettext("Dossier of instance %(instance)s", instance=dossier.instance),
        agency=agency,
        note=_label(DOSSIER_STATUSES, dossier.status),
        masked=True,
    )
    return [opened, *_decision_entries(dossier, agency, masked=True)]


def _step_entry(step: Any, agency: str, who: str | None) -> Entry:
    parts = [
        gettext("Document %(doc)s", doc=step.doc_number) if step.doc_number else None,
        gettext("%(count)s persons", count=step.persons) if step.persons else None,
        step.note,
    ]
    return Entry(
        day=step.on,
        at=None,
        kind=_STEP_ICONS.get(step.kind, "step"),
        title=_label(STEP_KINDS, step.kind),
        agency=agency,
        note=" · ".join(filter(None, parts)) or None,
        who=who,
    )


def _dossier_entries(session: Session, dossier: ComplaintDossier) -> list[Entry]:
    agency = dossier.agency.name
    entries = [
        _timed(
            dossier.created_at,
            kind="opened",
            title=gettext(
                "Resolution dossier of instance %(instance)s opened, awaiting acceptance",
                instance=dossier.instance,
            ),
            agency=agency,
            who=_who(session, dossier.created_by_id),
        )
    ]
    if dossier.accepted_on is not None:
        entries.append(
            Entry(
                day=dossier.accepted_on,
                at=None,
                kind="accepted",
                title=gettext("Complaint accepted for resolution"),
                agency=agency,
                note=gettext("Notice %(doc)s", doc=dossier.acceptance_notice_number),
            )
        )
    if dossier.not_accepted_on is not None:
        ground = dossier.non_acceptance_ground
        entries.append(
            Entry(
                day=dossier.not_accepted_on,
                at=None,
                kind="not_accepted",
                title=gettext("Complaint not accepted"),
                agency=agency,
                note=" · ".join(
                    filter(
                        None,
                        [
                            gettext("Notice %(doc)s", doc=dossier.acceptance_notice_number),
                            f"{ground.name} ({ground.legal_ref})" if ground else None,
                        ],
                    )
                ),
            )
        )
    entries += [
        _step_entry(step, agency, _who(session, step.created_by_id)) for step in dossier.steps
    ]
    entries += _decision_entries(dossier, agency, masked=False)
    files = session.scalars(
        select(StoredFile).where(
            StoredFile.owner_table == ComplaintDossier.__tablename__,
            StoredFile.owner_id == dossier.id,
        )
    )
    entries += [
        _timed(
            file.created_at,
            kind="attachment",
            title=gettext("Document attached: %(name)s", name=file.original_name),
            agency=agency,
            who=_who(session, file.created_by_id),
        )
        for file in files
    ]
    return entries


def _who(session: Session, user_id: int | None) -> str | None:
    """The username of an account (the identity map keeps each one loaded once)."""
    account = session.get(AppUser, user_id) if user_id is not None else None
    return account.username if account is not None else None


def case_timeline(session: Session, case_id: int, user: Any) -> list[Entry]:
    """Everything that happened to case ``case_id`` as ``user`` may see it, oldest first
    (module docstring)."""
    petitions = list(
        session.scalars(
            select(Petition).where(Petition.case_id == case_id).order_by(Petition.received_at)
        )
    )
    visible = ids_in_scope(Petition, [p.id for p in petitions], user)
    entries: list[Entry] = []
    for petition in petitions:
        if petition.id in visible:
            entries += _petition_entries(petition)
        else:
            entries.append(_elsewhere(petition))
    entries += _transfer_entries(session, sorted(visible))
    dossiers = list(
        session.scalars(
            select(ComplaintDossier)
            .where(ComplaintDossier.case_id == case_id)
            .order_by(ComplaintDossier.instance)
        )
    )
    readable = ids_in_scope(ComplaintDossier, [d.id for d in dossiers], user)
    for dossier in dossiers:
        if dossier.id in readable:
            entries += _dossier_entries(session, dossier)
        else:
            entries += _masked_dossier(dossier)
    order = {id(entry): index for index, entry in enumerate(entries)}
    return sorted(
        entries,
        key=lambda e: (e.day, e.at is None, e.at.time() if e.at else dt.time(), order[id(e)]),
    )
