"""The report engine (R21): periods and cut-off rules, form files refused with a reason,
MS-row checks refusing the export, per-category rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask

from app.reports.checks import parse_check
from app.reports.forms import DEFAULT_FOLDER, FormFileError, load_form
from app.reports.metrics import describe
from app.reports.periods import PeriodError, custom, periodic

FORM = """
code: T-1
title: THỬ
valid_from: 2020-01-01
rows: {rows}
columns:
  - {{label: Tổng, ms: 1, metric: "petitions_received"}}
  - {{label: Khiếu nại, ms: 2, metric: "petitions_received{{kind=complaint}}"}}
  - {{label: Kiến nghị, ms: 3, metric: "petitions_received{{kind=recommendation|reflection}}"}}
checks: [{checks}]
"""


def _write(tmp_path: Path, rows: str = "{per: agency}", checks: str = '"1=2+3"') -> Path:
    path = tmp_path / "t-1.yaml"
    path.write_text(FORM.format(rows=rows, checks=checks), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kind", "number", "rule", "start", "end"),
    [
        ("quarter", 1, "tt03_2013", dt.date(2023, 12, 16), dt.date(2024, 3, 15)),
        ("quarter", 3, "tt03_2013", dt.date(2024, 6, 16), dt.date(2024, 9, 15)),
        ("six_months", 1, "tt03_2013", dt.date(2023, 12, 16), dt.date(2024, 6, 15)),
        ("nine_months", 1, "tt03_2013", dt.date(2023, 12, 16), dt.date(2024, 9, 15)),
        ("year", 1, "tt03_2013", dt.date(2023, 12, 16), dt.date(2024, 12, 15)),
        ("month", 2, "calendar", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("year", 1, "calendar", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("month", 1, "tt01_2024", dt.date(2023, 12, 15), dt.date(2024, 1, 14)),
    ],
)
def test_periods_follow_the_cut_off_rules(kind, number, rule, start, end) -> None:
    period = periodic(kind, 2024, number, rule)
    assert (period.start, period.end) == (start, end)


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(PeriodError):
        custom(dt.date(2024, 3, 2), dt.date(2024, 3, 1))
    with pytest.raises(PeriodError):
        periodic("quarter", 2024, 5)


def test_a_period_is_counted_in_vietnamese_local_days() -> None:
    period = periodic("month", 2024, 3)
    assert period.start_utc == dt.datetime(2024, 2, 29, 17, 0, tzinfo=dt.UTC)
    assert period.end_utc == dt.datetime(2024, 3, 31, 17, 0, tzinfo=dt.UTC)


def test_check_formulas_read_ranges_and_chains() -> None:
    check = parse_check("6=8+9+10=11+..+13=14+18")
    assert [[ms for _, ms in side] for side in check.sides] == [
        ["6"],
        ["8", "9", "10"],
        ["11", "12", "13"],
        ["14", "18"],
    ]


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('"petitions_received"', '"petitions_recieved"', "petitions_recieved"),
        ("kind=complaint", "sort=complaint", "sort"),
        ("kind=complaint", "kind=denunciations", "denunciations"),
        ("ms: 3", "ms: 2", "2"),
    ],
)
def test_a_form_file_with_a_mistake_is_refused_naming_it(
    app_ctx: Flask, tmp_path: Path, old: str, new: str, named: str
) -> None:
    path = _write(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FormFileError) as refused:
        load_form(path)
    assert "t-1.yaml" in str(refused.value)
    assert named in str(refused.value)


def test_a_check_naming_a_missing_column_is_refused(app_ctx: Flask, tmp_path: Path) -> None:
    with pytest.raises(FormFileError, match="4"):
        load_form(_write(tmp_path, checks='"1=2+4"'))


def _province_report(form_path: Path, month: int = 10):
    from sqlalchemy import select

    from app.agencies.models import Agency
    from app.extensions import db
    from app.reports.compute import compute_report
    from app.security.models import AppUser

    form = load_form(form_path)
    root = db.session.scalar(select(Agency).where(Agency.code == "DT17-UBT"))
    monitor = db.session.scalar(select(AppUser).where(AppUser.username == "btcd.giamsat"))
    return compute_report(db.session, form, periodic("month", 2025, month), root, monitor)


@pytest.fixture
def some_petitions(app: Flask) -> None:
    from app.core.clock import set_now
    from app.demo.generate import generate_petitions
    from app.extensions import db

    set_now(dt.datetime(2025, 12, 1, 9, 0))
    with app.app_context():
        generate_petitions(db.session, 600, seed=3)
        db.session.remove()


def test_a_failing_check_refuses_the_export_naming_formula_and_row(
    app: Flask, tmp_path: Path, some_petitions: None
) -> None:
    from app.reports.compute import ReportCheckFailed, verify

    with app.app_context():
        table = _province_report(_write(tmp_path, checks='"1=2"'))
        with pytest.raises(ReportCheckFailed) as refused:
            verify(table)
    message = str(refused.value)
    assert "1=2" in message and "T-1" in message
    failing = table.frame[table.frame["1"] != table.frame["2"]].iloc[0]["label"]
    assert failing in message


def test_the_shipped_checks_hold_and_rows_have_district_subtotals(
    app: Flask, tmp_path: Path, some_petitions: None
) -> None:
    from app.reports.compute import verify

    with app.app_context():
        table = _province_report(_write(tmp_path))
        verify(table)
    labels, levels = table.frame.label.tolist(), table.frame.level.tolist()
    first = labels.index("Ủy ban nhân dân thành phố Cao Lãnh")
    last = first + 1
    while levels[last] == "agency":
        last += 1
    assert levels[first] == "subtotal"
    assert "Ban Tiếp công dân thành phố Cao Lãnh" in labels[first + 1 : last]
    assert table.frame.iloc[first]["1"] == table.frame.iloc[first + 1 : last]["1"].sum()
    assert table.frame.iloc[-1]["1"] == table.frame[table.frame.level == "agency"]["1"].sum() > 0


def test_rows_per_category_split_the_total(
    app: Flask, tmp_path: Path, some_petitions: None
) -> None:
    rows = (
        "{per: category, categories: [{label: Khiếu nại, params: kind=complaint},"
        " {label: Kiến nghị và phản ánh, params: kind=recommendation|reflection}]}"
    )
    with app.app_context():
        by_kind = _province_report(_write(tmp_path, rows=rows, checks=""))
        overall = _province_report(_write(tmp_path, checks=""))
    frame = by_kind.frame.set_index("label")
    assert list(frame.index) == ["Khiếu nại", "Kiến nghị và phản ánh", "Tổng cộng"]
    assert frame.loc["Khiếu nại", "3"] == 0
    assert frame.loc["Khiếu nại", "2"] > 0
    assert frame.loc["Tổng cộng", "1"] == overall.frame.set_index("label").loc["Tổng cộng", "1"]


def test_every_metric_and_parameter_is_documented_for_form_writers() -> None:
    readme = (DEFAULT_FOLDER / "README.md").read_text(encoding="utf-8")
    for name, _family, _doc, params in describe():
        assert f"| `{name}` |" in readme
        for key in params:
            assert f"`{key}`" in readme
