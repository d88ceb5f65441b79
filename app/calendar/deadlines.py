"""Deadline computations with their explanation (pure: the calendar is passed in).

- ``count_working_days`` / ``count_calendar_days`` / ``apply_rule``: a time limit counted
  from an event day (BLDS Art. 147–148), with optional suspensions of the clock.
- ``entry_deadline`` / ``judge_entry_timeliness``: the 15:00 rule of QĐ 1122 (R14, R16,
  R17). ``judge_completion``: early / on time / late against a due date (R19).

The 15:00 rule, precisely: times are local (Asia/Ho_Chi_Minh) and compared to the
minute, the precision at which they are shown and typed (HH:MM). An event whose HH:MM is
15:00 or earlier on a working day is "not after 15:00" and must be entered the same day;
15:00:59 still reads 15:00 and counts as not after; from 15:01 on, or on any day that is
not a working day, the last day is the next working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from app.calendar.results import (
    DeadlineResult,
    EventKind,
    RuleSpec,
    Step,
    StepKind,
    Suspension,
    Timeliness,
    TimelinessResult,
    Unit,
)
from app.calendar.workdays import ONE_DAY, DayStatus, WorkingCalendar
from app.core.clock import LOCAL_TZ

ENTRY_CUTOFF = dt.time(15, 0)


def local_datetime(value: dt.datetime) -> dt.datetime:
    """``value`` as a naive Vietnamese local time: aware values are converted, naive ones
    are taken to be local already."""
    if value.tzinfo is not None:
        value = value.astimezone(LOCAL_TZ)
    return value.replace(tzinfo=None)


def event_day(value: dt.date | dt.datetime) -> dt.date:
    """The local calendar day of an event given as a date or a datetime."""
    if isinstance(value, dt.datetime):
        return local_datetime(value).date()
    return value


def count_working_days(
    calendar: WorkingCalendar,
    start: dt.date | dt.datetime,
    length: int,
    *,
    rule: RuleSpec | None = None,
    suspensions: Iterable[Suspension] = (),
) -> DeadlineResult:
    """The ``length``-th working day after ``start`` (start day not counted, BLDS Art. 147),
    skipping weekends, holidays and days off, and the time of any suspension."""
    return _count(calendar, event_day(start), length, Unit.WORKING_DAYS, True, rule, suspensions)


def count_calendar_days(
    calendar: WorkingCalendar,
    start: dt.date | dt.datetime,
    length: int,
    *,
    roll_forward: bool = True,
    rule: RuleSpec | None = None,
    suspensions: Iterable[Suspension] = (),
) -> DeadlineResult:
    """``start`` + ``length`` days (start day not counted, BLDS Art. 147); with
    ``roll_forward`` a last day that is not a working day moves to the next working day
    (BLDS Art. 148(5))."""
    day = event_day(start)
    return _count(calendar, day, length, Unit.CALENDAR_DAYS, roll_forward, rule, suspensions)


def apply_rule(
    rule: RuleSpec,
    calendar: WorkingCalendar,
    start: dt.date | dt.datetime,
    *,
    suspensions: Iterable[Suspension] = (),
) -> DeadlineResult:
    """Count ``rule`` from ``start`` in the rule's unit (legal-domain §3.2)."""
    day = event_day(start)
    return _count(calendar, day, rule.length, rule.unit, rule.roll_forward, rule, suspensions)


def _units_between(calendar: WorkingCalendar, unit: Unit, a: dt.date, b: dt.date) -> int:
    if unit is Unit.WORKING_DAYS:
        return calendar.working_days_between(a, b)
    return (b - a).days


def _add_units(calendar: WorkingCalendar, unit: Unit, start: dt.date, n: int) -> dt.date:
    if unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(start, n)
    return start + dt.timedelta(days=n)


