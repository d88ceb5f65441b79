"""Forwarding petitions between agencies (chuyển đơn, TT 07/2014 Art. 21(2); R2, R7).

A petition forwarded by its agency becomes a ``PetitionTransfer`` waiting in the target
agency's inbox; the target's users are notified ("Đơn chuyển đến"). A clerk of the
target receives it: ``receive_transfer`` creates the target's own petition in the same
case (channel "forwarded", the source agency and its document number, its own register
number and processing deadline), which the target then processes in turn; the sender is
notified. The sender records the reply it receives (phúc đáp, TT 07/2014 Art. 29–30).
The chain of agencies is visible on every petition of it, by names, numbers, dates and
statuses only: another agency's petition stays out of the user's scope.

Targets are the petition-receiving agencies of the province in force (R2), whatever the
user's scope. Services flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.agencies.services import in_force
from app.core.clock import now_utc, to_local, today_local
from app.notifications.service import notify_agency, notify_user
from app.petitions import permissions
from app.petitions.deadlines import assign_processing_deadline
from app.petitions.events import record_event
from app.petitions.models import Petition, PetitionSignatory, PetitionTransfer
from app.petitions.normalize import fold
from app.petitions.numbering import next_register_number
from app.petitions.refusals import NotPermitted, ProcessingRefused, StaleVersion, stale
from app.security.scope import ids_in_scope, scope_agency_ids

# Addresses of the screens the notifications link to (app.petitions.detail_views and
# processing_views declare these routes).
INBOX_PATH = "/petitions/inbox/"
PETITION_PATH = "/petitions/{id}"
# How many agencies the target picker offers at once.
TARGET_LIMIT = 20
# Times a register number is drawn again when a concurrent save took it.
NUMBER_ATTEMPTS = 5
# Fields a received petition takes over from the forwarded one.
COPIED_FIELDS = (
    "kind",
    "multi_content",
    "subject_area_id",
    "contested_act",
    "contested_author",
    "summary",
    "content",
    "search_text",
    "anonymous",
    "signatory_count",
    "prior_resolution",
)


def petition_path(petition_id: int) -> str:
    """The address of a petition's page."""
    return PETITION_PATH.format(id=petition_id)


def forwarding_targets(
    session: Session,
    exclude_agency_id: int | None,
    query: str,
    *,
    receiving_only: bool = True,
    limit: int = TARGET_LIMIT,
) -> list[Agency]:
    """R2: agencies in force — only the petition-receiving ones unless ``receiving_only``
    is false (a citizen may be guided to any agency) — whose name or short name contains
    every word typed (Vietnamese-folded: "thanh tra tinh" finds "Thanh tra tỉnh Đồng
    Tháp"), ``exclude_agency_id`` left out, in Vietnamese name order. Nothing for an
    empty query.

    The agencies of a province are a small reference list (a few hundred), folded in
    Python.
    """
    words = fold(query).split()
    if not words:
        return []
    condition = in_force(today_local())
    if receiving_only:
        condition = Agency.receives_petitions.is_(True) & condition
    agencies = session.scalars(select(Agency).where(condition).order_by(Agency.name_key))
    found = []
    for agency in agencies:
        if agency.id == exclude_agency_id:
            continue
        haystack = fold(f"{agency.name} {agency.short_name or ''}")
        if all(word in haystack for word in words):
            found.append(agency)
            if len(found) == limit:
                break
    return found


def check_forward_target(session: Session, petition: Petition, target_id: int | None) -> Agency:
    """R2: the agency a petition may be forwarded to: a receiving agency in force, not the
    petition's own. Raises ProcessingRefused on the field "target_agency"."""
    if target_id is None:
        raise ProcessingRefused({"target_agency": gettext("Choose the competent agency.")})
    target = session.scalar(
        select(Agency).where(
            Agency.id == target_id,
            Agency.receives_petitions.is_(True),
            in_force(today_local()),
        )
    )
    if target is None:
        message = gettext("The chosen agency does not receive petitions (R2) or no longer exists.")
        raise ProcessingRefused({"target_agency": message})
    if target.id == petition.agency_id:
        message = gettext("A petition cannot be forwarded to its own agency.")
        raise ProcessingRefused({"target_agency": message})
    return target


def create_transfer(
    session: Session,
    petition: Petition,
    target: Agency,
    *,
    doc_number: str | None,
    note: str | None,
    user: Any,
) -> PetitionTransfer:
    """TT 07/2014 Art. 21(2): put the petition in ``target``'s inbox and notify the users
    of ``target`` once ("Đơn chuyển đến")."""
    transfer = PetitionTransfer(
        petition=petition,
        from_agency_id=petition.agency_id,
        to_agency_id=target.id,
        sent_at=now_utc(),
        doc_number=doc_number,
        note=note,
        status="pending",
    )
    session.add(transfer)
    session.flush()
    notify_agency(
        session,
        target.id,
        _l("Incoming petition from %(agency)s", agency=petition.agency.name),
        body=_l(
            "Petition %(number)s received on %(date)s: %(summary)s",
            number=petition.register_code,
            date=to_local(petition.received_at).strftime("%d/%m/%Y"),
            summary=petition.summary,
        ),
        link=INBOX_PATH,
        kind="petition.transfer_in",
        dedup_key=f"petition_transfer:{transfer.id}:sent",
    )
    return transfer


