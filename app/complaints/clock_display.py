"""The two legal clocks of a dossier as the page, the lists and the API show them: due
date, state with a colour, what the clock counts from and how the date was computed (the
explanation of app.calendar: rule, start event, days counted, days off skipped), and for a
suspended dossier the days already counted and those left (Luật KN Art. 27, 28, 36, 37).

States of a running clock are those of the petition lists (overdue, due today, due soon
within ``DUE_SOON_WORKING_DAYS`` working days, within the deadline); a clock that ended
is "met" or "missed" by the act that ended it; a suspended resolution clock is "stopped".
The first-instance decision is to be sent to the parties within the rule
``complaint.decision_delivery`` (Luật KN Art. 32): ``delivery_display`` warns when later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.calendar.explain import explanation_text
from app.calendar.results import DeadlineResult, StepKind, Unit
from app.calendar.rules import NoRuleInForce
from app.calendar.store import load_calendar
from app.calendar.workdays import WorkingCalendar
from app.complaints.clocks import (
    acceptance_deadline,
    delivery_deadline,
    resolution_deadline,
    suspensions,
)
from app.complaints.models import ComplaintDossier, ResolutionDecision
from app.core.clock import today_local
from app.petitions.deadlines import DUE_SOON, DUE_TODAY, ON_TRACK, OVERDUE
from app.petitions.queue import DUE_SOON_WORKING_DAYS

STOPPED, MET, MISSED, NOT_STARTED, CLOSED = "stopped", "met", "missed", "not_started", "closed"
RUNNING_STATES = (OVERDUE, DUE_TODAY, DUE_SOON, ON_TRACK)
STATE_LABELS = {
    OVERDUE: _l("Overdue"),
    DUE_TODAY: _l("Due today"),
    DUE_SOON: _l("Due soon"),
    ON_TRACK: _l("Within the deadline"),
    STOPPED: _l("Clock stopped"),
    MET: _l("On time"),
    MISSED: _l("Late"),
    NOT_STARTED: _l("Not started"),
    CLOSED: _l("Not applicable"),
}
# Bootstrap 3 contextual class of each state.
STATE_CSS = {
    OVERDUE: "danger",
    DUE_TODAY: "warning",
    DUE_SOON: "warning",
    ON_TRACK: "success",
    STOPPED: "info",
    MET: "success",
    MISSED: "danger",
    NOT_STARTED: "default",
    CLOSED: "default",
}


@dataclass(frozen=True)
class SuspendedClock:
    """A resolution clock stopped by a suspension: since when, how much was counted before
    it and is left, in the rule's unit, and the due date if resumed today."""

    since: dt.date
    counted: int
    remaining: int
    working_days: bool
    days_stopped: int
    due_if_resumed_today: dt.date


@dataclass(frozen=True)
class ClockDisplay:
    """One legal clock of a dossier as shown."""

    which: str
    due: dt.date | None
    state: str
    label: str
    css: str
    explanation: str
    counts_from: str
    start: dt.date | None
    note: str | None
    days_left: int | None
    working_days_left: int | None
    done_on: dt.date | None = None
    done_label: str = ""
    suspended: SuspendedClock | None = None


def running_state(due: dt.date, today: dt.date, calendar: WorkingCalendar) -> str:
    """overdue / due_today / due_soon / on_track of a clock still running on ``today``."""
    if due < today:
        return OVERDUE
    if due == today:
        return DUE_TODAY
    if calendar.working_days_between(today, due) <= DUE_SOON_WORKING_DAYS:
        return DUE_SOON
    return ON_TRACK


def _display(
    which: str,
    state: str,
    result: DeadlineResult | None,
    due: dt.date | None,
    today: dt.date,
    calendar: WorkingCalendar,
    **extra: object,
) -> ClockDisplay:
    running = state in RUNNING_STATES and due is not None
    rule = result.rule if result is not None else None
    return ClockDisplay(
        which=which,
        due=due,
        state=state,
        label=str(STATE_LABELS[state]),
        css=STATE_CSS[state],
        explanation=explanation_text(result) if result is not None else "",
        counts_from=rule.counts_from if rule is not None else "",
        start=result.start if result is not None else None,
        note=rule.note if rule is not None else None,
        days_left=(due - today).days if running else None,
        working_days_left=calendar.working_days_between(today, due) if running else None,
        **extra,
    )


def _no_rule(which: str, today: dt.date, calendar: WorkingCalendar) -> ClockDisplay:
    display = _display(which, CLOSED, None, None, today, calendar)
    message = gettext("No time limit of the rule table is in force on the day it counts from.")
    return replace(display, explanation=message)


def acceptance_clock(
    session: Session, dossier: ComplaintDossier, calendar: WorkingCalendar, today: dt.date
) -> ClockDisplay:
    """Luật KN Art. 27, 36: the time to accept or refuse, counted from receipt."""
    try:
        result = acceptance_deadline(session, dossier.received_on, calendar=calendar)
    except NoRuleInForce:
        return _no_rule("acceptance", today, calendar)
    due = dossier.acceptance_due
    done_on = dossier.accepted_on or dossier.not_accepted_on
    done_label = ""
    if dossier.status == "pending":
        state = running_state(due, today, calendar)
    elif done_on is not None:
        state = MET if done_on <= due else MISSED
        day = f"{done_on:%d/%m/%Y}"
        if dossier.accepted_on:
            done_label = gettext("Accepted on %(date)s", date=day)
        else:
            done_label = gettext("Not accepted on %(date)s", date=day)
    else:
        state = CLOSED
    return _display(
        "acceptance", state, result, due, today, calendar, done_on=done_on, done_label=done_label
    )


