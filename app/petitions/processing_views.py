"""Processing screens (issue 3): the processing form's actions on the petition page, the
target-agency picker, the inbox of forwarded petitions ("Đơn chuyển đến") and the queue
of petitions to process by deadline state. Thin: the rules are in
app.petitions.processing and app.petitions.transfers; a refusal is shown next to the
fields (or as a message) and nothing is saved.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import abort, flash, g, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from app.calendar.changes import register_deadline_recomputer
from app.calendar.store import load_calendar
from app.core.clock import today_local
from app.extensions import db
from app.home.attention import add_attention_provider
from app.petitions import choices
from app.petitions.deadline_display import STATE_LABELS, deadline_displays
from app.petitions.detail_views import PetitionPageView, render_petition_page, scoped_petition
from app.petitions.models import Petition, PetitionTransfer
from app.petitions.processing import ProcessingInput, process_petition
from app.petitions.processing_api import PetitionProcessingApi
from app.petitions.processing_attention import deadline_cards, inbox_cards
from app.petitions.queue import STATES, count, open_petitions
from app.petitions.recompute import recompute_petition_deadlines
from app.petitions.refusals import NotPermitted, ProcessingRefused, StaleVersion
from app.petitions.transfers import (
    forwarding_targets,
    inbox_query,
    receive_transfer,
    record_reply,
    sent_query,
)
from app.security.scope import ids_in_scope
from app.ui.dates import parse_vn_date
from app.ui.remembered_filters import page_and_size, remembered_args

# Rows a list page shows.
PAGE_ROWS = 200
# Rows per page of the processing queue (a worklist: the first page is the urgent one).
QUEUE_PAGE_SIZES = (50, 100, 200)
CATEGORY = "Petitions"


def _bool(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def processing_input(form: MultiDict) -> ProcessingInput:
    """The processing form as typed; an unreadable version counts as stale."""
    version = _int(form.get("version_id"))
    return ProcessingInput(
        version_id=version if version is not None else -1,
        eligible=_bool(form.get("eligible")),
        competent=_bool(form.get("competent")),
        outcome=form.get("outcome") or None,
        reason_id=_int(form.get("reason_id")),
        note=form.get("note"),
        target_agency_id=_int(form.get("target_agency_id")),
        target_name=form.get("target_name"),
        doc_number=form.get("doc_number"),
    )


def _done_message(outcome: str, register_code: str, target: str | None) -> str:
    if outcome == "forwarded":
        return gettext(
            "Petition %(number)s was forwarded to %(agency)s; it waits in that agency's inbox.",
            number=register_code,
            agency=target,
        )
    if outcome == "accepted":
        return gettext("Petition %(number)s was accepted for resolution.", number=register_code)
    return gettext(
        "Petition %(number)s was processed: %(outcome)s.",
        number=register_code,
        outcome=choices.OUTCOMES[outcome],
    )


def _refused(view: BaseView, pk: int, refused: ProcessingRefused, form: dict, **kwargs: Any):
    """Roll back, then show the page again with the current petition and the messages."""
    db.session.rollback()
    petition = scoped_petition(pk, g.user)
    if isinstance(refused, StaleVersion):
        form["version_id"] = str(petition.version_id)
        status = 409
    else:
        status = 403 if isinstance(refused, NotPermitted) else 400
    general = refused.errors.get("")
    flash(general or gettext("Nothing was saved: correct the fields marked."), "danger")
    return render_petition_page(view, petition, form=form, status=status, **kwargs)


class PetitionProcessView(BaseView):
    """Processing a petition of the user's scope, and recording the reply to a forwarded one."""

    route_base = "/petitions"
    method_permission_name = {"process": "process", "reply": "process", "targets": "process"}

    @expose("/<int:pk>/process", methods=["POST"])
    @has_access
    def process(self, pk: int) -> ResponseReturnValue:
        """TT 07/2014 Art. 6–9, 21–28: eligibility, competence and one outcome."""
        petition = scoped_petition(pk, g.user)
        form = request.form.to_dict()
        try:
            process_petition(db.session, petition, processing_input(request.form), g.user)
            message = _done_message(petition.status, petition.register_code, petition.target_name)
            db.session.commit()
        except ProcessingRefused as refused:
            return _refused(self, pk, refused, form, errors=refused.errors)
        flash(message, "success")
        return redirect(url_for(f"{PetitionPageView.__name__}.show", pk=pk))

    @expose("/<int:pk>/reply", methods=["POST"])
    @has_access
    def reply(self, pk: int) -> ResponseReturnValue:
        """TT 07/2014 Art. 29–30: the date the competent agency replied (phúc đáp)."""
        petition = scoped_petition(pk, g.user)
        form = request.form.to_dict()
        text = (form.get("replied_on") or "").strip()
        try:
            replied_on = parse_vn_date(text) if text else None
        except ValueError:
            message = gettext("Invalid date, enter it as dd/mm/yyyy")
            refused = ProcessingRefused({"replied_on": message})
            return _refused(self, pk, refused, form, reply_errors=refused.errors)
        try:
            record_reply(
                db.session,
                petition,
                replied_on,
                g.user,
                version_id=_int(form.get("version_id")) or -1,
                doc_number=(form.get("reply_doc_number") or "").strip() or None,
            )
            db.session.commit()
        except ProcessingRefused as refused:
            return _refused(self, pk, refused, form, reply_errors=refused.errors)
        flash(gettext("The reply was recorded."), "success")
        return redirect(url_for(f"{PetitionPageView.__name__}.show", pk=pk))

    @expose("/<int:pk>/targets")
    @has_access
    def targets(self, pk: int) -> ResponseReturnValue:
        """Search-as-you-type for the target agency (names only): receiving agencies to
        forward to (R2), any agency to guide the citizen to (``purpose=guide``)."""
        petition = scoped_petition(pk, g.user)
        agencies = forwarding_targets(
            db.session,
            petition.agency_id,
            request.args.get("q", ""),
            receiving_only=request.args.get("purpose") != "guide",
        )
        return jsonify({"results": [{"id": agency.id, "text": agency.name} for agency in agencies]})


