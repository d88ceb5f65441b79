"""Monthly and ad hoc summaries (R24, R8; issue 6): every form in force for a period and a
scope, compiled, stored and kept.

* Monthly: on the 1st the scheduler (app.jobs.monthly_summaries) calls
  ``compile_monthly_summaries`` for the previous month (periods under the cut-off rule of
  the ``REPORT_MONTHLY_RULE`` setting): one summary for the province and one for each
  task-assigning agency in force (R3: the districts' People's Committees), the figures of
  the whole scope as the Citizen Reception Board reads them. Running it again never
  duplicates: a month and scope compiled before is compiled again into the same record.
* Frozen: after review the Board freezes a compiled summary; its files and figures never
  change again. Compiling a frozen month again makes a new version of the same series
  (the frozen one stays), with every cell that differs from the frozen version.
* Ad hoc: any period and scope within the user's data scope, compiled in the background
  (app.reports.background) as the user sees the data; the state and the progress are in
  the database, so any web worker answers the page polling it.

All the summaries of one compilation share one ``Batch`` (app.reports.compute): each
metric family is one query for every form and every scope. Each form's workbook is stored
through app.files (outside the web root, generated name, SHA-256), owned by the summary.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.agencies.services import assigning_agencies, in_force
from app.core.clock import now_utc
from app.files.access import remove_file
from app.files.storage import Incoming, discard, store_files
from app.reports.compute import Batch, ReportCheckFailed, ReportTable, compute_report, verify
from app.reports.forms import FormSpec, forms_in_force, load_forms
from app.reports.models import (
    ADHOC,
    DRAFT,
    FAILED,
    FROZEN,
    MONTHLY,
    QUEUED,
    RUNNING,
    Summary,
    SummaryFile,
)
from app.reports.periods import Period, periodic
from app.reports.summary_cells import cell_differences, figures_sha256, table_cells
from app.reports.xlsx import render, sheet_name
from app.security.roles import MONITOR

# The place printed on the forms when the setting REPORT_PLACE is absent.
DEFAULT_PLACE = "Cao Lãnh"
FILE_PURPOSE = "report_summary"
Progress = Callable[[int, int], None]


class SummaryActionRefused(ValueError):
    """The action does not apply to this summary; the message is Vietnamese."""


@dataclass(frozen=True)
class _Role:
    name: str


@dataclass(frozen=True)
class ProvinceReader:
    """The scheduler compiling for the Citizen Reception Board (R24): it reads the whole
    province as the Board's monitor does (app.security.scope reads its roles)."""

    id: None = None
    roles: tuple[_Role, ...] = (_Role(MONITOR),)
    groups: tuple[()] = ()
    agency: None = None
    is_authenticated: bool = True


PROVINCE_READER = ProvinceReader()


def monthly_rule() -> str:
    """R24: the cut-off rule of the monthly summaries (setting ``REPORT_MONTHLY_RULE``,
    default calendar months)."""
    return current_app.config.get("REPORT_MONTHLY_RULE") or "calendar"


def province_root(session: Session, on: dt.date) -> Agency | None:
    """The province (the root of the agency tree) in force on ``on``."""
    return session.scalar(
        select(Agency).where(Agency.depth == 0, in_force(on)).order_by(Agency.path).limit(1)
    )


def summary_scopes(session: Session, on: dt.date) -> list[Agency]:
    """R3, R24: the scopes compiled each month: the province, then each task-assigning
    agency in force on ``on`` below it, in tree order."""
    root = province_root(session, on)
    if root is None:
        return []
    below = [agency for agency in assigning_agencies(session, on) if agency.id != root.id]
    return [root, *below]


def monthly_series(period: Period, rule: str, agency: Agency) -> str:
    """The key shared by every version of a month's summary for one scope."""
    return f"{MONTHLY}:{period.start:%Y-%m-%d}:{period.end:%Y-%m-%d}:{rule}:{agency.id}"


def versions(session: Session, series: str) -> list[Summary]:
    """Every version of a series, newest first."""
    return list(
        session.scalars(
            select(Summary).where(Summary.series == series).order_by(Summary.version.desc())
        )
    )


