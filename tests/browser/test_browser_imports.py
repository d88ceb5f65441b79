"""Browser check (issue 7): Cao Lãnh's administrator opens the import page from the menu,
uploads the reception board's spreadsheet, sees the dry run list the bad row with its
line, column and reason, uploads the corrected file, confirms, and watches the import
finish (R10, R11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.extensions import db
from app.petitions.models import Petition
from tests.browser.conftest import login_ui
from tests.imports_helpers import PETITION_HEADERS, petition_row, xlsx_file

pytestmark = pytest.mark.browser


def _rows(bad: bool) -> list[dict]:
    second = petition_row(
        **{
            "Số vào sổ": "502",
            "Họ và tên người đứng đơn": "Trần Thị Lan",
            "Số CCCD/CMND": "08718500432" if bad else "087185004321",
            "Năm sinh": "1985",
            "Giới tính": "Nữ",
            "Loại đơn": "Kiến nghị",
            "Mã lĩnh vực": "kp_khac",
            "Nội dung tóm tắt": "Kiến nghị sửa chữa cầu kênh Xáng Mới bị sụt lún",
            "Quyết định, hành vi bị khiếu nại": "",
        }
    )
    return [petition_row(), second]


def _petitions(app: Flask) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Petition.__table__))
        db.session.remove()
    return count


def test_upload_dry_run_then_import(
    app: Flask, page: Page, live_server: str, artifacts_dir: Path, tmp_path: Path
):
    before = _petitions(app)
    bad = tmp_path / "so-tiep-nhan-don-2026.xlsx"
    bad.write_bytes(xlsx_file(PETITION_HEADERS, _rows(bad=True)))
    good = tmp_path / "so-tiep-nhan-don-2026-da-sua.xlsx"
    good.write_bytes(xlsx_file(PETITION_HEADERS, _rows(bad=False)))

    login_ui(page, live_server, "caolanh.quantri")
    page.locator("li.dropdown > a.dropdown-toggle", has_text="Liên thông dữ liệu").click()
    page.locator("a", has_text="Nhập dữ liệu").click()
    expect(page.locator("#imports-title")).to_have_text("Nhập dữ liệu")
    expect(page.locator("#template-petitions")).to_contain_text("Đơn thư và công dân")
    page.screenshot(path=str(artifacts_dir / "import_page.png"), full_page=True)

    page.select_option("#kind", "petitions")
    page.set_input_files("#file", str(bad))
    page.click("#check")
    expect(page.locator("#dry-run-errors")).to_contain_text("1 lỗi")
    row = page.locator("#error-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("3")
    expect(row).to_contain_text("Số CCCD/CMND")
    expect(row).to_contain_text("12 chữ số")
    expect(page.locator("#run-import")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "import_dry_run_errors.png"), full_page=True)
    assert _petitions(app) == before

    page.locator(".breadcrumb a").click()
    page.set_input_files("#file", str(good))
    page.click("#check")
    expect(page.locator("#dry-run-ok")).to_contain_text("sẽ nhập 2 dòng")
    page.screenshot(path=str(artifacts_dir / "import_dry_run_ok.png"), full_page=True)
    page.click("#run-import")
    expect(page.locator("#import-done")).to_contain_text("Đã nhập 2 dòng", timeout=60_000)
    expect(page.locator("#batch-status")).to_have_text("Đã nhập")
    page.screenshot(path=str(artifacts_dir / "import_done.png"), full_page=True)
    assert _petitions(app) == before + 2
