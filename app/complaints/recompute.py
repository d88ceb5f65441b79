"""Open dossiers follow holiday and rule changes (registered with app.calendar.changes).

When an administrator adds, edits or deletes a calendar override or a time-limit row,
every open dossier's deadlines are computed again; each change is kept in the dossier's
log of deadline changes with the reason as a clerk reads it: the calendar screens name
the change in words of the code ("calendar override 04/11/2026 added"), which
``change_reason`` puts in the user's language with the day's own reason ("Ngày
04/11/2026 được đặt là ngày nghỉ: Nghỉ bù …"); any other reason is kept as given.
"""

from __future__ import annotations

import re

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calendar.models import CalendarOverride, TimeLimitRule
from app.calendar.store import load_calendar
from app.complaints.choices import OPEN_DOSSIER_STATUSES
from app.complaints.clocks import refresh_deadlines
from app.complaints.models import ComplaintDossier
from app.ui.dates import parse_vn_date

_OVERRIDE = re.compile(r"calendar override (\d{2}/\d{2}/\d{4}) (added|changed|deleted)")
_RULE = re.compile(r"time limit (\S+) (added|changed|deleted)")


def _override_reason(session: Session, day_text: str, action: str) -> str:
    override = session.scalar(
        select(CalendarOverride).where(CalendarOverride.day == parse_vn_date(day_text))
    )
    if action == "deleted" or override is None:
        return gettext("Calendar change of %(date)s removed by the administrator", date=day_text)
    if override.is_working_day:
        return gettext(
            "Day %(date)s made a working day by the administrator: %(reason)s",
            date=day_text,
            reason=override.reason,
        )
    return gettext(
        "Day %(date)s made a day off by the administrator: %(reason)s",
        date=day_text,
        reason=override.reason,
    )


def _rule_reason(session: Session, code: str, action: str) -> str:
    name = session.scalar(
        select(TimeLimitRule.name)
        .where(TimeLimitRule.code == code)
        .order_by(TimeLimitRule.valid_from.desc())
        .limit(1)
    )
    rule = name or code
    if action == "added":
        return gettext("Time limit “%(rule)s” added by the administrator", rule=rule)
    if action == "changed":
        return gettext("Time limit “%(rule)s” changed by the administrator", rule=rule)
    return gettext("Time limit “%(rule)s” deleted by the administrator", rule=rule)


def change_reason(session: Session, reason: str) -> str:
    """The reason of a recomputation as the dossier's log shows it (module docstring)."""
    override = _OVERRIDE.fullmatch(reason)
    if override:
        return _override_reason(session, override[1], override[2])
    rule = _RULE.fullmatch(reason)
    if rule:
        return _rule_reason(session, rule[1], rule[2])
    return reason


def recompute_open_dossiers(session: Session, reason: str) -> int:
    """Recompute the deadlines of every open dossier; return how many changed. Each change
    is kept with the reason (``change_reason``)."""
    calendar = load_calendar(session)
    shown = change_reason(session, reason)
    changed = 0
    dossiers = session.scalars(
        select(ComplaintDossier).where(ComplaintDossier.status.in_(OPEN_DOSSIER_STATUSES))
    )
    for dossier in dossiers:
        if refresh_deadlines(session, dossier, shown, calendar=calendar):
            changed += 1
    session.flush()
    return changed