def inbox_query(user: Any, *, status: str = "pending") -> Select:
    """R11: transfers to an agency in the user's scope (the whole province for province-wide
    users) with the given status, oldest first."""
    query = select(PetitionTransfer).where(PetitionTransfer.status == status)
    ids = scope_agency_ids(user)
    if ids is not None:
        query = query.where(PetitionTransfer.to_agency_id.in_(ids))
    return query.order_by(PetitionTransfer.sent_at, PetitionTransfer.id)


def sent_query(user: Any) -> Select:
    """R11: transfers sent by agencies in the user's scope, newest first."""
    query = select(PetitionTransfer)
    ids = scope_agency_ids(user)
    if ids is not None:
        query = query.where(PetitionTransfer.from_agency_id.in_(ids))
    return query.order_by(PetitionTransfer.sent_at.desc(), PetitionTransfer.id.desc())


def _number(session: Session, petition: Petition) -> None:
    """Insert ``petition`` with the next number of its agency's register (TT 07/2014
    Art. 29); when a concurrent save took the number, draw again."""
    for attempt in range(NUMBER_ATTEMPTS):
        petition.register_number = next_register_number(
            session, petition.agency_id, petition.register_year
        )
        try:
            with session.begin_nested():
                session.add(petition)
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
        else:
            return


def _received_copy(session: Session, transfer: PetitionTransfer, received_at: dt.datetime):
    source = transfer.petition
    petition = Petition(
        agency_id=transfer.to_agency_id,
        register_year=to_local(received_at).year,
        received_at=received_at,
        channel="forwarded",
        source_agency_id=transfer.from_agency_id,
        source_name=transfer.from_agency.name,
        source_doc_number=transfer.doc_number,
        source_doc_date=to_local(transfer.sent_at).date(),
        case_id=source.case_id,
        forwarded_from_id=source.id,
        status="received",
        **{name: getattr(source, name) for name in COPIED_FIELDS},
    )
    assign_processing_deadline(session, petition)
    _number(session, petition)
    for signatory in source.signatories:
        session.add(
            PetitionSignatory(
                petition=petition,
                citizen_id=signatory.citizen_id,
                is_representative=signatory.is_representative,
                position=signatory.position,
            )
        )
    return petition


