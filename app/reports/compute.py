"""Compute a form's table (R8, R21): metrics per agency in SQL, rows, subtotals, total,
shares, then the MS-row checks.

Every metric family is ONE ``GROUP BY agency`` query (app.reports.metrics); pandas then
lays the rows out: the agencies of the scope (those of the form's kind in force at the end
of the period, and any other agency with data, so that nothing counted is lost), a
subtotal row before each district's agencies, the total row; or one row per category.
Percentages (``share``) are computed on every row after summing.

Forms computed together (a monthly summary, every form of a period) share a ``Batch``:
every metric ANY of them needs is computed in one query per family for every agency of
the widest scope, so the petitions of the period are read once per batch, not once per
form; each form, and each narrower scope (a district), takes its values from there. A
value per agency is the same whichever agencies a query asks for (``GROUP BY agency``),
so a table from a batch equals the table computed alone.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from flask_babel import gettext
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.reports.checks import failures
from app.reports.forms import FormSpec
from app.reports.metrics import Context, MetricRef, family_query
from app.reports.periods import Period
from app.reports.rows import scope_agencies
from app.security.scope import scope_condition

DECIMALS = {"money": 3, "area": 2, "percent": 1}
AGENCY, SUBTOTAL, TOTAL, CATEGORY = "agency", "subtotal", "total", "category"


class ReportCheckFailed(ValueError):
    """A check formula of the MS row does not hold: the export is refused (Vietnamese
    message naming the formula and the row)."""


@dataclass
class ReportTable:
    """A computed form: ``frame`` has ``label``, ``level`` (agency, subtotal, total,
    category), ``agency_id`` and one column per column number."""

    form: FormSpec
    period: Period
    root: Agency
    frame: pd.DataFrame


def family_queries(
    ctx: Context, refs: list[MetricRef], agency_ids: list[int], scope: Any
) -> dict[str, Any]:
    """R8, R21: the ONE ``GROUP BY agency`` query of each metric family ``refs`` use, by
    family name; its columns are ``agency_id`` then ``m0``, ``m1``… in the order of
    ``family_refs`` (each distinct ref once)."""
    queries = {}
    for name, family_refs in family_refs_of(refs).items():
        family = family_refs[0].metric.family
        queries[name] = family_query(
            family, family_refs, ctx, agency_ids, scope(family.scope_model)
        )
    return queries


def family_refs_of(refs: list[MetricRef]) -> dict[str, list[MetricRef]]:
    """The distinct refs of each metric family, in the order given."""
    by_family: dict[str, list[MetricRef]] = defaultdict(list)
    for ref in refs:
        family_refs = by_family[ref.metric.family.name]
        if ref not in family_refs:
            family_refs.append(ref)
    return dict(by_family)


# PostgreSQL settings for the metric queries (bench/report_forms.py, EXPLAIN ANALYZE at a
# million petitions): no JIT — compiling a family's 70 conditional aggregates took longer
# (1–6 s) than running them — and room to sort the period's rows and keep their bitmap
# exact in memory (the default 4 MB spilled both to disk).
POSTGRESQL_SETTINGS = {"jit": "off", "work_mem": "64MB"}


@contextmanager
def query_settings(session: Session) -> Iterator[None]:
    """The POSTGRESQL_SETTINGS for the queries run inside, then the previous values (both
    local to the transaction); nothing on other databases."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    current = text("SELECT current_setting(:name)")
    saved = {name: session.scalar(current, {"name": name}) for name in POSTGRESQL_SETTINGS}
    change = text("SELECT set_config(:name, :value, true)")
    for name, value in POSTGRESQL_SETTINGS.items():
        session.execute(change, {"name": name, "value": value})
    try:
        yield
    finally:
        for name, value in saved.items():
            session.execute(change, {"name": name, "value": value})


def metric_frame(
    ctx: Context,
    refs: list[MetricRef],
    agency_ids: list[int],
    scope: Any,
    seconds: dict[str, float] | None = None,
) -> pd.DataFrame:
    """R8, R21: the value of each metric (column ``str(ref)``) per agency id, ONE query per
    metric family; agencies without rows are absent (zero). ``seconds`` receives the time
    each family's query took (database and fetch), by family name."""
    by_family = family_refs_of(refs)
    queries = family_queries(ctx, refs, agency_ids, scope)
    results = []
    with query_settings(ctx.session):
        for name, family_refs in by_family.items():
            started = time.perf_counter()
            rows = ctx.session.execute(queries[name]).all()
            if seconds is not None:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
            columns = ["agency_id", *(str(ref) for ref in family_refs)]
            results.append(pd.DataFrame(rows, columns=columns).set_index("agency_id").astype(float))
    if not results:
        return pd.DataFrame(dtype=float)
    return pd.concat(results, axis=1).fillna(0.0)


