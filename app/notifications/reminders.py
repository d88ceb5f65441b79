"""Deadline reminders over whole sets (issue 6, R25): overdue, due today, due within N
working days — one INSERT … SELECT per band, each notification at most once.

A domain describes its open records as a ``ReminderSource`` (columns for the id, the
agency to notify, the deadline, the reference shown in the title, the link, and the
conditions that make a record open) with the title and body of each band; ``send``
inserts one agency notification per record in each band, unless its dedup key —
``<source>-<band>:<id>:<deadline>`` — was used before (``ON CONFLICT DO NOTHING`` on the
unique key, so a job run twice, or two runs racing, never notify twice). A record whose
deadline changes is reminded again about the new deadline.

Texts are translated messages with ``%(name)s`` placeholders, rendered in the province's
language (the default locale) like every notification; placeholders bound to SQL
expressions are filled in by the database, row by row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from sqlalchemy import Date, String, cast, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.calendar.workdays import ONE_DAY, WorkingCalendar
from app.core.clock import now_utc
from app.core.types import UTCDateTime
from app.notifications.models import Notification

OVERDUE, DUE_TODAY, DUE_SOON = "overdue", "due_today", "due_soon"
_MARK = "\x00{}\x00"
# The title column's length.
TITLE_LENGTH = 255
_MARKED = re.compile("\x00([a-z_]+)\x00")


class iso_date(FunctionElement):
    """SQL: a date as ``YYYY-MM-DD`` text, whatever the server's date style."""

    type = String()
    inherit_cache = True


class vn_date(FunctionElement):
    """SQL: a date as ``dd/mm/yyyy`` text."""

    type = String()
    inherit_cache = True


@compiles(iso_date, "postgresql")
def _iso_date_pg(element: iso_date, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


@compiles(iso_date, "sqlite")
def _iso_date_sqlite(element: iso_date, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m-%d', {compiler.process(element.clauses, **kw)})"


@compiles(vn_date, "postgresql")
def _vn_date_pg(element: vn_date, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'DD/MM/YYYY')"


@compiles(vn_date, "sqlite")
def _vn_date_sqlite(element: vn_date, compiler: Any, **kw: Any) -> str:
    return f"strftime('%d/%m/%Y', {compiler.process(element.clauses, **kw)})"


@dataclass(frozen=True)
class Band:
    """Deadlines from ``first`` to ``last`` (inclusive; None: unbounded) get one reminder.

    ``code`` goes into the dedup key ("overdue", "due-today", "due-3"); ``kind`` chooses
    the texts; ``days`` is N of "due within N working days".
    """

    code: str
    kind: str
    first: dt.date | None
    last: dt.date | None
    days: int | None = None


def due_within_cutoff(calendar: WorkingCalendar, today: dt.date, days: int) -> dt.date:
    """The last date at most ``days`` working days after ``today`` (a deadline on a day
    off after the N-th working day is still N working days away)."""
    return calendar.add_working_days(today, days + 1) - ONE_DAY


def deadline_bands(
    calendar: WorkingCalendar, today: dt.date, due_soon_days: Sequence[int]
) -> list[Band]:
    """R25 reminders on ``today``: overdue (before today), due today, and one band per N
    of ``due_soon_days`` (e.g. 3 and 1): due within N working days but not within the
    next smaller N, so a deadline gets the reminder of the band it has reached."""
    bands = [
        Band("overdue", OVERDUE, None, today - ONE_DAY),
        Band("due-today", DUE_TODAY, today, today),
    ]
    first = today + ONE_DAY
    for days in sorted({d for d in due_soon_days if d > 0}):
        last = due_within_cutoff(calendar, today, days)
        if last >= first:
            bands.append(Band(f"due-{days}", DUE_SOON, first, last, days))
            first = last + ONE_DAY
    return bands


@dataclass(frozen=True)
class Texts:
    """Title and body of a reminder (lazy messages; placeholders ``%(name)s``)."""

    title: LazyString
    body: LazyString


@dataclass(frozen=True)
class ReminderSource:
    """Open records with a deadline, as SQL: who to notify about what, by when.

    ``values`` are further placeholders of the texts (SQL expressions or plain text);
    ``reference``, ``deadline`` and ``days`` are always available.
    """

    key: str
    kind: str
    record_id: ColumnElement[int]
    agency_id: ColumnElement[int]
    due: ColumnElement[dt.date]
    reference: ColumnElement[str]
    link: ColumnElement[str] | None
    where: Sequence[ColumnElement[bool]]
    texts: Mapping[str, Texts]
    values: Mapping[str, ColumnElement[str] | str]


def sql_text(
    message: LazyString, values: Mapping[str, ColumnElement[str] | str]
) -> ColumnElement[str]:
    """``message`` in the province's language as a SQL string expression, each
    ``%(name)s`` replaced by ``values[name]`` (a SQL expression or a plain value)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "vi")):
        template = str(message)
    marked = template % {name: _MARK.format(name) for name in values}
    expression: ColumnElement[str] | None = None
    for index, piece in enumerate(_MARKED.split(marked)):
        if index % 2:
            value = values[piece]
            part = literal(value, String) if isinstance(value, str) else value
        elif piece:
            part = literal(piece, String)
        else:
            continue
        expression = part if expression is None else expression.concat(part)
    return expression if expression is not None else literal("", String)


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(Notification.__table__)
    if dialect == "sqlite":
        return sqlite.insert(Notification.__table__)
    # The project supports these two databases only (INSERT … ON CONFLICT DO NOTHING).
    raise RuntimeError(f"reminders need PostgreSQL or SQLite, not {dialect}")


def _band_condition(source: ReminderSource, band: Band) -> list[ColumnElement[bool]]:
    conditions = []
    if band.first is not None:
        conditions.append(source.due >= literal(band.first, Date))
    if band.last is not None:
        conditions.append(source.due <= literal(band.last, Date))
    return conditions


def send(
    session: Session,
    source: ReminderSource,
    bands: Sequence[Band],
    extra: Mapping[str, Sequence[ColumnElement[bool]]] | None = None,
) -> dict[str, int]:
    """Notify each record's agency once per band its deadline is in (R25); ``extra``
    narrows a band by code. Returns the notifications inserted per band code."""
    sent: dict[str, int] = {}
    created_at = literal(now_utc(), UTCDateTime)
    for band in bands:
        texts = source.texts[band.kind]
        values = {
            **source.values,
            "reference": source.reference,
            "deadline": vn_date(source.due),
            "days": "" if band.days is None else str(band.days),
        }
        dedup_key = (
            literal(f"{source.key}-{band.code}:", String)
            .concat(cast(source.record_id, String))
            .concat(literal(":", String))
            .concat(iso_date(source.due))
        )
        rows = select(
            source.agency_id,
            literal(f"{source.kind}.{band.kind}", String),
            func.substr(sql_text(texts.title, values), 1, TITLE_LENGTH),
            sql_text(texts.body, values),
            source.link if source.link is not None else literal(None, String),
            created_at,
            dedup_key,
        ).where(*source.where, *_band_condition(source, band), *(extra or {}).get(band.code, ()))
        statement = (
            _insert(session)
            .from_select(
                [
                    "recipient_agency_id",
                    "kind",
                    "title",
                    "body",
                    "link",
                    "created_at",
                    "dedup_key",
                ],
                rows,
            )
            .on_conflict_do_nothing(index_elements=["dedup_key"])
            .execution_options(preserve_rowcount=True)
        )
        sent[band.code] = session.execute(statement).rowcount
    return sent
