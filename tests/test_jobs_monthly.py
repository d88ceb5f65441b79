"""The monthly job compiles the month before its day through the reports service."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest

from app.core.clock import set_now
from app.jobs import monthly_summaries
from app.jobs.runner import run_scheduled


@pytest.fixture
def compiled(monkeypatch) -> list[tuple[int, int]]:
    """A reports service that records the months it is asked to compile."""
    months: list[tuple[int, int]] = []

    def compile_monthly_summaries(session, year: int, month: int) -> list[str]:
        months.append((year, month))
        return ["province", "DT17-UBT"]

    service = types.ModuleType("fake_reports_service")
    service.compile_monthly_summaries = compile_monthly_summaries
    monkeypatch.setitem(sys.modules, "fake_reports_service", service)
    monkeypatch.setattr(monthly_summaries, "REPORTS_SERVICE", "fake_reports_service")
    return months


@pytest.mark.parametrize(
    ("now", "month", "outcome"),
    [
        (dt.datetime(2026, 12, 1, 1, 0), (2026, 11), "Đã tổng hợp báo cáo tháng 11/2026: 2 bản."),
        (dt.datetime(2027, 1, 14, 9, 0), (2026, 12), "Đã tổng hợp báo cáo tháng 12/2026: 2 bản."),
    ],
)
def test_the_previous_month_is_compiled_once(app, compiled, now, month, outcome):
    set_now(now)
    first = run_scheduled(app, "monthly-summaries")
    again = run_scheduled(app, "monthly-summaries")
    assert (first.status, first.outcome) == ("succeeded", outcome)
    assert again.status == "skipped"
    assert compiled == [month]
