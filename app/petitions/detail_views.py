"""The petition page /petitions/<id> (issue 3): everything about one petition on one page.

Header (register number, status, deadline state), the deadline with how it was computed,
citizens and signatories, the case with its other petitions, source, kind and content,
the documents block (attachments and the documents other packages offer through
app.petitions.hooks.add_document_provider), the forwarding chain, the processing form
(app.petitions.processing_views posts it), and the timeline: history steps, transfers
both ways and the audit log (R9). A petition outside the user's data scope answers 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import abort, g
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.agencies.models import Agency
from app.audit.history import history_for
from app.core.clock import to_local
from app.extensions import db
from app.files.models import StoredFile
from app.petitions import choices, permissions
from app.petitions.deadline_display import deadline_display
from app.petitions.hooks import document_links
from app.petitions.models import Petition, PetitionSignatory, PetitionTransfer
from app.petitions.processing import allowed_outcomes, reasons_for
from app.petitions.transfers import transfer_chain
from app.security.models import AppUser
from app.security.scope import scope_condition

# Bootstrap 3 contextual class of each status.
STATUS_CSS = {
    "received": "primary",
    "accepted": "success",
    "forwarded": "info",
    "guided": "info",
    "returned": "warning",
    "archived": "default",
    "filed": "default",
}
# Font Awesome icon of each step of the timeline.
EVENT_ICONS = {
    "received": "fa-inbox",
    "repeat_received": "fa-clone",
    "processed": "fa-gavel",
    "transfer_received": "fa-check-circle",
    "received_by_transfer": "fa-sign-in",
    "reply_recorded": "fa-reply",
    "returned_to_us": "fa-undo",
    "deadline_recomputed": "fa-calendar",
    "transfer_sent": "fa-share",
    "transfer_in": "fa-share fa-flip-horizontal",
}


# Among steps of the same minute: the transfer that brought the petition comes first, the
# transfer it was sent on comes last.
TIMELINE_ORDER = {"transfer_in": 0, "transfer_sent": 2}


@dataclass(frozen=True)
class TimelineItem:
    """One line of the timeline: when, what, by whom, details."""

    at: dt.datetime
    kind: str
    title: str
    note: str | None
    who: str | None
    status_change: tuple[str, str] | None


def scoped_petition(pk: int, user: Any) -> Petition:
    """R11: the petition ``pk`` in the user's data scope, else 404."""
    petition = db.session.scalar(
        select(Petition)
        .where(Petition.id == pk, scope_condition(Petition, user))
        .options(
            selectinload(Petition.signatories).selectinload(PetitionSignatory.citizen),
            selectinload(Petition.events),
        )
    )
    if petition is None:
        abort(404)
    return petition


def _label(mapping: dict[str, Any], key: str | None) -> str:
    return str(mapping.get(key, key or ""))


def _case_petitions(petition: Petition, user: Any) -> tuple[list[Petition], list[Petition]]:
    """The case's other petitions: (those in the user's scope, those of other agencies)."""
    others = list(
        db.session.scalars(
            select(Petition)
            .where(Petition.case_id == petition.case_id, Petition.id != petition.id)
            .order_by(Petition.received_at)
        )
    )
    inside = set(
        db.session.scalars(
            select(Petition.id).where(
                Petition.id.in_([p.id for p in others]), scope_condition(Petition, user)
            )
        )
    )
    return [p for p in others if p.id in inside], [p for p in others if p.id not in inside]


def _transfers(petition: Petition) -> tuple[list[PetitionTransfer], list[PetitionTransfer]]:
    """(transfers sent from this petition, the transfer that brought it here)."""
    sent = list(
        db.session.scalars(
            select(PetitionTransfer)
            .where(PetitionTransfer.petition_id == petition.id)
            .order_by(PetitionTransfer.sent_at)
        )
    )
    came = list(
        db.session.scalars(
            select(PetitionTransfer).where(PetitionTransfer.received_petition_id == petition.id)
        )
    )
    return sent, came


