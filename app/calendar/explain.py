"""Rendering of deadline explanations in the user's language (English msgids).

``explain(result, gettext)`` gives one sentence per step; ``explanation_text(result)``
joins them for templates using Flask-Babel. Dates are dd/mm/yyyy with the weekday name
("Thứ Năm 31/12/2026"); lists of days off are grouped into runs ("02–03/01 nghỉ cuối
tuần"). Holiday names come from the holidays package in Vietnamese, override reasons as
the administrator typed them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import flask_babel

from app.calendar.i18n import N_, WEEKDAY_NAMES, Gettext, english
from app.calendar.results import (
    DeadlineResult,
    EventKind,
    Step,
    StepKind,
    Timeliness,
    TimelinessResult,
    Unit,
)
from app.calendar.workdays import ONE_DAY, DayKind, DayStatus

_FIXED = {
    StepKind.RULE: N_("%(name)s (%(legal_ref)s)"),
    StepKind.COUNT_WORKING: N_("%(length)s working days counted from the day after %(day)s"),
    StepKind.COUNT_CALENDAR: N_("%(length)s days counted from the day after %(day)s"),
    StepKind.SKIPPED: N_("not counted: %(days)s"),
    StepKind.MAKEUP_COUNTED: N_("counted as make-up working days: %(days)s"),
    StepKind.LAST_DAY_ROLLED: N_(
        "the last day %(day)s is not a working day (%(days)s), so the period ends on the "
        "next working day (Civil Code Art. 148(5))"
    ),
    StepKind.LAST_DAY_NOT_ROLLED: N_(
        "the last day %(day)s is not a working day (%(days)s); this limit is not extended"
    ),
    StepKind.NOT_AFTER_CUTOFF: N_("at or before %(cutoff)s"),
    StepKind.AFTER_CUTOFF: N_("after %(cutoff)s"),
    StepKind.TIME_NOT_RECORDED: N_(
        "no time is recorded, so it is taken as after %(cutoff)s (the later entry deadline)"
    ),
    StepKind.SAME_DAY: N_("the same working day %(day)s"),
    StepKind.DUE: N_("due %(day)s"),
}
_SUSPENDED = {
    Unit.WORKING_DAYS: N_(
        "suspended on %(paused)s after %(elapsed)s working days; resumed on %(resumed)s "
        "with %(remaining)s working days left"
    ),
    Unit.CALENDAR_DAYS: N_(
        "suspended on %(paused)s after %(elapsed)s days; resumed on %(resumed)s "
        "with %(remaining)s days left"
    ),
}
_EVENT = {
    EventKind.ISSUED: N_("issued %(time)s %(day)s"),
    EventKind.RECEIVED: N_("received %(time)s %(day)s"),
}
_EVENT_DAY = {
    EventKind.ISSUED: N_("issued %(day)s"),
    EventKind.RECEIVED: N_("received %(day)s"),
}
_DONE = {
    ("entered", True): N_("entered %(time)s %(day)s"),
    ("entered", False): N_("entered %(day)s"),
    ("completed", True): N_("completed %(time)s %(day)s"),
    ("completed", False): N_("completed %(day)s"),
}
_VERDICT = {
    Timeliness.EARLY: N_("early by %(days)s days"),
    Timeliness.ON_TIME: N_("on time"),
    Timeliness.LATE: N_("late by %(days)s days"),
}
_NEXT_WORKING_DAY = N_("next working day %(day)s")
_NEXT_WORKING_DAY_BECAUSE = N_("next working day %(day)s because %(days)s")
_WEEKEND = N_("weekend")
_MAKEUP_FOR = N_("make-up working day for %(date)s")
_LUNAR_NEW_YEAR = N_("Lunar New Year")
# Substrings of the holidays package's Vietnamese names of the Tết days (29 Tết, Giao
# thừa, Mùng hai … and their observed days), grouped as one run in lists of days off.
_LUNAR_NEW_YEAR_NAMES = ("Tết Nguyên Đán", "29 Tết")


def format_date(d: dt.date) -> str:
    """dd/mm/yyyy."""
    return d.strftime("%d/%m/%Y")


def weekday_name(d: dt.date, gettext: Gettext = english) -> str:
    """The weekday of ``d`` ("Thứ Hai" … "Chủ nhật" in Vietnamese)."""
    return gettext(WEEKDAY_NAMES[d.weekday()])


def format_day(d: dt.date, gettext: Gettext = english) -> str:
    """Weekday and date: "Thứ Năm 31/12/2026"."""
    return f"{weekday_name(d, gettext)} {format_date(d)}"


def day_reason(status: DayStatus, gettext: Gettext = english) -> str:
    """Why a day is special: holiday name, override reason, "weekend" or the day a
    make-up day pays for."""
    if status.reason:
        return status.reason
    if status.kind is DayKind.WEEKEND:
        return gettext(_WEEKEND)
    if status.makeup_for is not None:
        return gettext(_MAKEUP_FOR, date=format_date(status.makeup_for))
    return ""


def _run_label(status: DayStatus, gettext: Gettext) -> str:
    if status.kind is DayKind.HOLIDAY and any(n in status.reason for n in _LUNAR_NEW_YEAR_NAMES):
        return gettext(_LUNAR_NEW_YEAR)
    return day_reason(status, gettext)


def describe_days_off(days: Sequence[DayStatus], gettext: Gettext = english) -> str:
    """Runs of consecutive days with the same reason: "01/01 Tết Dương lịch, 02–03/01
    nghỉ cuối tuần", "16–20/02 Tết Nguyên Đán" (the Tết days form one run)."""
    runs: list[tuple[dt.date, dt.date, str]] = []
    for status in days:
        reason = _run_label(status, gettext)
        if runs and runs[-1][2] == reason and runs[-1][1] + ONE_DAY == status.day:
            runs[-1] = (runs[-1][0], status.day, reason)
        else:
            runs.append((status.day, status.day, reason))
    return ", ".join(f"{_format_run(first, last)} {reason}" for first, last, reason in runs)


