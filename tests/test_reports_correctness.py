"""Every cell of every shipped form (R8, R21), recomputed from the raw rows with plain
pandas and compared with the workbook downloaded from the page and read back with openpyxl.

The expected values are computed here from the tables themselves, following the metric
definitions written in app/reports/metrics.py's docstring and the forms' files — never by
calling the engine. Runs on SQLite and on PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import login

FORMS = Path(__file__).resolve().parents[1] / "report_templates" / "forms"
VN = dt.timedelta(hours=7)
# The TT 03/2013 forms are in force until 04/03/2024, the TT 01/2024 ones after it.
PERIODS = {
    "old": {"kind": "month", "year": "2024", "number": "2", "rule": "calendar"},
    "new": {"kind": "quarter", "year": "2025", "number": "3", "rule": "tt03_2013"},
}
BOUNDS = {
    "old": (dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    "new": (dt.date(2025, 6, 16), dt.date(2025, 9, 15)),
}


@pytest.fixture
def dataset(app: Flask) -> dict[str, pd.DataFrame]:
    """A generated province: petitions, visits, dossiers, decisions, enforcement, tasks."""
    from app.core.clock import set_now
    from app.demo.generate import generate_petitions
    from app.demo.generate_oversight import generate_oversight
    from app.extensions import db

    set_now(dt.datetime(2025, 12, 1, 9, 0))
    with app.app_context():
        generate_petitions(db.session, 2500, seed=7)
        generate_oversight(db.session, tasks=2400, seed=7, today=dt.date(2025, 12, 1))
        tables = {}
        for name in (
            "agency",
            "agency_kind",
            "petition",
            "petition_case",
            "subject_area",
            "reception_visit",
            "complaint_dossier",
            "resolution_decision",
            "enforcement",
            "task",
            "assignment_document",
            "task_report",
        ):
            table = db.metadata.tables[name]
            result = db.session.execute(select(table))
            tables[name] = pd.DataFrame(result.all(), columns=list(result.keys()))
        db.session.remove()
    return tables


# --- independent recomputation ---------------------------------------------------------


def _utc(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime.combine(day, dt.time(0))) - VN


def _ts(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True).dt.tz_convert(None)


def _day(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series)


def parse(text: str) -> tuple[str, dict[str, list[str]]]:
    match = re.fullmatch(r"\s*(\w+)\s*(?:\{(.*)\})?\s*", text)
    name, inner = match.group(1), match.group(2) or ""
    params = {}
    for item in filter(None, (part.strip() for part in inner.split(","))):
        key, value = item.split("=")
        params[key.strip()] = [v.strip() for v in value.split("|")]
    return name, params


def _flag(series: pd.Series, values: list[str]) -> pd.Series:
    wanted = {value == "true" for value in values}
    known = series.notna()
    truth = series.fillna(False).astype(bool)
    if wanted == {True, False}:
        return known
    return known & (truth if True in wanted else ~truth)


class Expected:
    """The value of a metric per agency, from the raw tables."""

    def __init__(self, t: dict[str, pd.DataFrame], start: dt.date, end: dt.date):
        self.t, self.start, self.end = t, start, end
        self.s, self.e = _utc(start), _utc(end + dt.timedelta(days=1))
        areas = t["subject_area"].set_index("id")
        p = t["petition"][t["petition"].deleted_at.isna()].copy()
        for column in ("received_at", "processed_at"):
            p[column] = _ts(p[column])
        p["reply"] = _day(p.reply_received_on)
        p["due"] = _day(p.due_date)
        p["g2021"] = p.subject_area_id.map(areas.group_2021)
        p["g2013"] = p.subject_area_id.map(areas.group_2013)
        cases = t["petition_case"].set_index("id")
        closed = _ts(cases.closed_at)
        p["case_closed"] = p.case_id.map(closed.notna() & (closed < self.e))
        self.p = p
        v = t["reception_visit"][t["reception_visit"].deleted_at.isna()].copy()
        v["received_at"] = _ts(v.received_at)
        v = v[(v.received_at >= self.s) & (v.received_at < self.e)]
        v["kind"] = v.case_id.map(cases.kind)
        area = v.case_id.map(cases.subject_area_id)
        v["g2013"], v["g2021"] = area.map(areas.group_2013), area.map(areas.group_2021)
        first = p.dropna(subset=["visit_id"]).sort_values("id").drop_duplicates("visit_id")
        first = first.assign(visit_id=first.visit_id.astype(int))
        v["prior"] = v.id.map(first.set_index("visit_id").prior_resolution).fillna("none")
        form = np.where(v.reception_type == "regular", 0, np.where(v.delegated, 2, 1))
        case_key = v.case_id.fillna(-v.id).astype(int)
        v["matter"] = list(zip(case_key, form, v.first_time.astype(bool), strict=True))
        v["day"] = (v.received_at + VN).dt.date
        self.v = v
        d = t["complaint_dossier"][t["complaint_dossier"].deleted_at.isna()].copy()
        d["accepted_on"], d["closed_on"] = _day(d.accepted_on), _day(d.closed_on)
        self.d = d
        r = t["resolution_decision"].merge(
            d[["id", "agency_id", "case_id", "instance"]],
            left_on="dossier_id",
            right_on="id",
            suffixes=("", "_d"),
        )
        r["decided_on"] = _day(r.decided_on)
        self.r = r
        en = t["enforcement"].merge(
            r.drop(columns=["id_d"]), left_on="decision_id", right_on="id", suffixes=("", "_r")
        )
        en["done_on"] = _day(en.done_on)
        self.en = en
        a = t["assignment_document"][t["assignment_document"].deleted_at.isna()].copy()
        a["issued_at"] = _ts(a.issued_at)
        tk = t["task"][t["task"].deleted_at.isna()].merge(
            a[["id", "issued_at", "office_agency_id"]],
            left_on="document_id",
            right_on="id",
            suffixes=("", "_a"),
        )
        tk["completed_at"], tk["deadline"] = _ts(tk.completed_at), _day(tk.deadline)
        self.tk, self.a = tk, a
        rep = t["task_report"].merge(
            tk[["id", "receiving_agency_id", "office_agency_id"]],
            left_on="task_id",
            right_on="id",
            suffixes=("", "_t"),
        )
        rep["sent_at"], rep["reviewed_at"] = _ts(rep.sent_at), _ts(rep.reviewed_at)
        self.rep = rep

    def _in(self, column: pd.Series) -> pd.Series:
        return (column >= self.s) & (column < self.e)

    def _days(self, column: pd.Series) -> pd.Series:
        return (column >= pd.Timestamp(self.start)) & (column <= pd.Timestamp(self.end))

    def petitions(self, name: str, params: dict[str, list[str]]) -> pd.Series:
        p = self.p
        processed = (p.received_at < self.e) & self._in(p.processed_at)
        to_process = (p.received_at < self.e) & (p.processed_at.isna() | (p.processed_at >= self.s))
        windows = {
            "petitions_received": self._in(p.received_at),
            "petitions_carried_over": to_process & (p.received_at < self.s),
            "petitions_to_process": to_process,
            "petitions_processed": processed,
            "petitions_unprocessed": to_process
            & (p.processed_at.isna() | (p.processed_at >= self.e)),
            "petitions_replies": self._days(p.reply),
        }
        if name == "cases_processed":
            latest = p[processed].groupby(["case_id", "agency_id"]).id.transform("max")
            keep = pd.Series(False, index=p.index)
            keep[latest.index] = p.loc[latest.index, "id"] == latest
            mask = keep
        else:
            mask = windows[name]
        for key, values in params.items():
            if key == "kind":
                mask &= p.kind.isin(values)
            elif key == "signatories":
                parts = {
                    "many": p.signatory_count >= 5,
                    "one": p.signatory_count.between(1, 4),
                    "other": p.signatory_count < 1,
                }
                mask &= np.logical_or.reduce([parts[value] for value in values])
            elif key in ("eligible", "competent", "multi_content"):
                mask &= _flag(p[key], values)
            elif key == "repeat":
                mask &= _flag(p.is_repeat, values)
            elif key == "case_closed":
                mask &= _flag(p.case_closed, values)
            elif key == "outcome":
                mask &= p.status.isin(values)
            elif key == "prior":
                mask &= p.prior_resolution.isin(values)
            elif key in ("area_2021", "area_2013"):
                mask &= p["g" + key[5:]].isin(values)
            elif key == "origin":
                parts = {"carried": p.received_at < self.s, "received": p.received_at >= self.s}
                mask &= np.logical_or.reduce([parts[value] for value in values])
            elif key == "in_time":
                on_time = p.due.isna() | ((p.processed_at + VN).dt.normalize() <= p.due)
                mask &= on_time if values == ["true"] else ~on_time
            else:
                raise AssertionError(key)
        return p[mask].groupby("agency_id").size()

    def visits(self, name: str, params: dict[str, list[str]]) -> pd.Series:
        v = self.v
        mask = pd.Series(True, index=v.index)
        for key, values in params.items():
            if key == "reception":
                types = {"regular": ["regular"], "leader": ["leader_periodic", "leader_adhoc"]}
                mask &= v.reception_type.isin([t for x in values for t in types.get(x, [x])])
            elif key == "by":
                parts = {"in_person": v.leader_in_person, "delegated": v.delegated}
                mask &= np.logical_or.reduce([parts[value].astype(bool) for value in values])
            elif key == "delegation":
                mask &= _flag(v.is_delegation, values)
            elif key == "first_time":
                mask &= _flag(v.first_time, values)
            elif key == "kind":
                mask &= v.kind.isin(values)
            elif key in ("area_2013", "area_2021"):
                mask &= v["g" + key[5:]].isin(values)
            elif key == "prior":
                mask &= v.prior.isin(values)
            else:
                raise AssertionError(key)
        rows = v[mask].groupby("agency_id")
        return {
            "visits": rows.size(),
            "visit_people": rows.people_count.sum(),
            "visit_cases": rows.matter.nunique(),
            "visit_sessions": rows.day.nunique(),
        }[name]

    def complaints(self, name: str, params: dict[str, list[str]]) -> pd.Series:
        if name.startswith("dossier"):
            d = self.d
            mask = (d.accepted_on <= pd.Timestamp(self.end)) & (
                d.closed_on.isna() | (d.closed_on >= pd.Timestamp(self.start))
            )
            if name == "dossiers_carried_over":
                mask &= d.accepted_on < pd.Timestamp(self.start)
            if name == "dossiers_accepted":
                mask &= d.accepted_on >= pd.Timestamp(self.start)
            for key, values in params.items():
                mask &= d[key].astype(str).isin(values)
            rows = d[mask].groupby("agency_id")
            return rows.case_id.nunique() if name == "dossier_cases" else rows.size()
        if name.startswith("decision"):
            r = self.r
            mask = self._days(r.decided_on)
            for key, values in params.items():
                if key == "in_time":
                    mask &= _flag(r.in_time, values)
                elif key != "field":
                    mask &= r[key].astype(str).isin(values)
            rows = r[mask]
            if name == "decision_sum":
                return rows.groupby("agency_id")[params["field"]].sum().astype(float).sum(axis=1)
            grouped = rows.groupby("agency_id")
            return grouped.case_id.nunique() if name == "decision_cases" else grouped.size()
        en = self.en
        mask = (en.decided_on <= pd.Timestamp(self.end)) & (
            en.done_on.isna() | (en.done_on >= pd.Timestamp(self.start))
        )
        if name == "enforcements_done":
            mask &= en.done.astype(bool) & self._days(en.done_on)
        for key, values in params.items():
            if key != "field":
                mask &= en[key].astype(str).isin(values)
        rows = en[mask]
        if name == "enforcement_sum":
            return rows.groupby("agency_id")[params["field"]].sum().astype(float).sum(axis=1)
        return rows.groupby("agency_id").size()

    def tasks(self, name: str, params: dict[str, list[str]]) -> pd.Series:
        if name in ("reports_sent", "reports_reviewed", "reviews"):
            rep = self.rep
            mask = self._in(rep.sent_at if name == "reports_sent" else rep.reviewed_at)
            for key, values in params.items():
                column = {
                    "entry": "entry_timeliness",
                    "verdict": "verdict",
                    "review": "review_timeliness",
                }[key]
                mask &= rep[column].isin(values)
            agency = "office_agency_id" if name == "reviews" else "receiving_agency_id"
            return rep[mask].groupby(agency).size()
        if name == "documents_entered":
            a = self.a
            mask = self._in(a.issued_at)
            if "entry" in params:
                mask &= a.entry_timeliness.isin(params["entry"])
            return a[mask].groupby("office_agency_id").size()
        tk = self.tk
        mask = (
            (tk.status != "recalled")
            & (tk.issued_at < self.e)
            & (tk.completed_at.isna() | (tk.completed_at >= self.s))
        )
        windows = {
            "tasks_in_charge": mask,
            "tasks_carried_over": mask & (tk.issued_at < self.s),
            "tasks_assigned": mask & (tk.issued_at >= self.s),
            "tasks_by_completion": mask & self._in(tk.completed_at),
            "tasks_open": mask & (tk.completed_at.isna() | (tk.completed_at >= self.e)),
        }
        mask = windows[name]
        for key, values in params.items():
            if key == "completion":
                mask &= tk.completion.isin(values)
            elif key == "first_pass":
                mask &= (tk.returns_count == 0) if values == ["true"] else tk.returns_count > 0
            elif key == "term":
                end = pd.Timestamp(self.end)
                parts = {"within": tk.deadline >= end, "overdue": tk.deadline < end}
                mask &= np.logical_or.reduce([parts[value] for value in values])
            elif key == "role":
                mask &= tk.role.isin(values)
        return tk[mask].groupby("receiving_agency_id").size()

    def metric(self, text: str) -> pd.Series:
        name, params = parse(text)
        if name.startswith("petitions") or name == "cases_processed":
            return self.petitions(name, params)
        if name.startswith("visit"):
            return self.visits(name, params)
        if name.startswith(("dossier", "decision", "enforcement")):
            return self.complaints(name, params)
        return self.tasks(name, params)


def _leaves(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for node in nodes:
        out.extend(_leaves(node["children"]) if "children" in node else [node])
    return out


def expected_rows(form: dict[str, Any], ex: Expected, t: dict[str, pd.DataFrame]) -> dict:
    """{(group label, row label, bold): {ms: value}} for the province as the monitor sees it."""
    leaves = _leaves(form["columns"])
    metric_leaves = [leaf for leaf in leaves if "metric" in leaf]
    agencies = t["agency"][t["agency"].deleted_at.isna()].set_index("id")
    values = pd.DataFrame(
        {str(leaf["ms"]): ex.metric(leaf["metric"]) for leaf in metric_leaves}, index=agencies.index
    ).fillna(0.0)
    rows = form.get("rows", {})
    has_data = (values != 0).any(axis=1)
    kind = (
        agencies.receives_petitions
        if rows.get("agencies", "petition_receivers") == "petition_receivers"
        else True
    )
    listed = has_data if rows.get("hide_empty") else (agencies.active & kind) | has_data
    districts = agencies[agencies.assigns_tasks & (agencies.depth > 0)]
    group = pd.Series("", index=agencies.index)
    for _, district in districts.sort_values("depth", ascending=False).iterrows():
        group[agencies.path.str.startswith(district.path)] = district["name"]
    result = {}
    members = values[listed]
    for agency_id, row in members.iterrows():
        result[(group[agency_id], agencies.loc[agency_id, "name"], False)] = row.to_dict()
    for name, block in members.groupby(group[listed]):
        if name:
            result[(name, name, True)] = block.sum().to_dict()
    result[("", "Tổng cộng", True)] = members.sum().to_dict()
    for row in result.values():
        for leaf in leaves:
            if "share" in leaf:
                part, whole = (row[ms.strip()] for ms in leaf["share"].split("/"))
                row[str(leaf["ms"])] = round(100 * part / whole, 1) if whole else None
            elif "blank" in leaf:
                row[str(leaf["ms"])] = None
    return result


def workbook_rows(content: bytes) -> dict:
    """{(group label, row label, bold): {ms: value}} as the workbook shows them."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    ms_row = next(row for row in sheet.iter_rows() if row[0].value == "MS")
    numbers = {cell.column: str(cell.value).split("=")[0] for cell in ms_row[1:]}
    result, group = {}, ""
    for row in sheet.iter_rows(min_row=ms_row[0].row + 1):
        label = row[0].value
        if label is None:
            break
        bold = bool(row[0].font.bold)
        if bold and label != "Tổng cộng":
            group = label
        key_group = (
            "" if label == "Tổng cộng" or (not bold and not row[0].alignment.indent) else group
        )
        result[(key_group, label, bold)] = {
            numbers[c.column]: c.value for c in row[1:] if c.column in numbers
        }
    return result