def prepare_monthly(session: Session, period: Period, rule: str, agency: Agency) -> Summary:
    """R24: the record a compilation of this month and scope writes into: the series'
    latest version unless it is frozen; after a frozen version, a new version compared
    with it. Never a second record for the same version."""
    series = monthly_series(period, rule, agency)
    existing = versions(session, series)
    latest = existing[0] if existing else None
    if latest is not None and latest.status != FROZEN:
        return latest
    summary = Summary(
        kind=MONTHLY,
        series=series,
        version=latest.version + 1 if latest else 1,
        period_start=period.start,
        period_end=period.end,
        rule=rule,
        agency_id=agency.id,
        status=QUEUED,
        base_id=latest.id if latest else None,
    )
    session.add(summary)
    session.flush()
    return summary


def request_adhoc(
    session: Session, period: Period, rule: str | None, root: Agency, user: Any
) -> Summary:
    """R24: an ad hoc summary of ``period`` over ``root``'s subtree (already checked to be
    in the user's scope), queued for the background."""
    summary = Summary(
        kind=ADHOC,
        series=f"{ADHOC}:{uuid.uuid4().hex}",
        version=1,
        period_start=period.start,
        period_end=period.end,
        rule=rule,
        agency_id=root.id,
        status=QUEUED,
        requested_by_id=user.id,
    )
    session.add(summary)
    session.flush()
    return summary


def request_recompile(session: Session, summary: Summary, user: Any) -> Summary:
    """R24: compile a month's summary again in the background: into its draft, or, once
    frozen, into a new version compared with the frozen one."""
    if summary.kind != MONTHLY:
        raise SummaryActionRefused(gettext("Only a monthly summary is compiled again."))
    if summary.status in (QUEUED, RUNNING):
        raise SummaryActionRefused(gettext("This summary is being compiled."))
    period = Period(summary.period_start, summary.period_end)
    target = prepare_monthly(session, period, summary.rule or "calendar", summary.agency)
    if target.status in (QUEUED, RUNNING):
        raise SummaryActionRefused(gettext("This summary is being compiled."))
    target.status = QUEUED
    target.requested_by_id = user.id
    target.progress_done = target.progress_total = 0
    target.error = None
    session.flush()
    return target


def freeze(session: Session, summary: Summary, user: Any) -> None:
    """R24: freeze a compiled summary after review: its files and figures stay as they
    were reported, whatever is edited or compiled later. Only a month is frozen: an ad hoc
    summary is never compiled again, so it never changes."""
    if summary.kind != MONTHLY:
        raise SummaryActionRefused(
            gettext("Only a monthly summary is frozen: an ad hoc summary never changes.")
        )
    if summary.status != DRAFT:
        raise SummaryActionRefused(
            gettext("Only a compiled summary that is not frozen can be frozen.")
        )
    summary.status = FROZEN
    summary.frozen_at = now_utc()
    summary.frozen_by_id = user.id
    session.flush()


def mark_interrupted(session: Session, summary: Summary) -> bool:
    """A summary still running long after its last progress (its process stopped) is
    marked failed so that it can be asked for again; True when it was."""
    limit = dt.timedelta(minutes=current_app.config.get("JOBS_CRASHED_AFTER_MINUTES", 60))
    if summary.status != RUNNING or summary.updated_at >= now_utc() - limit:
        return False
    summary.status = FAILED
    summary.error = gettext("The compilation was interrupted; ask for it again.")
    session.flush()
    return True


def _file_name(form: FormSpec, period: Period) -> str:
    return f"{sheet_name(form.code)}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


def _replace_files(session: Session, summary: Summary) -> None:
    """Remove the files of an earlier compilation of this (never frozen) record."""
    for old in list(summary.files):
        remove_file(session, old.stored_file)
        session.delete(old)
    session.flush()
    session.expire(summary, ["files"])


