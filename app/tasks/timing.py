"""Timeliness rules of the task loop, all computed by app.calendar (R14, R16, R17, R19).

Completion (R19): the moment the ACCEPTED report was sent decides — early if sent before
the deadline day, on time if on the deadline day (any hour, 23:59 included; the 15:00
rule is about entering documents, not about completion), late after it. Rules chosen for
the cases the regulation leaves open:

* a first report sent in time but returned, and a later report accepted after the
  deadline: LATE — the accepted report is the one that completes the task (R18: the
  agency "continues the work and reports again");
* an extended deadline: the task is judged against the deadline in force when the report
  is accepted (the extension is the assigning office's decision, logged with its reason);
* a deadline falling on a non-working day is not moved: the office chose that date.

Entry timeliness: an assignment document must be entered on its issue day, or by the next
working day when issued after 15:00 (R14); a report document likewise from its date
(R16; the report form records a date without a time, which counts as after 15:00:
the report may be sent up to the next working day); a review is due the working
day the report arrives, or the next one when it arrives after 15:00 (R17).
"""

from __future__ import annotations

import datetime as dt

from app.calendar.deadlines import judge_completion, judge_entry_timeliness
from app.calendar.results import EventKind, TimelinessResult
from app.calendar.workdays import WorkingCalendar


def completion_of(deadline: dt.date, accepted_report_sent_at: dt.datetime) -> TimelinessResult:
    """R19: early / on time / late of a task from its accepted report's sending time."""
    return judge_completion(deadline, accepted_report_sent_at)


def document_entry_timeliness(
    calendar: WorkingCalendar, issued_at: dt.datetime, entered_at: dt.datetime
) -> TimelinessResult:
    """R14: was the assignment document entered on time (15:00 rule, working days)?"""
    return judge_entry_timeliness(calendar, issued_at, entered_at, event=EventKind.ISSUED)


def report_entry_timeliness(
    calendar: WorkingCalendar, doc_date: dt.date, sent_at: dt.datetime
) -> TimelinessResult:
    """R16: was the report sent by the working day after its document's date (the date
    has no time: given the benefit of the 15:00 rule)?"""
    return judge_entry_timeliness(calendar, doc_date, sent_at, event=EventKind.ISSUED)


def review_timeliness(
    calendar: WorkingCalendar, sent_at: dt.datetime, reviewed_at: dt.datetime
) -> TimelinessResult:
    """R17: was the report reviewed the working day it arrived (15:00 rule)?"""
    return judge_entry_timeliness(calendar, sent_at, reviewed_at, event=EventKind.RECEIVED)