def _metric_columns(form: FormSpec, extra: dict | None = None) -> list[tuple[str, MetricRef]]:
    return [
        (column.ms, column.ref.with_params(extra) if extra else column.ref)
        for column in form.columns
        if column.ref is not None
    ]


def _form_refs(form: FormSpec) -> list[MetricRef]:
    """Every metric a form needs (with each category's parameters for category rows)."""
    extras = [category.params for category in form.rows.categories] or [None]
    return [ref for extra in extras for _, ref in _metric_columns(form, extra)]


class Batch:
    """R21: forms computed together over one period for one reader: their metrics per
    agency of ``root``'s subtree, each family in one query for all of them (module
    docstring). ``require`` computes what is missing; tables of ``root`` or of any agency
    below it are laid out from the values."""

    def __init__(self, session: Session, period: Period, root: Agency, user: Any):
        self.ctx = Context(period, session)
        self.period = period
        self.root = root
        self.user = user
        self.agencies = scope_agencies(session, root, period.end)
        self.values = pd.DataFrame(index=pd.Index([], name="agency_id"), dtype=float)
        # Seconds each metric family's query took, by family name (logs, benchmarks).
        self.seconds: dict[str, float] = {}

    def scope(self, model: type) -> Any:
        """THE data scope of the batch's reader on ``model`` (app.security.scope)."""
        return scope_condition(model, self.user)

    def require(self, forms: list[FormSpec]) -> None:
        """R8, R21: compute, in one query per metric family, every metric of ``forms`` not
        computed yet."""
        wanted = {str(ref): ref for form in forms for ref in _form_refs(form)}
        refs = {text: ref for text, ref in wanted.items() if text not in self.values.columns}
        if not refs:
            return
        agency_ids = [int(agency_id) for agency_id in self.agencies.index]
        frame = metric_frame(self.ctx, list(refs.values()), agency_ids, self.scope, self.seconds)
        frame = frame.reindex(columns=list(refs), fill_value=0.0)
        self.values = pd.concat([self.values, frame], axis=1).fillna(0.0)

    def queries(self, forms: list[FormSpec]) -> dict[str, Any]:
        """The query of each metric family computing every metric of ``forms`` (to
        explain their plans)."""
        refs = [ref for form in forms for ref in _form_refs(form)]
        agency_ids = [int(agency_id) for agency_id in self.agencies.index]
        return family_queries(self.ctx, refs, agency_ids, self.scope)

    def columns(self, columns: list[tuple[str, MetricRef]], agency_ids: Any) -> pd.DataFrame:
        """The values of (column number, metric) for the agencies ``agency_ids``."""
        data = {ms: self.values[str(ref)] for ms, ref in columns}
        frame = pd.DataFrame(data, index=self.values.index, columns=[ms for ms, _ in columns])
        return frame.reindex(pd.Index(agency_ids)).fillna(0.0)

    def agencies_of(self, root: Agency) -> pd.DataFrame:
        """The agencies of ``root``'s subtree (``root`` within the batch's), grouped under
        their districts as seen from ``root`` (app.reports.rows)."""
        if root.id == self.root.id:
            return self.agencies
        if not root.path.startswith(self.root.path):
            raise ValueError(f"{root.path} is outside the batch's scope {self.root.path}")
        return scope_agencies(self.ctx.session, root, self.period.end)