class TransferInboxView(BaseView):
    """R7: "Đơn chuyển đến" — petitions forwarded to the user's agency, waiting to be
    received; and the petitions the agency forwarded, with their state."""

    route_base = "/petitions/inbox"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self) -> ResponseReturnValue:
        """Pending transfers to the user's scope, and those it sent."""
        user = g.user
        pending = list(db.session.scalars(inbox_query(user).limit(PAGE_ROWS)))
        sent = list(db.session.scalars(sent_query(user).limit(PAGE_ROWS)))
        received_ids = [t.received_petition_id for t in sent if t.received_petition_id]
        return self.render_template(
            "petitions/inbox.html",
            pending=pending,
            sent=sent,
            visible=ids_in_scope(Petition, received_ids, user),
            transfer_statuses=choices.TRANSFER_STATUSES,
            kinds=choices.KINDS,
            may_receive=self.appbuilder.sm.has_access("can_receive", type(self).__name__),
        )

    @expose("/<int:transfer_id>/receive", methods=["POST"])
    @has_access
    def receive(self, transfer_id: int) -> ResponseReturnValue:
        """Receive a forwarded petition: it gets this agency's register number and deadline."""
        transfer = db.session.scalar(
            inbox_query(g.user, status="pending").where(PetitionTransfer.id == transfer_id)
        )
        if transfer is None:
            received = db.session.scalar(
                inbox_query(g.user, status="received").where(PetitionTransfer.id == transfer_id)
            )
            if received is None:
                abort(404)
            flash(gettext("This forwarded petition has already been received."), "warning")
            return redirect(url_for(".list"))
        try:
            petition = receive_transfer(db.session, transfer, g.user)
            number = petition.register_code
            db.session.commit()
        except ProcessingRefused as refused:
            db.session.rollback()
            flash(refused.message, "danger")
            return redirect(url_for(".list"))
        flash(
            gettext(
                "The forwarded petition was received as petition %(number)s; process it "
                "within its deadline.",
                number=number,
            ),
            "success",
        )
        return redirect(url_for(f"{PetitionPageView.__name__}.show", pk=petition.id))


class ProcessingQueueView(BaseView):
    """Open petitions of the user's scope by deadline, earliest first, filtered by state."""

    route_base = "/petitions/queue"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self) -> ResponseReturnValue:
        """The queue, one page; ``?state=overdue|due_today|due_soon|on_track`` filters it,
        and the state and page size chosen last are kept for the session ("All" forgets
        them; issue 8)."""
        args = remembered_args("petitions.queue")
        state = args.get("state")
        state = state if state in STATES else None
        page, size = page_and_size(args, QUEUE_PAGE_SIZES)
        today = today_local()
        calendar = load_calendar(db.session)
        query = open_petitions(g.user, state, today, calendar)
        total = count(db.session, query)
        pages = max((total + size - 1) // size, 1)
        page = min(page, pages)
        petitions = list(db.session.scalars(query.offset((page - 1) * size).limit(size)))
        counts = {
            key: count(db.session, open_petitions(g.user, key, today, calendar)) for key in STATES
        }
        return self.render_template(
            "petitions/process_queue.html",
            petitions=petitions,
            total=total,
            page=page,
            pages=pages,
            size=size,
            sizes=QUEUE_PAGE_SIZES,
            query_string=urlencode({"state": state or "", "psize": size}),
            state=state,
            states=STATES,
            state_labels=STATE_LABELS,
            counts=counts,
            deadlines=deadline_displays(db.session, petitions, today=today),
            kinds=choices.KINDS,
        )


def register(appbuilder: AppBuilder) -> None:
    """Add the petition page, processing, the inbox, the queue and their REST API; register
    the deadline recomputer and the landing page's cards."""
    appbuilder.add_view_no_menu(PetitionPageView)
    appbuilder.add_view_no_menu(PetitionProcessView)
    appbuilder.add_view(
        ProcessingQueueView,
        "Petitions to process",
        label=_l("Petitions to process"),
        icon="fa-hourglass-half",
        category=CATEGORY,
        category_label=_l("Petitions"),
    )
    appbuilder.add_view(
        TransferInboxView,
        "Incoming petitions",
        label=_l("Incoming petitions"),
        icon="fa-share-square-o",
        category=CATEGORY,
        category_label=_l("Petitions"),
    )
    appbuilder.add_api(PetitionProcessingApi)
    register_deadline_recomputer(recompute_petition_deadlines)
    add_attention_provider(deadline_cards)
    add_attention_provider(inbox_cards)
