"""Browser check of "Tiếp nhận đơn" (issue 3, R6, R12): a Vietnamese clerk at a district
reception board looks a citizen up, finds the complaint already filed at the provincial
inspectorate, records the repeat; then enters a new petition with the keyboard alone,
is told what to correct, and saves it. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.core.clock import set_now
from tests.browser.conftest import login_ui
from tests.petitions_intake_helpers import NOW

pytestmark = pytest.mark.browser

INTAKE = "/petitions/intake/"


def open_intake_from_menu(page: Page) -> None:
    """Open "Tiếp nhận đơn" through the navbar, as a clerk would."""
    page.locator(f"li.dropdown:has(a[href='{INTAKE}']) > a.dropdown-toggle").click()
    page.locator(f"a[href='{INTAKE}']").click()
    expect(page.locator("h1")).to_have_text("Tiếp nhận đơn")


def test_lookup_finds_the_complaint_at_the_province_and_records_the_repeat(
    page: Page, live_server: str, artifacts_dir: Path
):
    set_now(NOW)
    login_ui(page, live_server, "caolanh.tcd")
    open_intake_from_menu(page)
    expect(page.locator("#full_name")).to_be_focused()

    page.keyboard.type("vo thi kim loan")
    page.keyboard.press("Tab")
    page.keyboard.type("087186002468")
    match = page.locator(".intake-match").first
    expect(match).to_contain_text("Thanh tra tỉnh Đồng Tháp")
    expect(match).to_contain_text("Trùng số định danh")
    expect(match.locator(".intake-masked")).to_be_visible()
    expect(page.locator("#matches")).not_to_contain_text("Phạm Hữu Lầu")
    page.screenshot(path=str(artifacts_dir / "intake_lookup_match.png"), full_page=True)

    match.get_by_role("button", name="Ghi nhận đơn trùng vào vụ việc này").click()
    expect(page.locator("#decision")).to_contain_text("Đơn trùng, ghi nhận vào vụ việc VV")
    expect(page.locator("#repeat_kind-0")).to_be_focused()
    expect(page.locator("[name='signatories-0-id_number']")).to_have_value("087186002468")
    page.keyboard.press("Space")
    page.locator("#kind-0").check()
    page.locator("#subject_area").select_option(
        label="Đất đai (thu hồi, bồi thường, giải tỏa, tranh chấp)"
    )
    page.locator("#summary").fill(
        "Khiếu nại mức bồi thường làm đường Phạm Hữu Lầu, đã gửi Thanh tra tỉnh"
    )
    page.screenshot(path=str(artifacts_dir / "intake_repeat_form.png"), full_page=True)
    page.locator("#save-petition").click()
    expect(page).to_have_url(re.compile(r"/petitions/\d+$"))
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận đơn trùng số")


def test_a_new_petition_by_keyboard_alone_with_an_error_corrected(
    page: Page, live_server: str, artifacts_dir: Path
):
    set_now(NOW)
    login_ui(page, live_server, "caolanh.tcd")
    page.goto(f"{live_server}{INTAKE}")
    keyboard = page.keyboard
    keyboard.type("Nguyễn Văn Hùng")
    keyboard.press("Tab")
    keyboard.type("087078001234")
    keyboard.press("Tab")
    keyboard.type("0918123456")
    keyboard.press("Tab")
    keyboard.type("my ngai")
    expect(page.locator("#commune_label-list [role=option]").first).to_be_visible()
    keyboard.press("ArrowDown")
    keyboard.press("Enter")
    expect(page.locator("#commune_label")).to_have_value("Xã Mỹ Ngãi, Thành phố Cao Lãnh")
    keyboard.press("Tab")
    keyboard.type("Ấp 3")
    keyboard.press("Tab")
    keyboard.type("bồi thường thu hồi đất làm kênh thủy lợi")
    expect(page.locator("#no-match")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "intake_lookup_nothing.png"), full_page=True)
    page.locator("#pick-new").focus()
    keyboard.press("Enter")

    expect(page.locator("#decision")).to_contain_text("Đơn mới: mở vụ việc mới")
    expect(page.locator("[name='signatories-0-commune_label']")).to_have_value(
        "Xã Mỹ Ngãi, Thành phố Cao Lãnh"
    )
    expect(page.locator("#kind-0")).to_be_focused()  # name and ID already typed
    keyboard.press("Space")  # Khiếu nại
    keyboard.press("Tab")
    expect(page.locator("#subject_area option", has_text="Đất đai (thu hồi")).to_have_count(1)
    keyboard.press("ArrowDown")
    keyboard.press("Tab")
    keyboard.press("Tab")  # several contents: left unticked
    keyboard.type("Quyết định số 312/QĐ-UBND ngày 05/9/2026 về thu hồi đất")
    keyboard.press("Tab")
    keyboard.type("Chủ tịch UBND thành phố Cao Lãnh")
    page.locator("#received_at").fill("28/11/2026 08:00")  # tomorrow: refused
    page.locator("#summary").fill("Khiếu nại mức bồi thường khi thu hồi đất làm kênh thủy lợi ấp 3")
    keyboard.press("Control+Enter")

    expect(page.locator(".alert-danger").first).to_contain_text("Đơn chưa được lưu")
    expect(page.locator("#received_at-error")).to_have_text(
        "Ngày tiếp nhận không được ở tương lai."
    )
    expect(page.locator("#received_at")).to_be_focused()
    expect(page.locator("[name='signatories-0-full_name']")).to_have_value("Nguyễn Văn Hùng")
    expect(page.locator("#summary")).to_have_value(re.compile("kênh thủy lợi ấp 3"))
    page.screenshot(path=str(artifacts_dir / "intake_form_error.png"), full_page=True)

    keyboard.press("Control+a")
    keyboard.type("27/11/2026 08:15")
    keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/petitions/\d+$"))
    expect(page.locator(".alert-success")).to_contain_text("hạn xử lý 11/12/2026")


def test_signatories_are_added_in_the_form_and_the_denunciation_notice_shows(
    page: Page, live_server: str, artifacts_dir: Path
):
    set_now(NOW)
    login_ui(page, live_server, "caolanh.tcd")
    page.goto(f"{live_server}/petitions/intake/new?pick=new_case&full_name=Nguyễn Văn Hùng")
    page.locator("#add-signatory").click()
    expect(page.locator("[name='signatories-1-full_name']")).to_be_focused()
    page.keyboard.type("Lê Thị Lan")
    page.locator("#add-signatory").click()
    expect(page.locator("[name='signatories-2-full_name']")).to_be_focused()
    page.keyboard.type("Phạm Văn Tư")
    page.locator("#signatory_count").fill("15")
    expect(page.locator("#multi-signatory")).to_be_visible()
    page.locator("#kind-3").check()
    expect(page.locator("#denunciation-alert")).to_be_visible()
    expect(page.locator("#denunciation-alert")).to_contain_text("Luật Tố cáo")
    page.screenshot(path=str(artifacts_dir / "intake_form_signatories.png"), full_page=True)
    page.locator("[data-remove-row]").nth(1).click()
    expect(page.locator(".intake-signatory")).to_have_count(2)


def test_the_list_finds_a_name_typed_without_diacritics_and_exports_it(
    page: Page, live_server: str, artifacts_dir: Path
):
    set_now(NOW)
    login_ui(page, live_server, "xa.myngai")
    page.locator("li.dropdown:has(a[href='/petitions/list/']) > a.dropdown-toggle").click()
    page.locator("a[href='/petitions/list/']").click()
    expect(page.locator("h1")).to_have_text("Danh sách đơn")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("tran van bay")
    page.keyboard.press("Enter")
    expect(page.locator("#list-total")).to_have_text("1 bản ghi")
    expect(page.locator("#petition-table")).to_contain_text("Trần Văn Bảy")
    page.screenshot(path=str(artifacts_dir / "petition_list.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    assert re.fullmatch(r"danh-sach-don-\d{8}\.xlsx", download.value.suggested_filename)