def _store(
    session: Session,
    summary: Summary,
    tables: list[tuple[FormSpec, ReportTable, bytes]],
) -> None:
    """Store each workbook (app.files) and its figures; on failure nothing stays on disk."""
    written = []
    try:
        for position, (form, table, content) in enumerate(tables, start=1):
            name = _file_name(form, table.period)
            [stored] = store_files(
                session, summary, summary.agency_id, [Incoming(name, content)], purpose=FILE_PURPOSE
            )
            written.append(stored)
            cells = table_cells(table)
            session.add(
                SummaryFile(
                    summary_id=summary.id,
                    position=position,
                    form_key=form.key,
                    form_code=form.code,
                    form_title=form.title,
                    stored_file_id=stored.id,
                    figures_sha256=figures_sha256(cells),
                    cells=cells,
                )
            )
        session.flush()
    except Exception:
        discard(written)
        raise


def _differences(session: Session, summary: Summary) -> list[dict] | None:
    """Every cell differing from the frozen version the summary follows, form by form."""
    if summary.base_id is None:
        return None
    frozen = {file.form_code: file.cells for file in session.get(Summary, summary.base_id).files}
    current = {file.form_code: file.cells for file in summary.files}
    codes = list(dict.fromkeys([*current, *frozen]))
    return [
        difference
        for code in codes
        for difference in cell_differences(code, frozen.get(code), current.get(code))
    ]


def _batch_root(session: Session, summaries: list[Summary], on: dt.date) -> Agency:
    if len({summary.agency_id for summary in summaries}) == 1:
        return summaries[0].agency
    return province_root(session, on) or summaries[0].agency


def compile_summaries(
    session: Session,
    summaries: list[Summary],
    reader: Any,
    compiled_by_id: int | None,
    progress: Progress | None = None,
) -> None:
    """R24: compute every form in force for the summaries (one period; each its own scope)
    as ``reader`` sees the data, in one batch, check each (MS row), store the workbooks and
    figures, and the differences from the frozen version followed. A summary whose form
    fails a check is marked failed with the message. The caller commits."""
    period = Period(summaries[0].period_start, summaries[0].period_end)
    forms = forms_in_force(load_forms()[0], period.end)
    total = 1 + len(forms) * len(summaries)
    batch = Batch(session, period, _batch_root(session, summaries, period.end), reader)
    batch.require(forms)
    done = 1
    if progress:
        progress(done, total)
    place = current_app.config.get("REPORT_PLACE") or DEFAULT_PLACE
    for summary in summaries:
        tables = []
        try:
            for form in forms:
                table = compute_report(session, form, period, summary.agency, reader, batch)
                verify(table)
                tables.append((form, table, render([table], summary.agency.name, place)))
                done += 1
                if progress:
                    progress(done, total)
        except ReportCheckFailed as failed:
            summary.status, summary.error = FAILED, str(failed)
            session.flush()
            continue
        _replace_files(session, summary)
        _store(session, summary, tables)
        summary.differences = _differences(session, summary)
        summary.status, summary.error = DRAFT, None
        summary.compiled_at, summary.compiled_by_id = now_utc(), compiled_by_id
        summary.progress_done = summary.progress_total = len(forms)
        session.flush()


def compile_monthly_summaries(session: Session, year: int, month: int) -> list[Summary]:
    """R24: compile every form in force for month ``month`` of ``year`` (under the monthly
    cut-off rule) for the province and for each task-assigning agency's subtree, as the
    system for the Board; idempotent (app.jobs.monthly_summaries). The caller commits."""
    rule = monthly_rule()
    period = periodic("month", year, month, rule)
    summaries = [
        prepare_monthly(session, period, rule, agency)
        for agency in summary_scopes(session, period.end)
    ]
    if summaries:
        for summary in summaries:
            summary.status = RUNNING
        compile_summaries(session, summaries, PROVINCE_READER, None)
    return summaries


def latest_versions() -> Select:
    """SQL: the ids of each series' newest version."""
    newest = (
        select(Summary.series, func.max(Summary.version).label("version"))
        .group_by(Summary.series)
        .subquery()
    )
    return select(Summary.id).join(
        newest, (newest.c.series == Summary.series) & (newest.c.version == Summary.version)
    )
