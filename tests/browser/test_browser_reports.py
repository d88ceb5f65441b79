"""Browser walk (issue 6, "Done when"; R8, R21, R24, R26): on the 1st of March 2025 the
scheduler's monthly job compiles February; the Citizen Reception Board's monitor signs in,
opens the summaries from the menu, opens February's province summary compiled by the
scheduler, downloads form 01/XLD and the test checks its cells against figures counted
here straight from the petition rows (plain pandas, not the report engine). The monitor
then freezes the month, asks for an ad hoc summary of January for Cao Lãnh, opens the
dashboard (Chart.js served locally; a click on February's bar opens the petitions behind
it) and the agency ranking (those too few to rank folded apart) with its Excel export,
checked against the task rows.

The data are the demo generator's (petitions, dossiers, tasks of the demo province up to
the 1st of March 2025, before the 2025 reform: the province and its twelve districts).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.agencies.models import Agency
from app.core.clock import local_to_utc, set_now
from app.extensions import db
from app.petitions.models import Petition
from app.tasks.models import AssignmentDocument, Task
from tests.browser.conftest import login_ui

pytestmark = pytest.mark.browser

# The generator's data end at the start of the 1st of March 2025; the monthly job runs at
# 01:00 (MONTHLY_SUMMARIES_AT) and compiles February 2025.
GENERATED_ON = dt.datetime(2025, 3, 1, 0, 30)
SCHEDULER_RUN = dt.datetime(2025, 3, 1, 1, 0, 20)
FEBRUARY = (local_to_utc(dt.datetime(2025, 2, 1)), local_to_utc(dt.datetime(2025, 3, 1)))
PROVINCE = "Ủy ban nhân dân tỉnh Đồng Tháp"
CAO_LANH = "DT17-866-UB"
CAO_LANH_BOARD = "DT17-866-TCD"
FORMS_IN_FORCE = 8


def generate_province(app: Flask) -> None:
    """The demo generator's petitions, visits, dossiers and tasks up to 01/03/2025."""
    from app.demo.generate import generate_petitions
    from app.demo.generate_oversight import generate_oversight

    set_now(GENERATED_ON)
    with app.app_context():
        generate_petitions(db.session, 1200, seed=6)
        generate_oversight(db.session, tasks=900, seed=6, today=GENERATED_ON.date())
        db.session.remove()


def run_the_monthly_job_as_the_scheduler(app: Flask) -> None:
    """What the scheduler calls when the monthly job fires on the 1st (app.jobs)."""
    from app.jobs.runner import run_scheduled

    set_now(SCHEDULER_RUN)
    result = run_scheduled(app, "monthly-summaries")
    assert result.status == "succeeded", result.error
    assert result.outcome.startswith("Đã tổng hợp báo cáo tháng 02/2025")


def _utc(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True)


def petition_frame(app: Flask) -> pd.DataFrame:
    """Every petition that is not deleted: its agency's code and path, when it was
    received and processed (UTC)."""
    query = (
        select(Agency.code, Agency.path, Petition.received_at, Petition.processed_at)
        .join(Agency, Agency.id == Petition.agency_id)
        .where(Petition.deleted_at.is_(None))
    )
    with app.app_context():
        rows = db.session.execute(query).all()
        db.session.remove()
    frame = pd.DataFrame(rows, columns=["code", "path", "received_at", "processed_at"])
    frame["received_at"] = _utc(frame.received_at)
    frame["processed_at"] = _utc(frame.processed_at)
    return frame


def xld_figures(petitions: pd.DataFrame) -> dict[str, int]:
    """Columns 1–5 of form 01/XLD for February, counted from the rows: carried over (2),
    received (3), to process (1 = 2 + 3), processed (4), not processed at the end (5)."""
    start, end = FEBRUARY
    received, processed = petitions.received_at, petitions.processed_at
    open_at_start = received.lt(start) & (processed.isna() | processed.ge(start))
    in_february = received.ge(start) & received.lt(end)
    processed_in_february = received.lt(end) & processed.ge(start) & processed.lt(end)
    still_open = received.lt(end) & (processed.isna() | processed.ge(end))
    carried, new = int(open_at_start.sum()), int(in_february.sum())
    return {
        "1": carried + new,
        "2": carried,
        "3": new,
        "4": int(processed_in_february.sum()),
        "5": int(still_open.sum()),
    }


def task_figures(app: Flask) -> dict[str, int]:
    """Columns 1 and 2 of XH-01 for February over the province, counted from the task
    rows: assigned in February (1), to carry out in February (2: assigned before its end
    and not completed before its start); deleted and recalled tasks left out."""
    start, end = FEBRUARY
    query = (
        select(AssignmentDocument.issued_at, Task.completed_at)
        .join(AssignmentDocument, AssignmentDocument.id == Task.document_id)
        .where(
            Task.deleted_at.is_(None),
            AssignmentDocument.deleted_at.is_(None),
            Task.status != "recalled",
        )
    )
    with app.app_context():
        rows = db.session.execute(query).all()
        db.session.remove()
    frame = pd.DataFrame(rows, columns=["issued_at", "completed_at"])
    issued, completed = _utc(frame.issued_at), _utc(frame.completed_at)
    in_charge = issued.lt(end) & (completed.isna() | completed.ge(start))
    return {"1": int((in_charge & issued.ge(start)).sum()), "2": int(in_charge.sum())}


