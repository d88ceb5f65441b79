"""Agency ranking per period (R26, Art. 12): task results and compliance with the
Regulation as criteria for rating agencies.

The figures are those of form XH-01 (report_templates/forms/agency-ranking.yaml),
computed by the form engine for the period and the scope, one row per agency. Each agency
gets, from them, indicators between 0 and 100 (higher is better):

* ``completed_in_time``: tasks completed early or on time, % of the tasks completed;
* ``completed_early``: tasks completed early, % of the tasks completed;
* ``not_overdue``: 100 − overdue open tasks at the end, % of the tasks to carry out;
* ``first_pass``: tasks accepted without any report returned, % of the tasks completed;
* ``report_entry``: reports sent on time (R16), % of the reports sent;
* ``review``: reports reviewed on time by the agency as an assigning office (R17), %;
* ``document_entry``: assignment documents entered on time by the office (R14), %;
* ``petitions_in_time``: petitions processed within their deadline, % of those processed.

An indicator without a base (nothing completed, no report, no petition …) is not
available for the agency. The score is the weighted mean of the available indicators
(weights: setting ``RANKING_WEIGHTS``), i.e. their weights scaled to 100. Agencies with
fewer tasks to carry out than ``RANKING_MIN_TASKS`` are not ranked ("too few to rank").
Ranks go by score, highest first; equal scores share a rank; ties are listed by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.reports.compute import AGENCY, ReportTable, compute_report
from app.reports.forms import Column, FormSpec, HeaderNode, RowModel, forms_in_force, load_forms
from app.reports.periods import Period

RANKING_SERIES = "ranking"
DEFAULT_WEIGHTS = {
    "completed_in_time": 30,
    "completed_early": 10,
    "not_overdue": 15,
    "first_pass": 15,
    "report_entry": 10,
    "review": 5,
    "document_entry": 5,
    "petitions_in_time": 10,
}
DEFAULT_MIN_TASKS = 5


class RankingUnavailable(ValueError):
    """No ranking form (series ``ranking``) is in force for the period; message for users."""


@dataclass(frozen=True)
class Indicator:
    """One criterion: the XH-01 columns giving its part and its base, its label and the
    way it is computed, in words."""

    code: str
    label: LazyString
    method: LazyString
    part: tuple[str, ...]
    base: str
    inverted: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "completed_in_time",
        _l("Tasks completed in time"),
        _l("Tasks completed early or on time, as a share of the tasks completed in the period."),
        ("4", "5"),
        "3",
    ),
    Indicator(
        "completed_early",
        _l("Tasks completed early"),
        _l("Tasks completed before their deadline, as a share of the tasks completed."),
        ("4",),
        "3",
    ),
    Indicator(
        "not_overdue",
        _l("No overdue tasks"),
        _l(
            "100 minus the tasks still open past their deadline at the end of the period, "
            "as a share of the tasks to carry out."
        ),
        ("10",),
        "2",
        inverted=True,
    ),
    Indicator(
        "first_pass",
        _l("Accepted at the first report"),
        _l("Tasks accepted without any report returned, as a share of the tasks completed."),
        ("11",),
        "3",
    ),
    Indicator(
        "report_entry",
        _l("Reports sent on time"),
        _l("Reports on tasks entered on time (R16), as a share of the reports sent."),
        ("14",),
        "13",
    ),
    Indicator(
        "review",
        _l("Reports reviewed on time"),
        _l(
            "Reports reviewed on time by the agency as an assigning office (R17), "
            "as a share of its reviews."
        ),
        ("17",),
        "16",
    ),
    Indicator(
        "document_entry",
        _l("Documents entered on time"),
        _l(
            "Assignment documents entered on time by the office (R14), as a share of those entered."
        ),
        ("20",),
        "19",
    ),
    Indicator(
        "petitions_in_time",
        _l("Petitions processed in time"),
        _l("Petitions processed within their processing deadline, as a share of those processed."),
        ("23",),
        "22",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The scoring settings in force: weight per indicator, minimum tasks to be ranked."""

    weights: dict[str, float]
    min_tasks: int


@dataclass
class Ranking:
    """The ranking of a period and scope: ``frame`` has one row per agency (``agency_id``,
    ``name``, ``tasks`` to carry out, ``ranked``, ``rank``, ``score``, one column per
    indicator, and the XH-01 figures by column number), ranked agencies first."""

    period: Period
    root: Agency
    settings: Settings
    figures: ReportTable
    frame: pd.DataFrame


def settings(config: Mapping[str, Any] | None = None) -> Settings:
    """R26: the weights (``RANKING_WEIGHTS``; an unknown indicator is ignored, a missing
    one weighs 0) and the minimum number of tasks (``RANKING_MIN_TASKS``)."""
    config = config if config is not None else current_app.config
    weights = config.get("RANKING_WEIGHTS") or DEFAULT_WEIGHTS
    return Settings(
        weights={item.code: float(weights.get(item.code, 0)) for item in INDICATORS},
        min_tasks=int(config.get("RANKING_MIN_TASKS", DEFAULT_MIN_TASKS)),
    )