def _suspend(
    calendar: WorkingCalendar,
    unit: Unit,
    start: dt.date,
    length: int,
    suspensions: Iterable[Suspension],
    steps: list[Step],
) -> tuple[dt.date, int, list[tuple[dt.date, dt.date]], int]:
    """Stop the clock for each suspension reached before the deadline: days up to the
    suspension day count, counting resumes the day after the resume decision.

    Returns where counting resumes, what is left, the counted (after, up to) segments so
    far and the calendar days suspended; appends a SUSPENDED step per suspension.
    """
    cursor, remaining, suspended_days = start, length, 0
    segments: list[tuple[dt.date, dt.date]] = []
    for pause in sorted(suspensions, key=lambda s: s.paused_on):
        if pause.paused_on < cursor or pause.resumed_on < pause.paused_on:
            raise ValueError(f"suspensions must follow the start and each other: {pause}")
        elapsed = _units_between(calendar, unit, cursor, pause.paused_on)
        if elapsed >= remaining:
            break
        remaining -= elapsed
        segments.append((cursor, pause.paused_on))
        suspended_days += (pause.resumed_on - pause.paused_on).days
        values = {
            "unit": unit,
            "paused": pause.paused_on,
            "resumed": pause.resumed_on,
            "elapsed": length - remaining,
            "remaining": remaining,
        }
        steps.append(Step(StepKind.SUSPENDED, values))
        cursor = pause.resumed_on
    return cursor, remaining, segments, suspended_days


def _count(
    calendar: WorkingCalendar,
    start: dt.date,
    length: int,
    unit: Unit,
    roll_forward: bool,
    rule: RuleSpec | None,
    suspensions: Iterable[Suspension],
) -> DeadlineResult:
    if length < 0:
        raise ValueError(f"a time limit cannot be negative: {length}")
    count_kind = StepKind.COUNT_WORKING if unit is Unit.WORKING_DAYS else StepKind.COUNT_CALENDAR
    steps = [Step(StepKind.RULE, {"name": rule.name, "legal_ref": rule.legal_ref})] if rule else []
    steps.append(Step(count_kind, {"length": length, "day": start}))

    cursor, remaining, segments, suspended_days = _suspend(
        calendar, unit, start, length, suspensions, steps
    )
    last_day = _add_units(calendar, unit, cursor, remaining)
    segments.append((cursor, last_day))
    due, rolled_from = last_day, None
    skipped: list[DayStatus] = []
    makeup: list[DayStatus] = []
    if unit is Unit.WORKING_DAYS:
        for first, last in segments:
            skipped += calendar.days_off_between(first + ONE_DAY, last)
            makeup += calendar.makeup_days_between(first + ONE_DAY, last)
        if skipped:
            steps.append(Step(StepKind.SKIPPED, {"days": tuple(skipped)}))
        if makeup:
            steps.append(Step(StepKind.MAKEUP_COUNTED, {"days": tuple(makeup)}))
    elif not calendar.is_working_day(last_day):
        if roll_forward:
            due, rolled_from = calendar.next_working_day(last_day), last_day
            skipped = calendar.days_off_between(last_day, due - ONE_DAY)
            kind = StepKind.LAST_DAY_ROLLED
        else:
            kind = StepKind.LAST_DAY_NOT_ROLLED
        off = tuple(skipped) or tuple(calendar.days_off_between(last_day, last_day))
        steps.append(Step(kind, {"day": last_day, "days": off}))
    steps.append(Step(StepKind.DUE, {"day": due}))
    return DeadlineResult(
        due=due,
        start=start,
        length=length,
        unit=unit,
        steps=tuple(steps),
        rule=rule,
        days_off_skipped=tuple(skipped),
        makeup_days_counted=tuple(makeup),
        rolled_from=rolled_from,
        suspended_days=suspended_days,
    )