def _suspended(
    session: Session, dossier: ComplaintDossier, calendar: WorkingCalendar, today: dt.date
) -> tuple[DeadlineResult | None, SuspendedClock | None]:
    """The deadline projected as if resumed today, and the stopped clock's counts."""
    _closed, since = suspensions(dossier.steps)
    resumed_on = max(today, since) if since is not None else today
    projected = resolution_deadline(session, dossier, calendar=calendar, resumed_on=resumed_on)
    if projected is None or since is None:
        return projected, None
    for step in reversed(projected.steps):
        if step.kind is StepKind.SUSPENDED and step.values["paused"] == since:
            return projected, SuspendedClock(
                since=since,
                counted=int(step.values["elapsed"]),
                remaining=int(step.values["remaining"]),
                working_days=step.values["unit"] == Unit.WORKING_DAYS,
                days_stopped=(today - since).days,
                due_if_resumed_today=projected.due,
            )
    return projected, None


def resolution_clock(
    session: Session, dossier: ComplaintDossier, calendar: WorkingCalendar, today: dt.date
) -> ClockDisplay:
    """Luật KN Art. 28, 37: the time to resolve, counted from acceptance, stopped while
    suspended, with the flags' longer limits."""
    if dossier.accepted_on is None:
        state = NOT_STARTED if dossier.status == "pending" else CLOSED
        return _display("resolution", state, None, None, today, calendar)
    try:
        if dossier.status == "suspended":
            result, stopped = _suspended(session, dossier, calendar, today)
            display = _display(
                "resolution", STOPPED, result, None, today, calendar, suspended=stopped
            )
            if not display.explanation:
                return display
            projected = gettext(
                "If resumed today: %(explanation)s", explanation=display.explanation
            )
            return replace(display, explanation=projected)
        result = resolution_deadline(session, dossier, calendar=calendar)
    except NoRuleInForce:
        return _no_rule("resolution", today, calendar)
    due = dossier.resolution_due
    decision = dossier.decision
    if dossier.status == "accepted" and due is not None:
        state = running_state(due, today, calendar)
        return _display("resolution", state, result, due, today, calendar)
    if decision is not None:
        state = MET if decision.in_time else MISSED
        done = gettext("Decided on %(date)s", date=f"{decision.decided_on:%d/%m/%Y}")
        return _display(
            "resolution",
            state,
            result,
            due,
            today,
            calendar,
            done_on=decision.decided_on,
            done_label=done,
        )
    closed = dossier.closed_on
    done = gettext("Closed on %(date)s", date=f"{closed:%d/%m/%Y}") if closed else ""
    return _display(
        "resolution", CLOSED, result, due, today, calendar, done_on=closed, done_label=done
    )


def dossier_clocks(
    session: Session,
    dossier: ComplaintDossier,
    *,
    calendar: WorkingCalendar | None = None,
    today: dt.date | None = None,
) -> tuple[ClockDisplay, ClockDisplay]:
    """(acceptance, resolution) clocks of ``dossier`` on ``today`` (Vietnam)."""
    calendar = calendar or load_calendar(session)
    today = today or today_local()
    return (
        acceptance_clock(session, dossier, calendar, today),
        resolution_clock(session, dossier, calendar, today),
    )


def current_due(dossier: ComplaintDossier) -> dt.date | None:
    """The due date of the clock now running: acceptance while pending, resolution once
    accepted; None while suspended or closed."""
    if dossier.status == "pending":
        return dossier.acceptance_due
    if dossier.status == "accepted":
        return dossier.resolution_due
    return None


def list_state(dossier: ComplaintDossier, today: dt.date, calendar: WorkingCalendar) -> str:
    """The state a list row shows: the running clock's, "stopped" while suspended, and
    for a closed dossier whether it was resolved in time (else not applicable)."""
    due = current_due(dossier)
    if due is not None:
        return running_state(due, today, calendar)
    if dossier.status == "suspended":
        return STOPPED
    if dossier.resolved_in_time is not None:
        return MET if dossier.resolved_in_time else MISSED
    return CLOSED


@dataclass(frozen=True)
class DeliveryDisplay:
    """Sending a decision to the parties (Luật KN Art. 32): the last day, how it was
    computed, and a warning when it was (or is still not) sent in time."""

    due: dt.date
    explanation: str
    warning: str | None


def delivery_display(
    session: Session, decision: ResolutionDecision, *, today: dt.date | None = None
) -> DeliveryDisplay | None:
    """The delivery time limit of ``decision``; None when the rule table has none for it."""
    try:
        result = delivery_deadline(session, decision)
    except NoRuleInForce:
        return None
    if result is None:
        return None
    today = today or today_local()
    sent, due = decision.sent_to_parties_on, result.due
    values = {
        "due": f"{due:%d/%m/%Y}",
        "rule": result.rule.name if result.rule else "",
        "legal_ref": result.rule.legal_ref if result.rule else "",
    }
    warning = None
    if sent is not None and sent > due:
        warning = gettext(
            "The decision was sent to the parties on %(sent)s, after %(due)s, the last day "
            "of the time limit “%(rule)s” (%(legal_ref)s).",
            sent=f"{sent:%d/%m/%Y}",
            **values,
        )
    elif sent is None and today > due:
        warning = gettext(
            "The decision has not been sent to the parties; the time limit “%(rule)s” "
            "(%(legal_ref)s) ended on %(due)s.",
            **values,
        )
    return DeliveryDisplay(due=due, explanation=explanation_text(result), warning=warning)


def delivery_warning(session: Session, decision: ResolutionDecision) -> str | None:
    """The warning of ``delivery_display`` alone (shown after a step is saved)."""
    display = delivery_display(session, decision)
    return display.warning if display is not None else None