def ranking_form(day: dt.date) -> FormSpec:
    """R26: the form exposing the ranking figures in force on ``day`` (series
    ``ranking``: XH-01)."""
    forms = [form for form in forms_in_force(load_forms()[0], day) if form.series == RANKING_SERIES]
    if not forms:
        raise RankingUnavailable(gettext("No ranking form is in force for this period."))
    return forms[0]


def indicator_values(figures: pd.DataFrame) -> pd.DataFrame:
    """R26: each indicator (0–100, NaN when its base is 0) from XH-01 figures by column."""
    values = {}
    for item in INDICATORS:
        part = figures[list(item.part)].astype(float).sum(axis=1)
        base = figures[item.base].astype(float)
        share = 100 * part / base.where(base > 0)
        values[item.code] = 100 - share if item.inverted else share
    return pd.DataFrame(values, index=figures.index)


def scores(indicators: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """R26: the weighted mean of each row's available indicators (NaN when none is)."""
    weight = pd.Series({code: weights.get(code, 0.0) for code in indicators.columns})
    available = indicators.notna().astype(float) * weight
    total = (indicators.fillna(0.0) * weight).sum(axis=1)
    return (total / available.sum(axis=1).where(available.sum(axis=1) > 0)).round(1)


def rank_agencies(
    session: Session, period: Period, root: Agency, user: Any, chosen: Settings | None = None
) -> Ranking:
    """R26: the agencies of ``root``'s subtree with their figures, indicators, score and
    rank for ``period``, as ``user`` may see the data."""
    chosen = chosen or settings()
    figures = compute_report(session, ranking_form(period.end), period, root, user)
    rows = figures.frame[figures.frame["level"] == AGENCY].reset_index(drop=True)
    indicators = indicator_values(rows)
    frame = pd.DataFrame(
        {
            "agency_id": rows["agency_id"].astype(int),
            "name": rows["label"],
            "tasks": rows["2"].astype(float),
        }
    )
    frame = pd.concat(
        [frame, indicators, rows.drop(columns=["label", "level", "agency_id"])], axis=1
    )
    frame["ranked"] = frame["tasks"] >= chosen.min_tasks
    frame["score"] = scores(indicators, chosen.weights).where(frame["ranked"])
    frame["rank"] = frame["score"].rank(method="min", ascending=False)
    frame["order"] = np.where(frame["ranked"], 0, 1)
    frame = frame.sort_values(["order", "score", "name"], ascending=[True, False, True])
    return Ranking(
        period, root, chosen, figures, frame.drop(columns="order").reset_index(drop=True)
    )


def scored_table(ranking: Ranking) -> ReportTable:
    """R26: the ranking as a table of the form engine (rank, score, indicators, tasks),
    to be rendered with the XH-01 figures (app.reports.xlsx)."""
    percent = [
        Column(str(index), str(item.label), None, None, "percent")
        for index, item in enumerate(INDICATORS, start=3)
    ]
    last = str(len(INDICATORS) + 3)
    columns = (
        Column("1", gettext("Rank"), None, None, "count"),
        Column("2", gettext("Score"), None, None, "percent"),
        *percent,
        Column(last, gettext("Tasks to carry out"), None, None, "count"),
    )
    too_few = gettext("too few to rank")
    weights = ranking.settings.weights
    notes = [gettext("Scoring method:")] + [
        f"– {item.label} ({gettext('weight')} {weights[item.code]:g}): {item.method}"
        for item in INDICATORS
    ]
    notes.append(
        gettext(
            "The score is the weighted mean of the indicators available for the agency; "
            "agencies with fewer than %(min)s tasks to carry out are not ranked.",
            min=ranking.settings.min_tasks,
        )
    )
    form = FormSpec(
        key="agency-ranking-scores",
        code=f"{ranking.figures.form.code}-XH",
        series=RANKING_SERIES,
        title=gettext("AGENCY RANKING BY TASK RESULTS"),
        legal_basis=ranking.figures.form.legal_basis,
        valid_from=None,
        valid_to=None,
        first_column=ranking.figures.form.first_column,
        header=(
            columns[0],
            columns[1],
            HeaderNode(gettext("Indicators (%)"), tuple(percent)),
            columns[-1],
        ),
        columns=columns,
        checks=(),
        rows=RowModel("agency", "all", False, False, None, ()),
        period_line=ranking.figures.form.period_line,
        unit_line=None,
        notes=tuple(notes),
        place_date=ranking.figures.form.place_date,
        signatures=ranking.figures.form.signatures,
    )
    frame = ranking.frame
    data = {
        "label": np.where(frame["ranked"], frame["name"], frame["name"] + f" — {too_few}"),
        "level": AGENCY,
        "agency_id": frame["agency_id"],
        "1": frame["rank"],
        "2": frame["score"],
        last: frame["tasks"],
    }
    for column, item in zip(percent, INDICATORS, strict=True):
        data[column.ms] = frame[item.code].round(1)
    table = pd.DataFrame(data)
    table = table.astype(object).where(table.notna(), None)
    return ReportTable(form, ranking.period, ranking.root, table)
