"""Complaint dossiers as JSON for the REST API: dates ISO 8601, amounts as decimal strings
(money in million VND, land in m², exact), states and labels as the page shows them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.calendar.workdays import WorkingCalendar
from app.complaints.actions import (
    DECISION_AMOUNTS,
    DECISION_COUNTS,
    ENFORCEMENT_AMOUNTS,
    ENFORCEMENT_COUNTS,
)
from app.complaints.choices import DOSSIER_STATUSES, STEP_KINDS
from app.complaints.clock_display import ClockDisplay, dossier_clocks, list_state
from app.complaints.listing import complainant
from app.complaints.models import ComplaintDossier, ResolutionDecision


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def summary_json(dossier: ComplaintDossier, today: dt.date, calendar: WorkingCalendar) -> dict:
    """A dossier as the list gives it."""
    citizen = complainant(dossier)
    decision = dossier.decision
    return {
        "id": dossier.id,
        "version_id": dossier.version_id,
        "case": {"id": dossier.case_id, "code": dossier.case.code, "title": dossier.case.title},
        "petition_id": dossier.petition_id,
        "agency": {"id": dossier.agency_id, "name": dossier.agency.name},
        "instance": dossier.instance,
        "status": dossier.status,
        "status_label": str(DOSSIER_STATUSES.get(dossier.status, dossier.status)),
        "complainant": citizen.full_name if citizen else None,
        "received_on": _value(dossier.received_on),
        "acceptance_due": _value(dossier.acceptance_due),
        "accepted_on": _value(dossier.accepted_on),
        "resolution_due": _value(dossier.resolution_due),
        "complex_case": dossier.complex_case,
        "remote_area": dossier.remote_area,
        "deadline_state": list_state(dossier, today, calendar),
        "result": decision.result if decision else None,
        "resolved_in_time": dossier.resolved_in_time,
        "closed_on": _value(dossier.closed_on),
    }


def _clock(clock: ClockDisplay) -> dict:
    suspended = clock.suspended
    return {
        "due": _value(clock.due),
        "state": clock.state,
        "label": clock.label,
        "explanation": clock.explanation,
        "counts_from": clock.counts_from,
        "start": _value(clock.start),
        "working_days_left": clock.working_days_left,
        "done_on": _value(clock.done_on),
        "suspended": None
        if suspended is None
        else {
            "since": _value(suspended.since),
            "counted": suspended.counted,
            "remaining": suspended.remaining,
            "working_days": suspended.working_days,
            "due_if_resumed_today": _value(suspended.due_if_resumed_today),
        },
    }


def _decision(decision: ResolutionDecision | None) -> dict | None:
    if decision is None:
        return None
    values = {
        name: _value(getattr(decision, name))
        for name in (
            "id",
            "version_id",
            "number",
            "decided_on",
            "signer",
            "mode",
            "result",
            "in_time",
            "sent_to_parties_on",
            *DECISION_AMOUNTS,
            *DECISION_COUNTS,
        )
    }
    enforcement = decision.enforcement
    values["enforcement"] = (
        None
        if enforcement is None
        else {
            name: _value(getattr(enforcement, name))
            for name in (
                "version_id",
                "done",
                "done_on",
                *ENFORCEMENT_AMOUNTS,
                *ENFORCEMENT_COUNTS,
            )
        }
    )
    return values


def detail_json(
    session: Session, dossier: ComplaintDossier, today: dt.date, calendar: WorkingCalendar
) -> dict:
    """A dossier with its clocks, steps, deadline changes, decision and enforcement."""
    acceptance, resolution = dossier_clocks(session, dossier, calendar=calendar, today=today)
    ground = dossier.non_acceptance_ground
    return {
        **summary_json(dossier, today, calendar),
        "reviewed_decision_id": dossier.reviewed_decision_id,
        "acceptance_notice_number": dossier.acceptance_notice_number,
        "not_accepted_on": _value(dossier.not_accepted_on),
        "non_acceptance_ground": None
        if ground is None
        else {"code": ground.code, "name": ground.name, "legal_ref": ground.legal_ref},
        "clocks": {"acceptance": _clock(acceptance), "resolution": _clock(resolution)},
        "steps": [
            {
                "kind": step.kind,
                "label": str(STEP_KINDS.get(step.kind, step.kind)),
                "on": _value(step.on),
                "doc_number": step.doc_number,
                "note": step.note,
                "persons": step.persons,
            }
            for step in dossier.steps
        ],
        "deadline_changes": [
            {
                "at": _value(change.at),
                "which": change.which,
                "old_due": _value(change.old_due),
                "new_due": _value(change.new_due),
                "reason": change.reason,
            }
            for change in dossier.deadline_changes
        ],
        "decision": _decision(dossier.decision),
    }