def describe_makeup_days(days: Sequence[DayStatus], gettext: Gettext = english) -> str:
    """Make-up working days with their reason: "Thứ Bảy 22/08/2026 (…)"."""
    return ", ".join(f"{format_day(s.day, gettext)} ({day_reason(s, gettext)})" for s in days)


def _format_run(first: dt.date, last: dt.date) -> str:
    if first == last:
        return first.strftime("%d/%m")
    if first.year != last.year:
        return f"{format_date(first)}–{format_date(last)}"
    if first.month != last.month:
        return f"{first.strftime('%d/%m')}–{last.strftime('%d/%m')}"
    return f"{first.strftime('%d')}–{last.strftime('%d/%m')}"


def render_step(step: Step, gettext: Gettext = english) -> str:
    """One explanation sentence, translated by ``gettext``."""
    values = step.values
    params: dict[str, object] = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            params[key] = format_day(value, gettext)
        elif isinstance(value, dt.time):
            params[key] = value.strftime("%H:%M")
        elif isinstance(value, tuple):
            describe = describe_makeup_days if step.kind is StepKind.MAKEUP_COUNTED else None
            params[key] = (describe or describe_days_off)(value, gettext)
        else:
            params[key] = value
    return gettext(_msgid(step), **params)


def _msgid(step: Step) -> str:
    values = step.values
    if step.kind in _FIXED:
        return _FIXED[step.kind]
    if step.kind is StepKind.SUSPENDED:
        return _SUSPENDED[Unit(values["unit"])]
    if step.kind is StepKind.EVENT:
        events = _EVENT if values["time"] is not None else _EVENT_DAY
        return events[EventKind(values["event"])]
    if step.kind is StepKind.NEXT_WORKING_DAY:
        return _NEXT_WORKING_DAY_BECAUSE if values["days"] else _NEXT_WORKING_DAY
    if step.kind is StepKind.DONE:
        return _DONE[(str(values["action"]), values["time"] is not None)]
    return _VERDICT[Timeliness(values["status"])]


def explain(result: DeadlineResult | TimelinessResult, gettext: Gettext = english) -> list[str]:
    """The explanation of a deadline or a timeliness verdict, one sentence per step."""
    return [render_step(step, gettext) for step in result.steps]


def explanation_text(
    result: DeadlineResult | TimelinessResult, gettext: Gettext | None = None
) -> str:
    """The whole explanation as one line, in the request's language (Flask-Babel) unless
    another ``gettext`` is given: "Ban hành 16:00 Thứ Năm 31/12/2026; sau 15:00; …"."""
    text = "; ".join(explain(result, gettext or flask_babel.gettext))
    return text[:1].upper() + text[1:]
