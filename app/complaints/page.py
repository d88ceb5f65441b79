"""The dossier page /complaints/dossiers/<id> (issue 4): everything about one complaint
under resolution on one page.

Header (case, complainants, instance, status, the running clock's state in colour); both
legal clocks with how they were computed (a suspended clock with the days counted and
left); the flags and the decisions that set them; every step with its date and document;
the log of deadline changes with their reasons; the decision with its results, delivery
and enforcement; the documents (attachments with their PDF signatures, the petition's
slips); the forms of the steps the dossier's status allows (for who resolves it); the
case's full timeline (app.complaints.timeline) and the audit history (R9). A dossier
outside the user's data scope answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, g, request
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.history import history_for
from app.calendar.store import load_calendar
from app.complaints import choices
from app.complaints.actions import DECISION_AMOUNTS, DECISION_COUNTS, ENFORCEMENT_COUNTS
from app.complaints.clock_display import delivery_display, dossier_clocks, list_state
from app.complaints.documents import dossier_files
from app.complaints.export import result_titles
from app.complaints.models import ComplaintDossier, ComplaintGround
from app.complaints.permissions import may_resolve
from app.complaints.services import remaining_complainants, withdrawn_persons
from app.complaints.timeline import case_timeline
from app.core.clock import today_local
from app.extensions import db
from app.petitions.hooks import document_links
from app.petitions.models import Petition, PetitionSignatory
from app.security.scope import ids_in_scope, scope_condition

# Bootstrap 3 contextual class of each status.
STATUS_CSS = {
    "pending": "warning",
    "accepted": "primary",
    "suspended": "info",
    "not_accepted": "default",
    "resolved": "success",
    "withdrawn": "default",
}
# The steps each status allows, in the order the forms are offered.
ACTIONS_BY_STATUS = {
    "pending": ("accept", "refuse", "withdraw"),
    "accepted": ("step", "flags", "suspend", "decide", "withdraw"),
    "suspended": ("resume", "flags", "withdraw"),
    "resolved": ("delivery", "enforce"),
}
# Enforcement pairs shown side by side: (to do, done) — Luật KN Art. 46, form 02/KQGQ.
ENFORCEMENT_PAIRS = (
    ("money_to_recover", "money_recovered"),
    ("land_to_recover", "land_recovered"),
    ("money_to_return_organisations", "money_returned_organisations"),
    ("land_to_return_organisations", "land_returned_organisations"),
    ("money_to_return_individuals", "money_returned_individuals"),
    ("land_to_return_individuals", "land_returned_individuals"),
)
# The checkboxes of each step's form.
CHECKBOXES = {"flags": ("complex_case", "remote_area"), "enforce": ("done",)}
# What a new enforcement record starts from: the decision's amounts.
ENFORCEMENT_DEFAULTS = {
    "money_to_recover": "money_to_state",
    "land_to_recover": "land_to_state",
    "money_to_return_organisations": "money_to_organisations",
    "land_to_return_organisations": "land_to_organisations",
    "money_to_return_individuals": "money_to_individuals",
    "land_to_return_individuals": "land_to_individuals",
}


def scoped_dossier(pk: int, user: Any) -> ComplaintDossier:
    """R11: the dossier ``pk`` in the user's data scope, else 404."""
    dossier = db.session.scalar(
        select(ComplaintDossier)
        .where(ComplaintDossier.id == pk, scope_condition(ComplaintDossier, user))
        .options(
            selectinload(ComplaintDossier.steps),
            selectinload(ComplaintDossier.deadline_changes),
            selectinload(ComplaintDossier.petition)
            .selectinload(Petition.signatories)
            .selectinload(PetitionSignatory.citizen),
        )
    )
    if dossier is None:
        abort(404)
    return dossier


def format_number(value: Any) -> str:
    """A figure the Vietnamese way: dots between thousands, decimal comma, no trailing
    zeros ("1.250,5"); empty for None."""
    if value is None:
        return ""
    text = f"{value:,f}" if not isinstance(value, int) else f"{value:,}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _other_instances(dossier: ComplaintDossier, user: Any) -> list[tuple[ComplaintDossier, bool]]:
    """The case's dossiers of the other instance, each with whether the user may open it."""
    others = list(
        db.session.scalars(
            select(ComplaintDossier).where(
                ComplaintDossier.case_id == dossier.case_id, ComplaintDossier.id != dossier.id
            )
        )
    )
    visible = ids_in_scope(ComplaintDossier, [other.id for other in others], user)
    return [(other, other.id in visible) for other in others]


def _documents(petition: Petition) -> list[Any]:
    """The petition's documents other packages offer (slips), without the dossier links."""
    own = request.script_root + "/complaints/"
    return [link for link in document_links(petition) if not link.url.startswith(own)]


