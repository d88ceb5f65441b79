"""Reading the reception-visit form into a ``VisitData`` (and back, to show it again).

Citizens present are rows named ``signatories-<row>-<field>`` as on the intake form (an
existing citizen of the user's scope: ``citizen``; a new one: ``full_name``, ``id_number``,
``birth_year``, ``sex``, ``phone``, ``commune``, ``address_detail``), each with an
``is_representative`` box; they are read by the intake's own parser, so an ID number or a
year of birth is refused the same way on both forms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.petitions.addresses import citizen_address
from app.petitions.models import Case, Citizen, ReceptionVisit
from app.petitions.pickers import commune_choice
from app.petitions.reception import VisitData, representative_ids
from app.petitions.validation import parse_intake
from app.security.scope import scope_condition
from app.ui.dates import format_vn_datetime, parse_vn_datetime

_ROW_KEY = re.compile(r"signatories-(\d+)-(\w+)")
_TRUE = {"y", "1", "on", "true"}


def _text(form: Mapping[str, Any], key: str) -> str:
    return " ".join(str(form.get(key) or "").split())


def _flag(form: Mapping[str, Any], key: str) -> bool:
    return str(form.get(key) or "").strip().lower() in _TRUE


def visitor_rows(form: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The citizen rows of a submitted form, in row order, blank rows left out."""
    rows: dict[int, dict[str, Any]] = {}
    for key in form:
        match = _ROW_KEY.fullmatch(key)
        if match:
            rows.setdefault(int(match[1]), {"row": int(match[1])})[match[2]] = form.get(key)
    keys = ("citizen", "full_name", "id_number", "birth_year", "phone", "address_detail")
    return [
        rows[index]
        for index in sorted(rows)
        if any(str(rows[index].get(key) or "").strip() for key in keys)
    ]


def _integer(form: Mapping[str, Any], key: str, errors: dict[str, str]) -> int | None:
    text = _text(form, key)
    if not text:
        return None
    if not re.fullmatch(r"\d{1,9}", text):
        errors[key] = gettext("Enter a whole number.")
        return None
    return int(text)


def parse_visit_form(
    session: Session, form: Mapping[str, Any], user: Any
) -> tuple[VisitData, dict[str, str]]:
    """The visit typed in the form, and a Vietnamese message per field that could not be
    read (dates, numbers, ID numbers, phones)."""
    errors: dict[str, str] = {}
    rows = visitor_rows(form)
    parsed, row_errors = parse_intake({}, rows)
    errors.update(row_errors)
    visitors = parsed.signatories
    for visitor in visitors:
        if visitor.citizen_id is not None:
            known = session.scalar(
                select(Citizen).where(
                    Citizen.id == visitor.citizen_id, scope_condition(Citizen, user)
                )
            )
            visitor.full_name = known.full_name if known is not None else visitor.full_name
    received_at = None
    if _text(form, "received_at"):
        try:
            received_at = parse_vn_datetime(_text(form, "received_at"))
        except ValueError:
            errors["received_at"] = gettext("Invalid date and time, enter them as dd/mm/yyyy hh:mm")
    data = VisitData(
        agency_id=_integer(form, "agency", errors),
        received_at=received_at,
        official_name=_text(form, "official_name"),
        reception_type=_text(form, "reception_type"),
        leader_in_person=_flag(form, "leader_in_person"),
        delegated=_flag(form, "delegated"),
        channel=_text(form, "channel"),
        visitors=visitors,
        people_count=_integer(form, "people_count", errors),
        is_delegation=_flag(form, "is_delegation"),
        matter_summary=str(form.get("matter_summary") or "").strip(),
        outcome=_text(form, "outcome"),
        outcome_note=str(form.get("outcome_note") or "").strip() or None,
        case_id=_integer(form, "case", errors),
    )
    return data, errors


def form_rows(session: Session, form: Mapping[str, Any], user: Any) -> list[dict[str, Any]]:
    """The citizen rows to draw again after a refusal: what was typed, with the name and
    address of a chosen citizen and the name of a chosen commune."""
    drawn = []
    for row in visitor_rows(form):
        shown = {key: str(value or "") for key, value in row.items()}
        shown["row"] = row["row"]
        citizen_id = str(row.get("citizen") or "")
        if citizen_id.isdigit():
            known = session.scalar(
                select(Citizen).where(Citizen.id == int(citizen_id), scope_condition(Citizen, user))
            )
            if known is not None:
                shown["label"] = known.full_name
                shown["hint"] = citizen_address(known)
        commune = str(row.get("commune") or "")
        choice = commune_choice(session, int(commune)) if commune.isdigit() else None
        shown["commune_label"] = choice.label if choice else ""
        drawn.append(shown)
    return drawn


def visit_form_values(session: Session, visit: ReceptionVisit) -> dict[str, Any]:
    """A saved visit as the form's values (to correct it)."""
    representatives = representative_ids(session, visit)
    values: dict[str, Any] = {
        "agency": str(visit.agency_id),
        "received_at": format_vn_datetime(visit.received_at),
        "official_name": visit.official_name,
        "reception_type": visit.reception_type,
        "leader_in_person": "y" if visit.leader_in_person else "",
        "delegated": "y" if visit.delegated else "",
        "channel": visit.channel,
        "people_count": str(visit.people_count),
        "is_delegation": "y" if visit.is_delegation else "",
        "matter_summary": visit.matter_summary,
        "outcome": visit.outcome,
        "outcome_note": visit.outcome_note or "",
        "case": str(visit.case_id or ""),
    }
    for row, citizen in enumerate(visit.citizens):
        values[f"signatories-{row}-citizen"] = str(citizen.id)
        if citizen.id in representatives:
            values[f"signatories-{row}-is_representative"] = "y"
    return values


def case_label(session: Session, case_id: str, user: Any) -> str:
    """The code and title of a chosen case of the user's scope (to show it again)."""
    if not case_id.isdigit():
        return ""
    case = session.scalar(select(Case).where(Case.id == int(case_id), scope_condition(Case, user)))
    return f"{case.code} — {case.title}" if case is not None else ""