def receive_transfer(session: Session, transfer: PetitionTransfer, user: Any) -> Petition:
    """TT 07/2014 Art. 5(3), R7: a clerk of the target agency receives a forwarded
    petition. Creates the target's petition in the same case — channel "forwarded", the
    source agency and document, its own register number and processing deadline counted
    from today — records the step on both petitions and notifies the sender. Refused
    (NotPermitted / ProcessingRefused) for a user who may not receive for that agency or
    a transfer already received."""
    if not permissions.may_act_for(user, permissions.RECEIVE, transfer.to_agency_id):
        raise NotPermitted(gettext("You may not receive petitions for this agency."))
    locked = session.scalar(
        select(PetitionTransfer)
        .where(PetitionTransfer.id == transfer.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked.status != "pending":
        raise StaleVersion(gettext("This forwarded petition has already been received."))
    now = now_utc()
    petition = _received_copy(session, locked, now)
    locked.status = "received"
    locked.received_at = now
    locked.received_by_id = getattr(user, "id", None)
    locked.received_petition = petition
    source = locked.petition
    record_event(
        session,
        petition,
        user,
        "received_by_transfer",
        to_status="received",
        note=gettext(
            "Forwarded by %(agency)s (document %(doc)s), their petition %(number)s.",
            agency=locked.from_agency.name,
            doc=locked.doc_number or "—",
            number=source.register_code,
        ),
    )
    record_event(
        session,
        source,
        user,
        "transfer_received",
        note=gettext(
            "%(agency)s received it as petition %(number)s.",
            agency=locked.to_agency.name,
            number=petition.register_code,
        ),
    )
    _notify_sender(session, locked, petition)
    session.flush()
    return petition


def _notify_sender(session: Session, transfer: PetitionTransfer, received: Petition) -> None:
    """The user who forwarded the petition learns it was received (their agency, when the
    system forwarded it)."""
    title = _l(
        "Forwarded petition received by %(agency)s",
        agency=transfer.to_agency.name,
    )
    body = _l(
        "Your petition %(number)s was received as petition %(received)s on %(date)s.",
        number=transfer.petition.register_code,
        received=received.register_code,
        date=to_local(received.received_at).strftime("%d/%m/%Y"),
    )
    values = {
        "body": body,
        "link": petition_path(transfer.petition_id),
        "kind": "petition.transfer_received",
        "dedup_key": f"petition_transfer:{transfer.id}:received",
    }
    forwarded_by = transfer.petition.processed_by_id
    if forwarded_by is not None:
        notify_user(session, forwarded_by, title, **values)
    else:
        notify_agency(session, transfer.from_agency_id, title, **values)


def notify_returned(session: Session, petition: Petition, user: Any) -> None:
    """TT 07/2014 Art. 8(2): a petition returned to the agency that forwarded it: that
    agency is notified and, when it forwarded through this system, its petition shows
    the return."""
    if petition.source_agency_id is None:
        return
    origin = petition.forwarded_from
    if origin is not None:
        record_event(
            session,
            origin,
            user,
            "returned_to_us",
            note=gettext(
                "%(agency)s returned petition %(number)s.",
                agency=petition.agency.name,
                number=petition.register_code,
            ),
        )
    notify_agency(
        session,
        petition.source_agency_id,
        _l("Petition returned by %(agency)s", agency=petition.agency.name),
        body=petition.summary,
        link=petition_path(origin.id) if origin is not None else None,
        kind="petition.returned",
        dedup_key=f"petition:{petition.id}:returned",
    )


def record_reply(
    session: Session,
    petition: Petition,
    replied_on: dt.date | None,
    user: Any,
    *,
    version_id: int | None,
    doc_number: str | None = None,
) -> Petition:
    """TT 07/2014 Art. 29–30: the sender of a forwarded petition records the date of the
    competent agency's reply (phúc đáp; the forms count replies received). Refused for a
    petition not forwarded, a date in the future or before the forwarding, a user who
    may not process it, or a stale version."""
    if not permissions.may_act_for(user, permissions.PROCESS, petition.agency_id):
        raise NotPermitted(gettext("You may not process petitions of this agency."))
    if version_id is not None and version_id != petition.version_id:
        raise stale(petition, version_id)
    if petition.status != "forwarded":
        message = gettext("A reply can only be recorded for a forwarded petition.")
        raise ProcessingRefused({"": message})
    if replied_on is None:
        raise ProcessingRefused({"replied_on": gettext("Enter the date of the reply.")})
    if replied_on > today_local():
        raise ProcessingRefused({"replied_on": gettext("The date cannot be in the future.")})
    sent = session.scalar(
        select(PetitionTransfer.sent_at).where(PetitionTransfer.petition_id == petition.id)
    )
    if sent is not None and replied_on < to_local(sent).date():
        message = gettext("The reply cannot be dated before the petition was forwarded.")
        raise ProcessingRefused({"replied_on": message})
    if doc_number is not None and len(doc_number) > 100:
        message = gettext("At most %(count)s characters.", count=100)
        raise ProcessingRefused({"reply_doc_number": message})
    petition.reply_received_on = replied_on
    note = replied_on.strftime("%d/%m/%Y")
    if doc_number:
        note = gettext("%(date)s, document %(doc)s", date=note, doc=doc_number)
    record_event(session, petition, user, "reply_recorded", note=note)
    session.flush()
    return petition


@dataclass(frozen=True)
class ChainLink:
    """One agency's petition in a forwarding chain, as any agency of the chain may see it:
    names, numbers, dates and statuses only; ``visible`` when the user may open it."""

    agency_name: str
    petition_id: int | None
    register_code: str | None
    received_at: dt.datetime | None
    status: str | None
    visible: bool
    current: bool
    transfer: PetitionTransfer | None


def _chain_root(petition: Petition) -> Petition:
    seen = {petition.id}
    while petition.forwarded_from is not None and petition.forwarded_from_id not in seen:
        petition = petition.forwarded_from
        seen.add(petition.id)
    return petition


def transfer_chain(session: Session, petition: Petition, user: Any) -> list[ChainLink]:
    """The forwarding chain through ``petition``, first agency first; a transfer waiting
    in the last agency's inbox ends the chain with that agency (no petition yet). Empty
    when the petition was neither forwarded nor received by forwarding."""
    nodes: list[tuple[Petition, PetitionTransfer | None]] = []
    current = _chain_root(petition)
    seen: set[int] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        transfer = session.scalar(
            select(PetitionTransfer)
            .where(PetitionTransfer.petition_id == current.id)
            .order_by(PetitionTransfer.id.desc())
            .limit(1)
        )
        nodes.append((current, transfer))
        current = transfer.received_petition if transfer is not None else None
    if len(nodes) == 1 and nodes[0][1] is None:
        return []
    visible = ids_in_scope(Petition, [node.id for node, _ in nodes], user)
    links = [
        ChainLink(
            agency_name=node.agency.name,
            petition_id=node.id,
            register_code=node.register_code,
            received_at=node.received_at,
            status=node.status,
            visible=node.id in visible,
            current=node.id == petition.id,
            transfer=transfer,
        )
        for node, transfer in nodes
    ]
    last_transfer = nodes[-1][1]
    if last_transfer is not None and last_transfer.status == "pending":
        links.append(
            ChainLink(
                agency_name=last_transfer.to_agency.name,
                petition_id=None,
                register_code=None,
                received_at=None,
                status=None,
                visible=False,
                current=False,
                transfer=None,
            )
        )
    return links