def agency_name(app: Flask, code: str) -> str:
    with app.app_context():
        name = db.session.scalar(select(Agency.name).where(Agency.code == code))
        db.session.remove()
    return name


def agency_path(app: Flask, code: str) -> str:
    with app.app_context():
        path = db.session.scalar(select(Agency.path).where(Agency.code == code))
        db.session.remove()
    return path


def row_values(sheet, label: str) -> dict[str, object]:
    """The first row labelled ``label`` (a district's subtotal comes before its own row),
    by column number read from the MS row ("1=2+3" → "1")."""
    ms_row = next(row for row in sheet.iter_rows() if row[0].value == "MS")
    numbers = {cell.column: str(cell.value).split("=")[0] for cell in ms_row[1:]}
    for row in sheet.iter_rows(min_row=ms_row[0].row + 1):
        if row[0].value == label:
            return {numbers[c.column]: c.value for c in row[1:] if c.column in numbers}
    raise AssertionError(f"no row {label!r} in {sheet.title}")


def open_from_menu(page: Page, label: str) -> None:
    """Open a page of the "Báo cáo, thống kê" menu, as a user would."""
    page.get_by_role("link", name="Báo cáo, thống kê").click()
    page.locator(".dropdown-menu a", has_text=label).click()


def click_bar(page: Page, chart: str, label: str) -> int:
    """Click the bar labelled ``label`` of a chart drawn by Chart.js; its value."""
    canvas = page.locator(f'canvas[data-chart="{chart}"]')
    canvas.scroll_into_view_if_needed()
    point = canvas.evaluate(
        """(canvas, label) => {
            const chart = Chart.getChart(canvas);
            const index = chart.data.labels.indexOf(label);
            const centre = chart.getDatasetMeta(0).data[index].getCenterPoint();
            return {x: centre.x, y: centre.y, value: chart.data.datasets[0].data[index]};
        }""",
        label,
    )
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    return point["value"]