def _form_defaults(dossier: ComplaintDossier, today: dt.date) -> dict[str, str]:
    """What the forms show before anything is typed: today's date, the flags as they
    are, and an enforcement starting from the decision's amounts."""
    day = today.strftime("%d/%m/%Y")
    defaults = {name: day for name in ("accepted_on", "not_accepted_on", "on", "decided_on")}
    defaults.update(
        complex_case="1" if dossier.complex_case else "",
        remote_area="1" if dossier.remote_area else "",
        mode="decision",
    )
    decision = dossier.decision
    enforcement = decision.enforcement if decision is not None else None
    if enforcement is not None:
        for to_do, done in ENFORCEMENT_PAIRS:
            defaults[to_do] = format_number(getattr(enforcement, to_do))
            defaults[done] = format_number(getattr(enforcement, done))
        for name in ENFORCEMENT_COUNTS:
            defaults[name] = str(getattr(enforcement, name))
        defaults["done"] = "1" if enforcement.done else ""
        done_on = enforcement.done_on
        defaults["done_on"] = done_on.strftime("%d/%m/%Y") if done_on else day
    elif decision is not None:
        for name, source in ENFORCEMENT_DEFAULTS.items():
            defaults[name] = format_number(getattr(decision, source))
        defaults["done_on"] = day
    if decision is not None:
        sent = decision.sent_to_parties_on
        defaults["sent_to_parties_on"] = sent.strftime("%d/%m/%Y") if sent else day
    return defaults


def _typed(defaults: dict[str, str], action: str | None, form: dict[str, Any] | None) -> dict:
    """The defaults with what was typed in the refused step's form over them (an
    unticked checkbox is sent as nothing, so it is unticked again)."""
    if not action or form is None:
        return defaults
    typed = {**defaults, **form}
    for name in CHECKBOXES.get(action, ()):
        typed[name] = form.get(name, "")
    return typed


def render_dossier_page(
    view: BaseView,
    dossier: ComplaintDossier,
    *,
    action: str | None = None,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The dossier page; after a refused step, that step's form keeps what was typed
    (``form``) with ``errors`` next to its fields."""
    user = g.user
    today = today_local()
    calendar = load_calendar(db.session)
    acceptance, resolution = dossier_clocks(db.session, dossier, calendar=calendar, today=today)
    petition = dossier.petition
    decision = dossier.decision
    may_act = may_resolve(user, dossier.agency_id)
    actions = ACTIONS_BY_STATUS.get(dossier.status, ()) if may_act else ()
    if decision is not None and decision.mode != "decision":
        actions = ()
    defaults = _form_defaults(dossier, today)
    results = (
        choices.FIRST_INSTANCE_RESULTS if dossier.instance == 1 else choices.SECOND_INSTANCE_RESULTS
    )
    page = view.render_template(
        "complaints/dossier.html",
        dossier=dossier,
        case=dossier.case,
        petition=petition,
        status_label=choices.DOSSIER_STATUSES.get(dossier.status, dossier.status),
        status_css=STATUS_CSS.get(dossier.status, "default"),
        state=list_state(dossier, today, calendar),
        acceptance=acceptance,
        resolution=resolution,
        withdrawn=withdrawn_persons(dossier),
        remaining=remaining_complainants(dossier, petition),
        flag_steps=[s for s in dossier.steps if s.kind in ("complex_set", "remote_set")],
        reviewed=dossier.reviewed_decision,
        other_instances=_other_instances(dossier, user),
        decision=decision,
        delivery=delivery_display(db.session, decision, today=today) if decision else None,
        enforcement=decision.enforcement if decision is not None else None,
        result_titles=result_titles(),
        enforcement_labels=choices.ENFORCEMENT_LABELS,
        decision_amounts=DECISION_AMOUNTS,
        decision_counts=DECISION_COUNTS,
        enforcement_pairs=ENFORCEMENT_PAIRS,
        enforcement_counts=ENFORCEMENT_COUNTS,
        files=dossier_files(db.session, dossier),
        documents=_documents(petition),
        timeline=case_timeline(db.session, dossier.case_id, user),
        history=history_for(dossier),
        may_act=may_act,
        actions=actions,
        active_action=action if action in actions else (actions[0] if actions else None),
        form=_typed(defaults, action, form),
        form_defaults=defaults,
        errors=errors or {},
        grounds=db.session.scalars(
            select(ComplaintGround)
            .where(ComplaintGround.active.is_(True))
            .order_by(ComplaintGround.sort_order)
        ).all(),
        statuses=choices.DOSSIER_STATUSES,
        step_kinds=choices.STEP_KINDS,
        work_step_kinds=choices.WORK_STEP_KINDS,
        results=results,
        all_results={**choices.FIRST_INSTANCE_RESULTS, **choices.SECOND_INSTANCE_RESULTS},
        modes=choices.DECISION_MODES,
        number=format_number,
    )
    return page, status
