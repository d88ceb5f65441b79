"""The clerk's whole path in one browser walk (issue 3; R6, R12, R2): a clerk of the Cao
Lãnh district reception board looks a citizen up and finds her complaint already filed at
the provincial inspectorate, records the repeat submission; enters a new recommendation of
another citizen; forwards it to the provincial inspectorate; the inspectorate sees it in
its inbox and receives it; a clerk of another district sees none of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.core.clock import set_now
from tests.browser.conftest import login_ui
from tests.petitions_intake_helpers import NOW

pytestmark = pytest.mark.browser

NEW_MATTER = "Kiến nghị nạo vét kênh Hai Hạt đoạn qua ấp Mỹ Hưng bị bồi lắng, ngập úng mùa mưa"


def test_lookup_repeat_new_petition_forward_and_receive(
    page: Page, live_server: str, artifacts_dir: Path
):
    set_now(NOW)
    login_ui(page, live_server, "caolanh.tcd")

    # 1. Lookup first: the complaint is already at the provincial inspectorate.
    page.goto(f"{live_server}/petitions/intake/")
    page.keyboard.type("Võ Thị Kim Loan")
    page.keyboard.press("Tab")
    page.keyboard.type("087186002468")
    match = page.locator(".intake-match").first
    expect(match).to_contain_text("Thanh tra tỉnh Đồng Tháp")
    match.get_by_role("button", name="Ghi nhận đơn trùng vào vụ việc này").click()
    page.locator("#repeat_kind-0").check()
    page.locator("#kind-0").check()
    page.locator("#subject_area").select_option(
        label="Đất đai (thu hồi, bồi thường, giải tỏa, tranh chấp)"
    )
    page.locator("#summary").fill("Khiếu nại bồi thường đất, đơn đã gửi Thanh tra tỉnh")
    page.locator("#save-petition").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận đơn trùng số")
    page.screenshot(path=str(artifacts_dir / "clerk_path_1_repeat.png"), full_page=True)

    # 2. A new citizen's recommendation: nothing matches, enter it.
    page.goto(f"{live_server}/petitions/intake/")
    page.keyboard.type("Trần Văn Sáu")
    page.keyboard.press("Tab")
    page.keyboard.type("087066004321")
    expect(page.locator("#no-match")).to_be_visible()
    page.locator("#pick-new").click()
    page.locator("#kind-1").check()
    page.locator("#subject_area").select_option(label="Chế độ, chính sách")
    page.locator("#summary").fill(NEW_MATTER)
    page.locator("#save-petition").click()
    expect(page).to_have_url(re.compile(r"/petitions/\d+$"))
    expect(page.locator("#petition-status")).to_have_text("Đã tiếp nhận")
    expect(page.locator("#petition-explanation")).to_contain_text("11/12/2026")
    page.screenshot(path=str(artifacts_dir / "clerk_path_2_new.png"), full_page=True)

    # 3. Forward it to the competent agency.
    form = page.locator("#process-form")
    form.get_by_label("Đủ điều kiện xử lý", exact=True).check()
    form.get_by_label("Không thuộc thẩm quyền", exact=True).check()
    page.select_option("#outcome", "forwarded")
    reasons = page.locator("#reason_id option[data-outcome]")
    page.select_option("#reason_id", label=reasons.first.inner_text())
    page.locator("#process-target .select2-selection").click()
    # The search field takes the focus once the dropdown is open; type only then.
    expect(page.locator(".select2-container--open .select2-search__field")).to_be_focused()
    page.keyboard.type("thanh tra tinh")
    expect(
        page.locator(".select2-results__option", has_text="Thanh tra tỉnh Đồng Tháp")
    ).to_be_visible()
    page.keyboard.press("Enter")
    page.fill("#doc_number", "91/PC-BTCD")
    page.fill("#note", "Kênh Hai Hạt do tỉnh quản lý; chuyển Thanh tra tỉnh tham mưu giải quyết.")
    page.click("#process-submit")
    expect(page.locator("#petition-status")).to_have_text("Đã chuyển đơn")
    page.screenshot(path=str(artifacts_dir / "clerk_path_3_forwarded.png"), full_page=True)
    page.goto(f"{live_server}/logout/")

    # 4. The provincial inspectorate sees it in its inbox and receives it.
    login_ui(page, live_server, "ttt.chuyenvien")
    page.goto(f"{live_server}/petitions/inbox/")
    inbox = page.locator("#inbox-pending")
    expect(inbox).to_contain_text("Hai Hạt")
    inbox.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận đơn chuyển đến")
    expect(page.locator("#petition-chain")).to_contain_text("Ban Tiếp công dân thành phố Cao Lãnh")
    page.screenshot(path=str(artifacts_dir / "clerk_path_4_received.png"), full_page=True)
    page.goto(f"{live_server}/logout/")

    # 5. A clerk of another district sees none of it.
    login_ui(page, live_server, "laivung.tcd")
    page.goto(f"{live_server}/petitions/list/?q=hai+hat")
    expect(page.locator("body")).not_to_contain_text("Hai Hạt")
    page.goto(f"{live_server}/petitions/inbox/")
    expect(page.locator("body")).not_to_contain_text("Hai Hạt")