def timeline(petition: Petition, sent: list, came: list) -> list[TimelineItem]:
    """The history steps and the transfers both ways, oldest first."""
    items = [
        TimelineItem(
            at=event.at,
            kind=event.event,
            title=_label(choices.EVENTS, event.event),
            note=event.note,
            who=event.username,
            status_change=(
                (
                    _label(choices.STATUSES, event.from_status),
                    _label(choices.STATUSES, event.to_status),
                )
                if event.from_status and event.to_status and event.from_status != event.to_status
                else None
            ),
        )
        for event in petition.events
    ]
    for transfer in sent:
        items.append(
            TimelineItem(
                at=transfer.sent_at,
                kind="transfer_sent",
                title=gettext("Forwarded to %(agency)s", agency=transfer.to_agency.name),
                note=_transfer_note(transfer),
                who=None,
                status_change=None,
            )
        )
    for transfer in came:
        items.append(
            TimelineItem(
                at=transfer.sent_at,
                kind="transfer_in",
                title=gettext("Forwarded here by %(agency)s", agency=transfer.from_agency.name),
                note=_transfer_note(transfer),
                who=None,
                status_change=None,
            )
        )
    return sorted(items, key=lambda item: (item.at, TIMELINE_ORDER.get(item.kind, 1)))


def _transfer_note(transfer: PetitionTransfer) -> str:
    parts = []
    if transfer.doc_number:
        parts.append(gettext("Document %(doc)s", doc=transfer.doc_number))
    parts.append(_label(choices.TRANSFER_STATUSES, transfer.status))
    if transfer.received_at is not None:
        received = to_local(transfer.received_at).strftime("%H:%M %d/%m/%Y")
        parts.append(gettext("received at %(time)s", time=received))
    return " · ".join(parts)


def _attachments(petition: Petition) -> list[StoredFile]:
    return list(
        db.session.scalars(
            select(StoredFile)
            .where(StoredFile.owner_table == "petition", StoredFile.owner_id == petition.id)
            .order_by(StoredFile.created_at)
        )
    )


def render_petition_page(
    view: BaseView,
    petition: Petition,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    reply_errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The petition page, with the processing form filled with ``form`` (what the user
    typed) and ``errors`` next to its fields when a step was refused."""
    user = g.user
    may_process = permissions.may_act_for(user, permissions.PROCESS, petition.agency_id)
    open_for_processing = may_process and petition.status in choices.OPEN_STATUSES
    in_scope, elsewhere = _case_petitions(petition, user)
    sent, came = _transfers(petition)
    form = form or {}
    target_id = form.get("target_agency_id") or None
    target = db.session.get(Agency, int(target_id)) if str(target_id or "").isdigit() else None
    page = view.render_template(
        "petitions/detail.html",
        petition=petition,
        labels={
            "status": _label(choices.STATUSES, petition.status),
            "kind": _label(choices.KINDS, petition.kind),
            "channel": _label(choices.CHANNELS, petition.channel),
            "prior": _label(choices.PRIOR_RESOLUTION, petition.prior_resolution),
            "repeat": _label(choices.REPEAT_KINDS, petition.repeat_kind),
        },
        status_css=STATUS_CSS.get(petition.status, "default"),
        deadline=deadline_display(db.session, petition),
        case_petitions=in_scope,
        case_elsewhere=elsewhere,
        statuses=choices.STATUSES,
        repeat_kinds=choices.REPEAT_KINDS,
        chain=transfer_chain(db.session, petition, user),
        transfer_statuses=choices.TRANSFER_STATUSES,
        timeline=timeline(petition, sent, came),
        event_icons=EVENT_ICONS,
        history=history_for(petition),
        attachments=_attachments(petition),
        documents=document_links(petition),
        may_process=open_for_processing,
        may_record_reply=may_process and petition.status == "forwarded",
        outcomes=choices.OUTCOMES,
        reasons=reasons_for(db.session) if open_for_processing else [],
        allowed=allowed_outcomes(db.session, petition) if open_for_processing else {},
        form=form,
        errors=errors or {},
        reply_errors=reply_errors or {},
        target=target,
        processed_by=_user_name(petition.processed_by_id),
    )
    return page, status


def _user_name(user_id: int | None) -> str | None:
    """Full name of an account, Vietnamese order."""
    account = db.session.get(AppUser, user_id) if user_id is not None else None
    if account is None:
        return None
    return " ".join(part for part in (account.first_name, account.last_name) if part)


class PetitionPageView(BaseView):
    """The petition page (read by clerks, leaders and monitors of the petition's scope)."""

    route_base = "/petitions"

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int) -> ResponseReturnValue:
        """R11: the petition ``pk`` of the user's scope (404 outside it)."""
        return render_petition_page(self, scoped_petition(pk, g.user))