def test_the_monitor_reads_last_month_compiled_by_the_scheduler(
    app: Flask, page: Page, live_server: str, artifacts_dir: Path
):
    generate_province(app)
    run_the_monthly_job_as_the_scheduler(app)
    petitions = petition_frame(app)
    province = xld_figures(petitions)
    cao_lanh = xld_figures(petitions[petitions.path.str.startswith(agency_path(app, CAO_LANH))])
    board = xld_figures(petitions[petitions.code == CAO_LANH_BOARD])
    assert province["3"] > 0 and cao_lanh["3"] > 0 and board["3"] > 0

    login_ui(page, live_server, "btcd.giamsat")
    open_from_menu(page, "Tổng hợp báo cáo")
    expect(page.locator("h1")).to_contain_text("Tổng hợp báo cáo")
    row = page.locator("#summaries tbody tr", has_text=PROVINCE).filter(has_text="Tháng 02/2025")
    expect(row).to_contain_text("Tổng hợp tháng")
    expect(row).to_contain_text("Đã tổng hợp, chưa chốt")
    expect(row).to_contain_text("Hệ thống (lập lịch)")
    expect(row.locator("td").nth(6)).to_have_text(str(FORMS_IN_FORCE))
    page.screenshot(path=str(artifacts_dir / "reports_summaries.png"), full_page=True)

    row.get_by_role("link", name="Mở").click()
    expect(page.locator("#summary-title")).to_have_text("Tổng hợp tháng — Tháng 02/2025")
    expect(page.locator("#summary-facts")).to_contain_text("01/02/2025 – 28/02/2025")
    expect(page.locator("#summary-compiled")).to_contain_text("Hệ thống (lập lịch)")
    expect(page.locator(".summary-download")).to_have_count(FORMS_IN_FORCE)
    cut_off = page.locator("#summary-facts dt").evaluate_all(
        "(terms) => terms.filter((t) => t.scrollWidth > t.clientWidth).map((t) => t.innerText)"
    )
    assert cut_off == [], f"labels cut off: {cut_off}"
    page.screenshot(path=str(artifacts_dir / "reports_summary_month.png"), full_page=True)

    form_row = page.locator("#summary-files tbody tr", has_text="01/XLD")
    with page.expect_download() as download_info:
        form_row.locator(".summary-download").click()
    download = download_info.value
    assert download.suggested_filename == "01-XLD_20250201-20250228.xlsx"
    saved = artifacts_dir / "reports_01-XLD_02-2025.xlsx"
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert sheet["A1"].value == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    assert "từ ngày 01/02/2025 đến ngày 28/02/2025" in sheet["A5"].value
    assert sheet["A1"].font.name == "Times New Roman"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    texts = {cell.value for row in sheet.iter_rows() for cell in row if cell.value}
    assert {"1=2+3=4+5", "Tiếp nhận trong kỳ", "Người lập biểu", "Thủ trưởng cơ quan"} <= texts
    assert {ms: row_values(sheet, "Tổng cộng")[ms] for ms in province} == province
    cao_lanh_row = row_values(sheet, agency_name(app, CAO_LANH))
    assert {ms: cao_lanh_row[ms] for ms in cao_lanh} == cao_lanh
    board_row = row_values(sheet, agency_name(app, CAO_LANH_BOARD))
    assert {ms: board_row[ms] for ms in board} == board

    page.click("#freeze")
    expect(page.locator(".alert-success")).to_contain_text("Bản tổng hợp đã được chốt")
    expect(page.locator(".summary-status").first).to_contain_text("Đã chốt sau khi rà soát")
    expect(page.locator("#summary-frozen")).to_contain_text("Lê Minh Tâm")
    expect(page.locator("#freeze")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "reports_summary_frozen.png"), full_page=True)

    page.get_by_role("link", name="Tổng hợp báo cáo").first.click()
    adhoc = page.locator("#adhoc-form")
    adhoc.locator("#kind").select_option("month")
    adhoc.locator("#number").fill("1")
    adhoc.locator("#year").fill("2025")
    adhoc.locator("#rule").select_option("calendar")
    adhoc.locator("#scope").select_option(label=f"\u00a0\u00a0{agency_name(app, CAO_LANH)}")
    page.click("#adhoc-submit")
    expect(page.locator("#summary-title")).to_contain_text("Tổng hợp đột xuất")
    expect(page.locator("#summary-progress")).to_contain_text(
        "Bản tổng hợp đã sẵn sàng.", timeout=90_000
    )
    expect(page.locator("#summary-facts")).to_contain_text("01/01/2025 – 31/01/2025")
    expect(page.locator("#summary-facts")).to_contain_text("Lê Minh Tâm")
    expect(page.locator(".summary-download")).to_have_count(FORMS_IN_FORCE)
    expect(page.locator("#freeze")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "reports_summary_adhoc.png"), full_page=True)

    open_from_menu(page, "Bảng điều khiển")
    expect(page.locator(".dashboard-header")).to_contain_text(
        f"{PROVINCE} · 01/04/2024 – 01/03/2025"
    )
    chart_js = page.locator("script[src$='chart.umd.min.js']")
    assert chart_js.get_attribute("src").startswith("/static/vendor/")
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() >= 6
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".every((canvas) => Chart.getChart(canvas) !== undefined)"
    )
    areas = page.locator('canvas[data-chart="petitions-area"]').evaluate(
        "(canvas) => { const chart = Chart.getChart(canvas);"
        " return {labels: chart.data.labels, ticks: chart.scales.y.ticks.map((t) => t.label)}; }"
    )
    assert len(set(areas["labels"])) == len(areas["labels"]), areas["labels"]
    assert "Chế độ, chính sách (Khiếu nại)" in areas["labels"]
    assert max(len(tick) for tick in areas["ticks"]) <= 32, areas["ticks"]
    page.screenshot(path=str(artifacts_dir / "reports_dashboard.png"), full_page=True)
    assert click_bar(page, "petitions-month", "02/2025") == province["3"]
    expect(page.locator("#received_from")).to_have_value("01/02/2025")
    expect(page.locator("#received_to")).to_have_value("28/02/2025")
    expect(page.locator("#list-total")).to_contain_text(f"{province['3']:,}".replace(",", "."))
    page.screenshot(path=str(artifacts_dir / "reports_dashboard_list.png"), full_page=True)

    open_from_menu(page, "Xếp hạng cơ quan")
    expect(page.locator(".reports-lead")).to_contain_text("01/02/2025 – 28/02/2025")
    expect(page.locator("#ranking tbody tr.ranking-unranked")).to_have_count(0)
    first = page.locator("#ranking tbody tr").first
    expect(first.locator(".ranking-rank")).to_have_text("1")
    leader = first.locator("td").nth(1).inner_text()
    expect(page.locator("#ranking-minimum")).to_contain_text("dưới 5 nhiệm vụ")
    too_few = page.locator("#ranking-too-few tbody tr")
    expect(too_few.first).to_be_hidden()
    page.screenshot(path=str(artifacts_dir / "reports_ranking.png"), full_page=True)
    page.locator("#ranking-unranked > summary").click()
    expect(too_few.first).to_contain_text("Chưa đủ số liệu để xếp hạng")
    expect(page.locator("#ranking-unranked > summary")).to_contain_text(
        f"Chưa đủ số liệu để xếp hạng: {too_few.count()} cơ quan"
    )
    with page.expect_download() as download_info:
        page.click("#ranking-export")
    saved = artifacts_dir / "reports_ranking_02-2025.xlsx"
    download_info.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    scored, figures = book.worksheets
    assert leader in [cell.value for cell in scored["A"]]
    tasks = task_figures(app)
    assert {ms: row_values(figures, "Tổng cộng")[ms] for ms in tasks} == tasks
