"""The "Tiếp nhận đơn" screen: lookup first (R6, R12), then the petition form (issue 3).

Step 1: the clerk types what the citizen gives; matches from every agency of the province
appear as they type (htmx). They then join the petition to a matched case as a repeat
submission, open a new case for the same citizen, or start a new petition. Step 2: the
petition form, prefilled from step 1, saved through ``receive_petition``; after a
validation error it comes back with everything typed and a message next to each field.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, jsonify, redirect, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import true
from werkzeug.datastructures import MultiDict

from app.agencies.models import Agency
from app.core.clock import now_local, today_local
from app.extensions import db
from app.petitions.choices import (
    CHANNELS,
    KINDS,
    PRIOR_RESOLUTION,
    REPEAT_KINDS,
    SEXES,
    STATUSES,
)
from app.petitions.intake import receive_petition
from app.petitions.intake_data import (
    DENUNCIATION,
    FURTHER_RIGHT,
    JOIN_CASE,
    MULTI_SIGNATORY_MIN,
    NEW_CASE,
    NEW_CASE_SAME_CITIZEN,
    DenunciationRefused,
    IntakeInvalid,
    signatory_field,
)
from app.petitions.lookup import REASON_LABELS, LookupQuery, lookup
from app.petitions.models import Case, ReceptionVisit, SubjectArea
from app.petitions.pickers import (
    agency_choice,
    commune_choice,
    receiving_agencies_in,
    search_agencies,
    search_communes,
)
from app.petitions.transfers import petition_path
from app.petitions.validation import (
    AREA_APPLIES_TO,
    TEXT_LIMITS,
    denunciation_message,
    form_signatory_rows,
    validate_intake,
)
from app.security.scope import scope_condition
from app.ui.dates import DATETIME_FORMAT

# Lookup fields of step 1, carried into step 2.
LOOKUP_FIELDS = ("full_name", "id_number", "phone", "address", "commune", "commune_label", "matter")
# Receiving agencies offered as a plain list up to this many; beyond, a search picker.
SHORT_LIST = 30
MATCH_LIMIT = 10


def kind_choices() -> dict[str, Any]:
    """The kinds the form offers: those received, and denunciation only to refuse it (R20)."""
    return {**KINDS, DENUNCIATION: _l("Denunciation")}


def subject_areas(kind: str | None) -> list[SubjectArea]:
    """The active subject areas of ``kind``; none before a received kind is chosen."""
    if kind not in AREA_APPLIES_TO:
        return []
    return list(
        db.session.scalars(
            db.select(SubjectArea)
            .where(SubjectArea.active.is_(True), SubjectArea.applies_to.in_(AREA_APPLIES_TO[kind]))
            .order_by(SubjectArea.sort_order)
        )
    )


def _typed_query(args: MultiDict) -> LookupQuery:
    return LookupQuery(
        full_name=args.get("full_name", "").strip(),
        id_number=args.get("id_number", "").strip(),
        phone=args.get("phone", "").strip(),
        address=args.get("address", "").strip(),
        commune_unit_id=args.get("commune", type=int),
        matter=args.get("matter", "").strip(),
    )


def _decision(pick: str) -> tuple[str, int | None]:
    """``join_case:12`` → (join_case, 12); anything unreadable is a new case."""
    mode, _sep, case_id = pick.partition(":")
    if mode in (JOIN_CASE, NEW_CASE_SAME_CITIZEN) and case_id.isdigit():
        return mode, int(case_id)
    return NEW_CASE, None


def _prefilled(args: MultiDict, user: Any) -> MultiDict:
    """Step 2's first values: what step 1 typed, the decision taken, sensible defaults."""
    mode, case_id = _decision(args.get("pick", ""))
    agencies = receiving_agencies_in(db.session, scope_condition(Agency, user))
    own = next((a for a in agencies if a.id == getattr(user, "agency_id", None)), None)
    default_agency = own or (agencies[0] if len(agencies) == 1 else None)
    values = MultiDict(
        {
            "decision": mode,
            "case": str(case_id or ""),
            "agency": str(default_agency.id) if default_agency else "",
            "received_at": now_local().strftime(DATETIME_FORMAT),
            "channel": "in_person",
            "prior_resolution": "none",
            "summary": args.get("matter", ""),
            "visit": args.get("visit", ""),
            signatory_field(0, "full_name"): args.get("full_name", ""),
            signatory_field(0, "id_number"): args.get("id_number", ""),
            signatory_field(0, "phone"): args.get("phone", ""),
            signatory_field(0, "address_detail"): args.get("address", ""),
            signatory_field(0, "commune"): args.get("commune", ""),
            signatory_field(0, "commune_label"): args.get("commune_label", ""),
        }
    )
    return values