def _compare(form_file: str, expected: dict, actual: dict) -> list[str]:
    problems = []
    if set(expected) != set(actual):
        problems.append(f"{form_file}: rows differ: {sorted(set(expected) ^ set(actual))[:5]}")
    for key in set(expected) & set(actual):
        for ms, value in expected[key].items():
            got = actual[key].get(ms)
            if value is None or (isinstance(value, float) and np.isnan(value)):
                ok = got is None
            else:
                ok = got is not None and abs(float(got) - float(value)) < 0.0006
            if not ok:
                problems.append(f"{form_file} {key[1]!r} column {ms}: workbook {got}, raw {value}")
    return problems


def test_every_cell_of_every_form_matches_the_raw_rows(
    client: FlaskClient, dataset: dict[str, pd.DataFrame]
) -> None:
    login(client, "btcd.giamsat")
    problems: list[str] = []
    checked = 0
    for path in sorted(FORMS.glob("*.yaml")):
        form = yaml.safe_load(path.read_text(encoding="utf-8"))
        which = "old" if form.get("valid_to") else "new"
        response = client.get(
            "/reports/download", query_string={**PERIODS[which], "form": path.stem}
        )
        assert response.status_code == 200, (path.name, response.get_data(as_text=True)[:3000])
        ex = Expected(dataset, *BOUNDS[which])
        expected = expected_rows(form, ex, dataset)
        actual = workbook_rows(response.data)
        problems += _compare(path.name, expected, actual)
        total = actual[("", "Tổng cộng", True)]
        checked += sum(1 for value in total.values() if value)
    assert not problems, "\n".join(problems[:40])
    assert checked > 200, "the generated data leaves too many columns empty to be a test"
