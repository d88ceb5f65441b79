"""The legal clocks of a complaint dossier, all counted by app.calendar (Luật KN Art. 27,
28, 36, 37; legal-domain.md §3).

* Acceptance (thụ lý): rule ``complaint.acceptance`` in force on the day the complaint
  was received, counted from that day.
* Resolution: rule ``complaint.first_instance`` / ``complaint.second_instance`` with the
  ``complex`` / ``remote`` variants (``rules.complaint_resolution_code``), in force on
  the day of acceptance, counted from that day.
* Suspension (tạm đình chỉ) stops the resolution clock; resumption continues it
  (app.calendar: days up to the suspension count, counting resumes the day after the
  resumption decision). While a suspension is open the dossier has no due date.

* Sending the first-instance decision to the parties: rule ``complaint.decision_delivery``
  (Luật KN Art. 32, 03 working days) in force on the day of the decision.

Every change of a dossier's deadline is kept in ``DossierDeadlineChange`` with its
reason; ``refresh_deadlines`` is the one place that writes them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.calendar.results import DeadlineResult, Suspension
from app.calendar.rules import complaint_resolution_code, compute_deadline
from app.calendar.workdays import WorkingCalendar
from app.complaints.models import (
    ComplaintDossier,
    DossierDeadlineChange,
    DossierStep,
    ResolutionDecision,
)
from app.core.clock import now_utc

ACCEPTANCE_RULE = "complaint.acceptance"
DELIVERY_RULE = "complaint.decision_delivery"


def acceptance_deadline(
    session: Session, received_on: dt.date, *, calendar: WorkingCalendar | None = None
) -> DeadlineResult:
    """Luật KN Art. 27, 36: the last day to accept (or refuse) a complaint received on
    ``received_on``."""
    return compute_deadline(ACCEPTANCE_RULE, received_on, session, calendar=calendar)


def suspensions(steps: list[DossierStep]) -> tuple[list[Suspension], dt.date | None]:
    """The closed suspensions of a dossier and the start of an open one (or None)."""
    closed: list[Suspension] = []
    open_since: dt.date | None = None
    for step in sorted(steps, key=lambda s: (s.on, s.id or 0)):
        if step.kind == "suspended" and open_since is None:
            open_since = step.on
        elif step.kind == "resumed" and open_since is not None:
            closed.append(Suspension(paused_on=open_since, resumed_on=step.on))
            open_since = None
    return closed, open_since


def resolution_rule_code(dossier: ComplaintDossier) -> str:
    """The rule of the dossier's resolution time limit from its instance and flags."""
    return complaint_resolution_code(
        dossier.instance, complex_case=dossier.complex_case, remote_area=dossier.remote_area
    )


def resolution_deadline(
    session: Session,
    dossier: ComplaintDossier,
    *,
    calendar: WorkingCalendar | None = None,
    resumed_on: dt.date | None = None,
) -> DeadlineResult | None:
    """Luật KN Art. 28, 37: the resolution deadline of an accepted dossier, or None when
    not accepted or while suspended. ``resumed_on`` projects an open suspension as if it
    were resumed that day (to show what would remain)."""
    if dossier.accepted_on is None:
        return None
    closed, open_since = suspensions(dossier.steps)
    if open_since is not None:
        if resumed_on is None:
            return None
        closed = [*closed, Suspension(paused_on=open_since, resumed_on=resumed_on)]
    return compute_deadline(
        resolution_rule_code(dossier),
        dossier.accepted_on,
        session,
        calendar=calendar,
        suspensions=closed,
    )


def delivery_deadline(
    session: Session, decision: ResolutionDecision, *, calendar: WorkingCalendar | None = None
) -> DeadlineResult | None:
    """Luật KN Art. 32: the last day to send a first-instance decision to the parties.
    None for a second-instance decision: its time limit (Art. 40) has no row in the rule
    table yet."""
    if decision.dossier.instance != 1:
        return None
    return compute_deadline(DELIVERY_RULE, decision.decided_on, session, calendar=calendar)


def refresh_deadlines(
    session: Session,
    dossier: ComplaintDossier,
    reason: str,
    *,
    calendar: WorkingCalendar | None = None,
) -> list[DossierDeadlineChange]:
    """Recompute both deadlines of a dossier; record each change with ``reason``."""
    changes = []
    new_acceptance = acceptance_deadline(session, dossier.received_on, calendar=calendar).due
    result = resolution_deadline(session, dossier, calendar=calendar)
    new_resolution = result.due if result else None
    for which, attribute, new in (
        ("acceptance", "acceptance_due", new_acceptance),
        ("resolution", "resolution_due", new_resolution),
    ):
        old = getattr(dossier, attribute)
        if old == new:
            continue
        setattr(dossier, attribute, new)
        change = DossierDeadlineChange(
            dossier=dossier, at=now_utc(), which=which, old_due=old, new_due=new, reason=reason
        )
        session.add(change)
        changes.append(change)
    return changes