class PetitionIntakeView(BaseView):
    """Issue 3, R6, R12: receive a petition — lookup first, then the form."""

    route_base = "/petitions/intake"
    default_view = "lookup"
    # Every page of the screen is one right: receiving petitions ("can intake").
    method_permission_name = {
        name: "intake"
        for name in (
            "lookup",
            "matches",
            "new",
            "save",
            "communes",
            "agencies",
            "receivers",
            "areas",
            "signatory",
        )
    }

    @expose("/")
    @has_access
    def lookup(self):
        """Step 1: the lookup form (values kept when coming back from step 2)."""
        return self.render_template(
            "petitions/intake_lookup.html",
            title=gettext("Receive a petition"),
            typed=request.args,
            visit=_visit(request.args.get("visit", type=int)),
        )

    @expose("/matches")
    @has_access
    def matches(self):
        """R6, R12: the matches of what is typed, from every agency of the province, best
        first; outside the user's scope only the case's general facts are shown."""
        query = _typed_query(request.args)
        found = lookup(db.session, query, g.user, limit=MATCH_LIMIT) if _worth(query) else None
        return self.render_template(
            "petitions/intake_matches.html",
            matches=found,
            reasons=REASON_LABELS,
            kinds=KINDS,
            statuses=STATUSES,
        )

    @expose("/new", methods=["GET"])
    @has_access
    def new(self):
        """Step 2: the petition form, prefilled from the lookup and the decision taken."""
        return self._form(_prefilled(request.args, g.user), {}, typed=request.args)

    @expose("/new", methods=["POST"])
    @has_access
    def save(self):
        """Save the petition (``receive_petition``); on bad input show the form again with
        everything typed and a message next to each field; nothing is saved."""
        form = request.form
        data, errors = validate_intake(db.session, form, form_signatory_rows(form), g.user)
        if not errors:
            try:
                petition = receive_petition(db.session, data, g.user)
                db.session.commit()
            except IntakeInvalid as invalid:
                errors = invalid.errors
            except DenunciationRefused as refused:
                errors = {"kind": refused.message}
            else:
                flash(_saved_message(petition), "success")
                return redirect(petition_path(petition.id))
        db.session.rollback()
        flash(gettext("The petition was not saved: correct the fields marked in red."), "danger")
        return self._form(form, errors, typed=form), 200

    def _form(self, values: MultiDict, errors: dict[str, str], typed: MultiDict):
        user = g.user
        agencies = receiving_agencies_in(db.session, scope_condition(Agency, user))
        rows = form_signatory_rows(values) or [{"row": 0}]
        for row in rows:
            if row.get("commune") and not row.get("commune_label"):
                choice = commune_choice(db.session, _int(row.get("commune")))
                row["commune_label"] = choice.label if choice else ""
        mode, case_id = values.get("decision", NEW_CASE), values.get("case", type=int)
        return self.render_template(
            "petitions/intake_form.html",
            title=gettext("Receive a petition"),
            values=values,
            errors=errors,
            rows=rows,
            next_row=max(int(row.get("row", 0)) for row in rows) + 1,
            agencies=agencies if len(agencies) <= SHORT_LIST else None,
            agency=agency_choice(db.session, values.get("agency", type=int)),
            source_agency=agency_choice(db.session, values.get("source_agency", type=int)),
            channels=CHANNELS,
            kinds=kind_choices(),
            areas=subject_areas(values.get("kind")),
            chosen_area=values.get("subject_area", type=int),
            prior_resolutions=PRIOR_RESOLUTION,
            repeat_kinds=REPEAT_KINDS,
            further_right=FURTHER_RIGHT,
            sexes=SEXES,
            mode=mode,
            case=_case_summary(case_id, user) if mode != NEW_CASE else None,
            visit=_visit(values.get("visit", type=int)),
            limits=TEXT_LIMITS,
            multi_signatory_min=MULTI_SIGNATORY_MIN,
            denunciation=denunciation_message(),
            back_args=_lookup_args(typed),
        )

    @expose("/communes")
    @has_access
    def communes(self):
        """Communes matching what is typed (search-as-you-type picker)."""
        found = search_communes(db.session, request.args.get("q", ""), today_local())
        return jsonify([choice.__dict__ for choice in found])

    @expose("/agencies")
    @has_access
    def agencies(self):
        """Agencies of the province matching what is typed: the agency that forwarded a
        petition may be any of them (names only)."""
        found = search_agencies(db.session, request.args.get("q", ""), true(), today_local())
        return jsonify([choice.__dict__ for choice in found])

    @expose("/receivers")
    @has_access
    def receivers(self):
        """R2, R11: receiving agencies of the user's scope matching what is typed."""
        condition = scope_condition(Agency, g.user) & Agency.receives_petitions.is_(True)
        found = search_agencies(db.session, request.args.get("q", ""), condition, today_local())
        return jsonify([choice.__dict__ for choice in found])

    @expose("/areas")
    @has_access
    def areas(self):
        """The subject areas of the chosen kind, as the options of the form's list."""
        return self.render_template(
            "petitions/intake_areas.html",
            areas=subject_areas(request.args.get("kind")),
            chosen=request.args.get("subject_area", type=int),
        )

    @expose("/signatory")
    @has_access
    def signatory(self):
        """One more empty signatory row for the form."""
        row = request.args.get("next_row", 1, type=int)
        return self.render_template(
            "petitions/intake_signatory_added.html",
            row={"row": row},
            index=row,
            errors={},
            sexes=SEXES,
        )


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _worth(query: LookupQuery) -> bool:
    """Something worth looking up has been typed."""
    typed = (query.full_name, query.id_number, query.phone, query.address, query.matter)
    return any(len(text) >= 2 for text in typed) or query.commune_unit_id is not None


