"""The versioned time-limit table: the rule in force on a date, deadlines by rule code.

Every legal time limit is a ``TimeLimitRule`` row chosen by the date of the event it
counts from (date received for petitions, date of acceptance for resolution, …); a new
law is a new row with a later ``valid_from``. Rule codes seeded by ``defaults.py``:

=========================================  =====  ========  ===============================
code                                       days   unit      basis
=========================================  =====  ========  ===============================
petition.processing                        10     working   TT 05/2021 practice (uncertain)
reception.reply                            10     working   Luật TCD Art. 28(1)
complaint.acceptance                       10 / 7 working   Luật KN Art. 27, 36; NĐ 124/2020
                                                            Art. 16(1); 7 from 01/07/2026
                                                            (NĐ 155/2026, unconfirmed)
complaint.first_instance                   30     calendar  Luật KN Art. 28
complaint.first_instance.complex           45     calendar  Luật KN Art. 28
complaint.first_instance.remote            45     calendar  Luật KN Art. 28
complaint.first_instance.complex_remote    60     calendar  Luật KN Art. 28
complaint.second_instance                  45     calendar  Luật KN Art. 37
complaint.second_instance.complex          60     calendar  Luật KN Art. 37
complaint.second_instance.remote           60     calendar  Luật KN Art. 37
complaint.second_instance.complex_remote   70     calendar  Luật KN Art. 37
complaint.limitation                       90     calendar  Luật KN Art. 9
complaint.decision_delivery                3      working   Luật KN Art. 32
complaint.second_complaint_window          30     calendar  Luật KN Art. 33(1)
complaint.second_complaint_window.remote   45     calendar  Luật KN Art. 33(1)
complaint.decision_in_force                30     calendar  Luật KN Art. 44
complaint.decision_in_force.remote         45     calendar  Luật KN Art. 44
discipline.limitation.first                15     calendar  Luật KN Art. 48
discipline.limitation.second               10     calendar  Luật KN Art. 48
discipline.limitation.second.dismissal     30     calendar  Luật KN Art. 48
discipline.acceptance                      10     working   Luật KN Art. 50 (uncertain)
discipline.resolution                      30     calendar  Luật KN Art. 50
discipline.resolution.complex              45     calendar  Luật KN Art. 50
=========================================  =====  ========  ===============================

Calendar-day limits roll a last day that is not a working day forward (BLDS Art. 148(5));
the unit of each row is configurable because the law is unclear (legal-domain §3.2).

The 15:00 same-day entry rule of QĐ 1122 (R14, R16, R17) is not a row: its parameter is
a time of day, which this table has no column for. It lives in
``app.calendar.deadlines.entry_deadline``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar.deadlines import apply_rule, event_day
from app.calendar.defaults import DEFAULT_RULES
from app.calendar.models import TimeLimitRule
from app.calendar.results import DeadlineResult, RuleSpec, Suspension, Unit
from app.calendar.store import load_calendar
from app.calendar.workdays import WorkingCalendar


class NoRuleInForce(LookupError):
    """No time-limit row with this code covers the event date."""

    def __init__(self, code: str, on_date: dt.date) -> None:
        super().__init__(
            f"No time limit '{code}' is in force on {on_date:%d/%m/%Y}: add a row to the "
            "time-limit table whose validity covers that date."
        )
        self.code = code
        self.on_date = on_date


def rule_spec(row: TimeLimitRule) -> RuleSpec:
    """The pure value of a rule row."""
    return RuleSpec(
        code=row.code,
        name=row.name,
        length=row.length,
        unit=Unit(row.unit),
        roll_forward=row.roll_forward,
        legal_ref=row.legal_ref,
        counts_from=row.counts_from,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        note=row.note,
    )


def rules_of(code: str, session: Session) -> list[TimeLimitRule]:
    """Every row of ``code``: read once to choose the rule of many deadlines (a list
    page) with ``pick_in_force``."""
    return list(session.scalars(select(TimeLimitRule).where(TimeLimitRule.code == code)))


def pick_in_force(rows: Iterable[TimeLimitRule], code: str, on_date: dt.date) -> TimeLimitRule:
    """Among ``rows`` of ``code`` (``rules_of``), the one whose [valid_from, valid_to]
    contains ``on_date``; if rows overlap, the latest ``valid_from``. Raises NoRuleInForce."""
    for row in sorted(rows, key=lambda row: row.valid_from, reverse=True):
        if row.valid_from <= on_date and (row.valid_to is None or row.valid_to >= on_date):
            return row
    raise NoRuleInForce(code, on_date)


def rule_in_force(code: str, on_date: dt.date, session: Session) -> TimeLimitRule:
    """The row of ``code`` whose [valid_from, valid_to] contains ``on_date`` (the event
    date); if rows overlap, the one with the latest ``valid_from``. Raises NoRuleInForce."""
    return pick_in_force(rules_of(code, session), code, on_date)


def compute_deadline(
    code: str,
    start: dt.date | dt.datetime,
    session: Session,
    *,
    calendar: WorkingCalendar | None = None,
    suspensions: Iterable[Suspension] = (),
    rules: Iterable[TimeLimitRule] | None = None,
) -> DeadlineResult:
    """The deadline of rule ``code`` for an event on ``start`` (rule chosen by that date),
    with its explanation. Pass ``calendar`` (and the rows of ``code``, ``rules_of``) when
    computing many deadlines."""
    day = event_day(start)
    rows = rules_of(code, session) if rules is None else rules
    rule = rule_spec(pick_in_force(rows, code, day))
    return apply_rule(rule, calendar or load_calendar(session), day, suspensions=suspensions)


def complaint_resolution_code(instance: int, *, complex_case: bool, remote_area: bool) -> str:
    """The resolution rule code for a complaint's instance (1 or 2) and flags (Luật KN
    Art. 28, 37): e.g. ``complaint.first_instance.complex_remote``."""
    base = {1: "complaint.first_instance", 2: "complaint.second_instance"}[instance]
    suffix = "_".join(f for f, on in (("complex", complex_case), ("remote", remote_area)) if on)
    return f"{base}.{suffix}" if suffix else base


def seed_time_limit_rules(session: Session) -> int:
    """Insert the default rules missing by (code, valid_from); existing rows are left as
    administrators edited them. Returns the number inserted; the caller commits."""
    existing = set(session.execute(select(TimeLimitRule.code, TimeLimitRule.valid_from)).all())
    missing = [spec for spec in DEFAULT_RULES if (spec.code, spec.valid_from) not in existing]
    session.add_all(
        TimeLimitRule(
            code=spec.code,
            name=spec.name,
            counts_from=spec.counts_from,
            length=spec.length,
            unit=spec.unit.value,
            roll_forward=spec.roll_forward,
            legal_ref=spec.legal_ref,
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            note=spec.note,
        )
        for spec in missing
    )
    session.flush()
    return len(missing)


def overlapping_rule(row: TimeLimitRule, session: Session) -> TimeLimitRule | None:
    """Another row of the same code whose validity overlaps ``row``'s, if any."""
    far_future = dt.date.max
    query = select(TimeLimitRule).where(TimeLimitRule.code == row.code)
    if row.id is not None:
        query = query.where(TimeLimitRule.id != row.id)
    with session.no_autoflush:
        candidates = session.scalars(query).all()
    for other in candidates:
        if row.valid_from <= (other.valid_to or far_future) and other.valid_from <= (
            row.valid_to or far_future
        ):
            return other
    return None


def rule_codes(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every rule code, sorted by code, the latest row's name."""
    rows = session.scalars(select(TimeLimitRule).order_by(TimeLimitRule.valid_from)).all()
    return sorted({row.code: row.name for row in rows}.items())
