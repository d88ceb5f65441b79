"""Browser check (issue 3, processing): a Cao Lãnh clerk processes a recommendation on its
page with the keyboard-friendly form and forwards it to the provincial inspectorate,
picking the agency by typing; the inspector sees the bell, opens "Đơn chuyển đến",
receives it and lands on the new petition, whose page shows the forwarding chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.browser.conftest import login_ui
from tests.petitions_processing_records import FLOOD_RECOMMENDATION, freeze, received_petition

pytestmark = pytest.mark.browser


def test_clerk_forwards_and_the_inspectorate_receives(
    app: Flask, page: Page, live_server: str, artifacts_dir: Path
):
    with app.app_context():
        freeze()
        petition = received_petition(matter=FLOOD_RECOMMENDATION)
        number = petition.register_code
        db.session.remove()

    login_ui(page, live_server, "caolanh.tcd")
    page.goto(f"{live_server}/petitions/queue/")
    row = page.locator("#queue-table tr", has_text="Cái Sao Thượng")
    expect(row).to_contain_text("11/12/2026")
    expect(row.locator(".petition-deadline-badge")).to_have_text("Trong hạn")
    page.screenshot(path=str(artifacts_dir / "petition_queue.png"), full_page=True)
    row.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_contain_text(f"Đơn số {number}")
    expect(page.locator("#petition-status")).to_have_text("Đã tiếp nhận")
    expect(page.locator("#petition-explanation")).to_contain_text("hạn Thứ Sáu 11/12/2026")
    page.screenshot(path=str(artifacts_dir / "petition_page_received.png"), full_page=True)

    form = page.locator("#process-form")
    form.get_by_label("Đủ điều kiện xử lý", exact=True).check()
    form.get_by_label("Thuộc thẩm quyền", exact=True).check()
    page.select_option("#outcome", "forwarded")
    expect(page.locator("#outcome-hint")).to_contain_text("Đơn thuộc thẩm quyền")
    form.get_by_label("Không thuộc thẩm quyền", exact=True).check()
    expect(page.locator("#outcome-hint")).to_have_text("")
    reasons = page.locator("#reason_id option[data-outcome]")
    expect(reasons).to_have_count(2)
    page.select_option("#reason_id", label=reasons.first.inner_text())
    page.locator("#process-target .select2-selection").click()
    # The search field takes the focus once the dropdown is open; type only then.
    expect(page.locator(".select2-container--open .select2-search__field")).to_be_focused()
    page.keyboard.type("thanh tra tinh")
    option = page.locator(".select2-results__option", has_text="Thanh tra tỉnh Đồng Tháp")
    expect(option).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#process-target .select2-selection__rendered")).to_contain_text(
        "Thanh tra tỉnh Đồng Tháp"
    )
    page.fill("#doc_number", "87/PC-BTCD")
    page.fill("#note", "Kinh phí nạo vét kênh cấp tỉnh quản lý; chuyển Thanh tra tỉnh tham mưu.")
    page.screenshot(path=str(artifacts_dir / "petition_process_form.png"), full_page=True)
    page.click("#process-submit")

    expect(page.locator(".alert-success")).to_contain_text("Thanh tra tỉnh Đồng Tháp")
    expect(page.locator("#petition-status")).to_have_text("Đã chuyển đơn")
    expect(page.locator("#petition-chain")).to_contain_text("Chờ tiếp nhận")
    expect(page.locator("#process-form")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "petition_page_forwarded.png"), full_page=True)
    page.goto(f"{live_server}/logout/")

    login_ui(page, live_server, "ttt.chuyenvien")
    expect(page.locator("#notification-bell .notification-count")).to_have_text("1")
    page.locator("#notification-bell").click()
    expect(page.locator(".notification-list")).to_contain_text(
        "Đơn chuyển đến từ Ban Tiếp công dân thành phố Cao Lãnh"
    )
    page.get_by_role("button", name="Mở").first.click()
    expect(page.locator("#inbox-pending")).to_contain_text("Cái Sao Thượng")
    expect(page.locator("#notification-bell .notification-count")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "petition_inbox.png"), full_page=True)

    page.locator("#inbox-pending").get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận đơn chuyển đến")
    expect(page.locator("#petition-chain")).to_contain_text("Ban Tiếp công dân thành phố Cao Lãnh")
    expect(page.locator("#petition-chain")).to_contain_text("Thanh tra tỉnh Đồng Tháp")
    expect(page.locator("#petition-case")).to_contain_text("Tại cơ quan khác")
    expect(page.locator("#process-form")).to_be_visible()
    page.screenshot(
        path=str(artifacts_dir / "petition_page_received_by_transfer.png"), full_page=True
    )