def _finish(form: FormSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Round amounts, compute shares and blank columns on every row."""
    for column in form.columns:
        if column.ref is not None:
            frame[column.ms] = frame[column.ms].astype(float).round(DECIMALS.get(column.format, 0))
    for column in form.columns:
        if column.share is not None:
            part, whole = (frame[ms].astype(float) for ms in column.share)
            share = (100 * part / whole.where(whole != 0)).round(1)
            frame[column.ms] = share.astype(object).where(share.notna(), None)
        elif column.ref is None:
            frame[column.ms] = None
    return frame.reset_index(drop=True)


def _agency_rows(form: FormSpec, agencies: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    numbers = [ms for ms, _ in _metric_columns(form)]
    data = values.reindex(agencies.index).fillna(0.0)
    has_data = (data[numbers] != 0).any(axis=1) if numbers else pd.Series(False, data.index)
    wanted = agencies.in_force & (
        agencies.receives_petitions if form.rows.agencies == "petition_receivers" else True
    )
    listed = has_data if form.rows.hide_empty else (wanted | has_data)
    members = agencies[listed].join(data)
    members = members.sort_values(["kind_order", "name_key"])
    members["label"] = members["name"]
    members["level"] = AGENCY
    members["agency_id"] = members.index
    parts = []
    grouped = form.rows.subtotals and (members.group_id != -1).any()
    for group_id, block in members.groupby("group_id", sort=False):
        block = block.copy()
        if grouped and group_id != -1:
            head = agencies.loc[group_id]
            subtotal = block[numbers].sum().to_frame().T
            subtotal["label"], subtotal["level"] = head["name"], SUBTOTAL
            subtotal["agency_id"], subtotal["path"] = group_id, head["path"]
            parts.append((head["path"], pd.concat([subtotal, block], ignore_index=True)))
        else:
            block["group_id"] = -1
            parts.append(("", block))
    ordered = [frame for _, frame in sorted(parts, key=lambda item: item[0])]
    body = pd.concat(ordered, ignore_index=True) if ordered else members.iloc[0:0]
    frames = [body]
    if form.rows.total_label:
        total = members[numbers].sum().to_frame().T
        total["label"], total["level"], total["agency_id"] = form.rows.total_label, TOTAL, None
        frames.append(total)
    table = pd.concat(frames, ignore_index=True)
    return table[["label", "level", "agency_id", *numbers]]


def _category_rows(form: FormSpec, batch: Batch, agency_ids: list[int]) -> pd.DataFrame:
    numbers = [ms for ms, _ in _metric_columns(form)]
    rows = []
    for category in form.rows.categories:
        values = batch.columns(_metric_columns(form, category.params), agency_ids)
        row = values.reindex(columns=numbers).sum().to_dict()
        rows.append({"label": category.label, "level": CATEGORY, "agency_id": None, **row})
    table = pd.DataFrame(rows, columns=["label", "level", "agency_id", *numbers])
    if form.rows.total_label:
        total = table[numbers].sum().to_frame().T
        total["label"], total["level"], total["agency_id"] = form.rows.total_label, TOTAL, None
        table = pd.concat([table, total], ignore_index=True)
    return table


def compute_report(
    session: Session,
    form: FormSpec,
    period: Period,
    root: Agency,
    user: Any,
    batch: Batch | None = None,
) -> ReportTable:
    """R8, R21: the table of ``form`` for ``period`` over ``root``'s subtree, as ``user``
    may see it (THE data scope applies to every metric query). With a ``batch`` (same
    period and reader, ``root`` within its scope) the metrics come from the batch."""
    batch = batch or Batch(session, period, root, user)
    batch.require([form])
    agencies = batch.agencies_of(root)
    agency_ids = [int(agency_id) for agency_id in agencies.index]
    if form.rows.per == "category":
        frame = _category_rows(form, batch, agency_ids)
    else:
        values = batch.columns(_metric_columns(form), agency_ids)
        frame = _agency_rows(form, agencies, values)
    for column in form.columns:
        if column.ms not in frame:
            frame[column.ms] = 0.0
    frame = _finish(form, frame)
    return ReportTable(
        form, period, root, frame[["label", "level", "agency_id", *[c.ms for c in form.columns]]]
    )


def verify(table: ReportTable) -> None:
    """R21: every check formula of the MS row holds on every row; ReportCheckFailed names
    the first formula and row that fail (the export is refused)."""
    numeric = table.frame[[column.ms for column in table.form.columns]].apply(
        pd.to_numeric, errors="coerce"
    )
    for check in table.form.checks:
        found = failures(check, numeric, table.frame["label"])
        if found:
            failure = found[0]
            values = " ; ".join(
                f"{_side_text(side)} = {_number(value)}"
                for side, value in zip(check.sides, failure.values, strict=True)
            )
            raise ReportCheckFailed(
                gettext(
                    "The check %(formula)s of form %(form)s fails on the row %(row)s "
                    "(%(values)s): the report is not exported.",
                    formula=check.text,
                    form=table.form.code,
                    row=failure.row_label,
                    values=values,
                )
            )


def _side_text(side: tuple[tuple[int, str], ...]) -> str:
    text = "".join(f"{'-' if sign < 0 else '+'}({ms})" for sign, ms in side)
    return text.lstrip("+")


def _number(value: float) -> str:
    return f"{value:g}" if np.isfinite(value) else str(value)