def _lookup_args(typed: MultiDict) -> dict[str, str]:
    """Step 1's values, to go back to the lookup without losing them."""
    if "summary" in typed:
        return {
            "full_name": typed.get(signatory_field(0, "full_name"), ""),
            "id_number": typed.get(signatory_field(0, "id_number"), ""),
            "phone": typed.get(signatory_field(0, "phone"), ""),
            "address": typed.get(signatory_field(0, "address_detail"), ""),
            "commune": typed.get(signatory_field(0, "commune"), ""),
            "commune_label": typed.get(signatory_field(0, "commune_label"), ""),
            "matter": typed.get("summary", ""),
            "visit": typed.get("visit", ""),
        }
    return {key: typed.get(key, "") for key in (*LOOKUP_FIELDS, "visit")}


def _case_summary(case_id: int | None, user: Any) -> dict[str, Any] | None:
    """What the form says about the matched case: code, agency, date, kind — its title only
    when the case is held in the user's scope (R11)."""
    case = db.session.get(Case, case_id) if case_id is not None else None
    if case is None:
        return None
    in_scope = bool(
        db.session.scalar(
            db.select(Agency.id).where(Agency.id == case.agency_id, scope_condition(Agency, user))
        )
    )
    return {
        "id": case.id,
        "code": case.code,
        "agency": case.agency.name,
        "opened_at": case.opened_at,
        "kind": KINDS.get(case.kind, case.kind),
        "title": case.title if in_scope else None,
    }


def _visit(visit_id: int | None) -> ReceptionVisit | None:
    """The reception visit the petition comes from, when in the user's scope."""
    if visit_id is None:
        return None
    return db.session.scalar(
        db.select(ReceptionVisit).where(
            ReceptionVisit.id == visit_id, scope_condition(ReceptionVisit, g.user)
        )
    )


def _saved_message(petition: Any) -> str:
    if petition.status == "filed":
        return gettext(
            "Repeat submission %(number)s recorded in case %(case)s and filed.",
            number=petition.register_code,
            case=petition.case.code,
        )
    return gettext(
        "Petition %(number)s received; processing deadline %(due)s.",
        number=petition.register_code,
        due=petition.due_date.strftime("%d/%m/%Y") if petition.due_date else "",
    )