def entry_deadline(
    calendar: WorkingCalendar,
    event_at: dt.datetime | dt.date,
    *,
    event: EventKind = EventKind.ISSUED,
    cutoff: dt.time = ENTRY_CUTOFF,
) -> DeadlineResult:
    """The last day an event must be entered on (R14 assignment, R16 report, R17 review):
    the event's day if it happened at or before 15:00 on a working day, else the next
    working day (see the module docstring for the exact meaning of 15:00). An event known
    only by its date (a report document's date, R16) is given the benefit of the doubt:
    taken as after 15:00, so it may be entered up to the next working day."""
    if isinstance(event_at, dt.datetime):
        local = local_datetime(event_at)
        day, minute = local.date(), local.time().replace(second=0, microsecond=0)
    else:
        local = dt.datetime.combine(event_at, dt.time(23, 59), tzinfo=LOCAL_TZ)
        day, minute = event_at, None
    steps = [Step(StepKind.EVENT, {"event": event, "time": minute, "day": day})]
    skipped: list[DayStatus] = []
    if minute is None and calendar.is_working_day(day):
        due = calendar.next_working_day(day)
        steps.append(Step(StepKind.TIME_NOT_RECORDED, {"cutoff": cutoff}))
        skipped = calendar.days_off_between(day + ONE_DAY, due - ONE_DAY)
        steps.append(Step(StepKind.NEXT_WORKING_DAY, {"day": due, "days": tuple(skipped)}))
    elif minute is not None and calendar.is_working_day(day) and minute <= cutoff:
        due = day
        steps.append(Step(StepKind.NOT_AFTER_CUTOFF, {"cutoff": cutoff}))
        steps.append(Step(StepKind.SAME_DAY, {"day": day}))
    else:
        due = calendar.next_working_day(day)
        first = day
        if calendar.is_working_day(day):
            steps.append(Step(StepKind.AFTER_CUTOFF, {"cutoff": cutoff}))
            first = day + ONE_DAY
        skipped = calendar.days_off_between(first, due - ONE_DAY)
        steps.append(Step(StepKind.NEXT_WORKING_DAY, {"day": due, "days": tuple(skipped)}))
    return DeadlineResult(
        due=due,
        start=day,
        length=0,
        unit=Unit.WORKING_DAYS,
        steps=tuple(steps),
        days_off_skipped=tuple(skipped),
        event_at=local,
    )


def judge_entry_timeliness(
    calendar: WorkingCalendar,
    event_at: dt.datetime | dt.date,
    entered_at: dt.datetime,
    *,
    event: EventKind = EventKind.ISSUED,
) -> TimelinessResult:
    """On time when entered no later than the entry deadline of ``event_at``, else late
    (15:00 rule: R14, R16, R17). There is no "early" entry."""
    deadline = entry_deadline(calendar, event_at, event=event)
    judged = _judge(deadline.due, entered_at, deadline.steps, action="entered", allow_early=False)
    return replace(judged, deadline=deadline)


def judge_completion(
    due: dt.date | DeadlineResult, done_at: dt.date | dt.datetime
) -> TimelinessResult:
    """Early (before the due date), on time (on it) or late (after it) — R19: the moment
    the report is sent decides."""
    deadline = due if isinstance(due, DeadlineResult) else None
    due_day = deadline.due if deadline else due
    steps = deadline.steps if deadline else (Step(StepKind.DUE, {"day": due_day}),)
    judged = _judge(due_day, done_at, steps, action="completed", allow_early=True)
    return replace(judged, deadline=deadline)


def _judge(
    due: dt.date,
    done_at: dt.date | dt.datetime,
    steps: tuple[Step, ...],
    *,
    action: str,
    allow_early: bool,
) -> TimelinessResult:
    done_on = event_day(done_at)
    moment = local_datetime(done_at) if isinstance(done_at, dt.datetime) else None
    time = moment.time().replace(second=0, microsecond=0) if moment else None
    days = (done_on - due).days
    if days > 0:
        status = Timeliness.LATE
    elif days < 0 and allow_early:
        status = Timeliness.EARLY
    else:
        status = Timeliness.ON_TIME
    shown_days = abs(days) if status is not Timeliness.ON_TIME else 0
    done = Step(StepKind.DONE, {"action": action, "time": time, "day": done_on})
    verdict = Step(StepKind.VERDICT, {"status": status, "days": shown_days})
    return TimelinessResult(
        status=status,
        due=due,
        done_on=done_on,
        days=shown_days,
        steps=(*steps, done, verdict),
    )
