"""Value objects of the deadline engine: rules, results and their explanation steps (pure).

A result always carries its explanation as structured ``Step`` objects; turning them into
words is ``app.calendar.explain``'s job, so results can be computed without Flask.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.calendar.workdays import DayStatus


class Unit(enum.StrEnum):
    """How a time limit is counted (legal-domain §3.2)."""

    WORKING_DAYS = "working_days"  # "ngày làm việc": only working days count
    CALENDAR_DAYS = "calendar_days"  # "ngày": every day counts; the last day may roll forward


class Timeliness(enum.StrEnum):
    """How an action compares with its deadline (R14, R16, R17, R19)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


class EventKind(enum.StrEnum):
    """The event a same-day (15:00) deadline starts from."""

    ISSUED = "issued"  # a document was issued (R14 assignment, R16 report)
    RECEIVED = "received"  # a report was received for review (R17)


class StepKind(enum.StrEnum):
    """One kind of sentence in an explanation; ``explain`` maps each to an English msgid."""

    RULE = "rule"
    COUNT_WORKING = "count_working"
    COUNT_CALENDAR = "count_calendar"
    SUSPENDED = "suspended"
    SKIPPED = "skipped"
    MAKEUP_COUNTED = "makeup_counted"
    LAST_DAY_ROLLED = "last_day_rolled"
    LAST_DAY_NOT_ROLLED = "last_day_not_rolled"
    EVENT = "event"
    NOT_AFTER_CUTOFF = "not_after_cutoff"
    AFTER_CUTOFF = "after_cutoff"
    TIME_NOT_RECORDED = "time_not_recorded"
    SAME_DAY = "same_day"
    NEXT_WORKING_DAY = "next_working_day"
    DUE = "due"
    DONE = "done"
    VERDICT = "verdict"


@dataclass(frozen=True)
class Step:
    """One sentence of an explanation: its kind and its values (dates, times, counts,
    days off, names). Values are data, not text; ``explain`` renders them."""

    kind: StepKind
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSpec:
    """One legal time limit, detached from the database (a ``TimeLimitRule`` row)."""

    code: str
    name: str
    length: int
    unit: Unit
    roll_forward: bool
    legal_ref: str
    counts_from: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Suspension:
    """A pause of a complaint's resolution clock (tạm đình chỉ): counting stops after
    ``paused_on`` and continues from the day after ``resumed_on``."""

    paused_on: dt.date
    resumed_on: dt.date


@dataclass(frozen=True)
class DeadlineResult:
    """A computed deadline and why.

    ``start`` is the day of the triggering event (not counted); ``length``/``unit`` what
    was counted; ``days_off_skipped`` the non-working days passed over (working-day
    counts) or rolled over (calendar-day counts, BLDS Art. 148(5)); ``rolled_from`` the
    calendar-day last day before it moved; ``event_at`` the local time of a same-day
    (15:00) event.
    """

    due: dt.date
    start: dt.date
    length: int
    unit: Unit
    steps: tuple[Step, ...]
    rule: RuleSpec | None = None
    days_off_skipped: tuple[DayStatus, ...] = ()
    makeup_days_counted: tuple[DayStatus, ...] = ()
    rolled_from: dt.date | None = None
    suspended_days: int = 0
    event_at: dt.datetime | None = None


@dataclass(frozen=True)
class TimelinessResult:
    """Whether something happened early, on time or late against a deadline, and why.

    ``days`` is the number of calendar days early or late (0 when on the due date).
    """

    status: Timeliness
    due: dt.date
    done_on: dt.date
    days: int
    steps: tuple[Step, ...]
    deadline: DeadlineResult | None = None

    @property
    def is_late(self) -> bool:
        """True when the action came after the due date (R19: "trễ hạn")."""
        return self.status is Timeliness.LATE
